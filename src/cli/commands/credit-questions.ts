/**
 * `keel credit question | questions | decide | apply`: credit questions before the committee. Votes are a
 * member's own, cast signed in (the web app or the API), never from the command line, whose actor is an
 * administrator; as for deal decisions, whoever put a question may not decide it (four eyes).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { recordWatchlistAction, watchlistActionInputSchema } from '../../app/credit/covenants.ts';
import {
  decideCreditQuestion,
  listCreditQuestions,
  putCreditQuestion,
  questionsQuerySchema,
} from '../../app/credit/credit-questions.ts';
import { amendFacilityTerms } from '../../app/credit/facilities.ts';
import {
  KIND_OF_ACTION,
  questionDecisionInputSchema,
  questionInputSchema,
} from '../../domain/credit/questions.ts';
import { rowId } from '../../domain/fields.ts';
import { jsonText } from '../../domain/json-text.ts';
import { UsageError } from '../errors.ts';
import { callerPath, out } from '../io.ts';
import { table } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';
import { parseOrUsage } from './validate.ts';

export const QUESTION_USAGE = [
  'keel credit question FACILITY --kind terms_amendment --terms FILE.json --reason SUMMARY --date MEETING [--key K]',
  'keel credit question FACILITY --kind waiver|covenant_amendment|acceleration --covenant ID --test-on YYYY-MM-DD --reason SUMMARY --date MEETING [--key K]',
  'keel credit questions [FACILITY] [--open] [--json]',
  'keel credit decide QUESTION approve|approve_with_conditions|decline|defer --date YYYY-MM-DD [--conditions "a; b"] [--key K]',
  'keel credit apply QUESTION [--note NOTE] [--key K]   (the amendment or breach action an approved question asked for)',
];

export interface QuestionOptions {
  kind?: string | undefined;
  terms?: string | undefined;
  covenant?: string | undefined;
  testOn?: string | undefined;
  reason?: string | undefined;
  date?: string | undefined;
  conditions?: string | undefined;
  note?: string | undefined;
  open?: boolean | undefined;
  key?: string | undefined;
  json: boolean;
}

const json = (value: unknown) => `${jsonText(value, 2)}\n`;
const replayedText = (replayed: boolean) => (replayed ? ' (replayed; nothing changed)' : '');
const keyOf = (options: QuestionOptions) => options.key ?? `cli:${randomUUID()}`;

function readTerms(file: string | undefined): unknown {
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(callerPath(file), 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function questionCommand(
  action: string,
  args: string[],
  options: QuestionOptions,
): Promise<number | null> {
  if (action === 'question') {
    const input = parseOrUsage(
      questionInputSchema,
      {
        facilityId: args[0],
        kind: options.kind,
        ...(options.kind === 'terms_amendment'
          ? { terms: readTerms(options.terms) }
          : { covenantId: options.covenant, testOn: options.testOn }),
        summary: options.reason,
        meetingOn: options.date,
      },
      {
        facilityId: 'FACILITY',
        kind: '--kind',
        covenantId: '--covenant',
        testOn: '--test-on',
        summary: '--reason',
        meetingOn: '--date',
        terms: '--terms',
      },
    );
    const { result, replayed } = await withKeel((ctx) =>
      putCreditQuestion(ctx, cliActor(), keyOf(options), input),
    );
    out(
      `credit question ${result.id}: ${result.kind.replace('_', ' ')} of ${result.facilityId} is before the committee${replayedText(replayed)}\n`,
    );
    return 0;
  }
  if (action === 'questions') {
    const query = parseOrUsage(
      questionsQuerySchema,
      { facilityId: args[0], status: options.open ? 'open' : 'all' },
      { facilityId: 'FACILITY' },
    );
    const list = await withKeel((ctx) => listCreditQuestions(ctx, cliActor(), query));
    if (options.json) {
      out(json(list));
      return 0;
    }
    out(
      `${table(
        ['id', 'facility', 'question', 'put by', 'votes for/against/abstain', 'decision', 'applied'],
        list.items.map((q) => [
          String(q.id),
          q.facilityId,
          q.covenantId === null
            ? q.kind.replace('_', ' ')
            : `${q.kind.replace('_', ' ')} of covenant ${q.covenantId} at ${q.testOn}`,
          q.putByName,
          `${q.tally.for}/${q.tally.against}/${q.tally.abstain}`,
          q.decision === null ? 'open' : `${q.decision} (${q.decidedOn})`,
          q.used ? 'yes' : '—',
        ]),
      )}\n`,
    );
    return 0;
  }
  if (action === 'decide') {
    const questionId = parseOrUsage(rowId, args[0], {});
    const input = parseOrUsage(
      questionDecisionInputSchema,
      {
        decision: args[1],
        decidedOn: options.date,
        conditions: (options.conditions ?? '')
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      },
      { decision: 'DECISION', decidedOn: '--date' },
    );
    const { result, replayed } = await withKeel((ctx) =>
      decideCreditQuestion(ctx, cliActor(), keyOf(options), questionId, input),
    );
    out(
      `credit question ${result.id}: ${result.decision} (for ${result.tally.for}, against ${result.tally.against}, abstain ${result.tally.abstain})${replayedText(replayed)}\n`,
    );
    return 0;
  }
  if (action === 'apply') {
    const questionId = parseOrUsage(rowId, args[0], {});
    return withKeel(async (ctx) => {
      const actor = cliActor();
      const [question] = (await listCreditQuestions(ctx, actor, { status: 'all' })).items.filter(
        (q) => q.id === questionId,
      );
      if (!question) throw new UsageError(`no credit question ${questionId}`);
      if (question.kind === 'terms_amendment') {
        const { result, replayed } = await amendFacilityTerms(
          ctx,
          actor,
          keyOf(options),
          question.facilityId,
          {
            questionId,
          },
        );
        out(
          `${result.id}: terms version ${result.version}, as credit question ${questionId} approved${replayedText(replayed)}\n`,
        );
        return 0;
      }
      const action = (Object.keys(KIND_OF_ACTION) as Array<keyof typeof KIND_OF_ACTION>).find(
        (a) => KIND_OF_ACTION[a] === question.kind,
      );
      const input = parseOrUsage(
        watchlistActionInputSchema,
        {
          covenantId: String(question.covenantId),
          testOn: question.testOn,
          action,
          questionId: String(questionId),
          note: options.note ?? question.summary,
        },
        { note: '--note' },
      );
      const { result, replayed } = await recordWatchlistAction(ctx, actor, keyOf(options), input);
      out(
        `covenant ${result.covenantId} at ${result.testOn}: ${result.action}, as credit question ${questionId} approved${replayedText(replayed)}\n`,
      );
      return 0;
    });
  }
  return null;
}
