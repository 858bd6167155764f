/**
 * Credit questions before the committee. A credit officer puts the question (these proposed terms; this
 * action on this breach); members vote on it or declare a conflict; the chair records the decision under
 * the programme's committee rules, with the same four eyes as deal decisions (who put the question neither
 * votes nor records). The approved question is then applied once by amendFacilityTerms or
 * recordWatchlistAction, which take everything from it.
 */
import { z } from 'zod';
import {
  decideQuestion,
  insertQuestion,
  insertQuestionConflict,
  insertQuestionVote,
  lockQuestion,
  questionBallots,
  questionRows,
} from '../../db/credit-questions-repo.ts';
import { latestTermsVersion, lockFacility, storedTerms } from '../../db/credit-repo.ts';
import { userNames } from '../../db/users-repo.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { assertDecisionIsSound, assertMayVote, countVotes, type Vote } from '../../domain/committee.ts';
import {
  assertQuestionOpen,
  type QuestionInput,
  type questionDecisionInputSchema,
} from '../../domain/credit/questions.ts';
import { KeelError } from '../../domain/errors.ts';
import { slug } from '../../domain/fields.ts';
import { authorize } from '../../domain/roles.ts';
import { type Actor, type AppContext, today } from '../context.ts';
import { currentProgramme } from '../programme.ts';
import { runWrite } from '../write.ts';
import { lockBreach } from './covenants.ts';

export const questionsQuerySchema = z.object({
  facilityId: slug.optional(),
  /** `open`: only questions the committee has not decided. */
  status: z.enum(['open', 'all']).default('all'),
});

/** Puts a question about a facility to the committee; a breach question only while that test is a breach. */
export async function putCreditQuestion(ctx: AppContext, actor: Actor, key: string, input: QuestionInput) {
  authorize(actor, 'credit.write');
  return runWrite(
    ctx,
    { actor, action: 'credit.question.put', key, request: input, subject: `facility:${input.facilityId}` },
    async (tx) => {
      if (!(await lockFacility(tx, input.facilityId)))
        throw new KeelError('not_found', `no facility "${input.facilityId}"`);
      let covenantId: bigint | null = null;
      let testOn: string | null = null;
      let baseVersion: number | null = null;
      if (input.kind === 'terms_amendment') baseVersion = await latestTermsVersion(tx, input.facilityId);
      else {
        const { row, acted } = await lockBreach(tx, input.covenantId, input.testOn);
        if (row.facility_id !== input.facilityId)
          throw new KeelError(
            'invalid_value',
            `covenant ${input.covenantId} is on facility ${row.facility_id}, not ${input.facilityId}`,
          );
        if (acted)
          throw new KeelError(
            'conflict',
            `the breach of covenant ${input.covenantId} at ${input.testOn} is already acted on (${acted.action})`,
          );
        covenantId = input.covenantId;
        testOn = input.testOn;
      }
      const { id } = await insertQuestion(tx, {
        facilityId: input.facilityId,
        kind: input.kind,
        covenantId,
        testOn,
        // Canonical JSON keeps the exact cents through jsonb, as the terms versions do.
        proposedTerms: input.kind === 'terms_amendment' ? canonicalJson(input.terms) : null,
        baseVersion,
        summary: input.summary,
        meetingOn: input.meetingOn,
        putBy: actor.id,
      });
      return { result: { id, facilityId: input.facilityId, kind: input.kind } };
    },
  );
}

/** Locks the question, checks it is still open and returns it with its ballot. */
async function openCreditQuestion(tx: Parameters<typeof lockQuestion>[0], id: bigint) {
  const question = await lockQuestion(tx, id);
  if (!question) throw new KeelError('not_found', `no credit question ${id}`);
  assertQuestionOpen(question);
  const ballot = (await questionBallots(tx, [question])).get(question.id)!;
  return { question, ballot };
}

/** A signed-in member casts their own vote on an open credit question: one each. */
export async function castCreditVote(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: { questionId: bigint; vote: Vote },
) {
  authorize(actor, 'committee.vote');
  return runWrite(
    ctx,
    {
      actor,
      action: 'credit.question.vote',
      key,
      request: input,
      subject: `credit-question:${input.questionId}`,
    },
    async (tx) => {
      const { ballot } = await openCreditQuestion(tx, input.questionId);
      assertMayVote(ballot, actor.id);
      await insertQuestionVote(tx, { questionId: input.questionId, member: actor.id, vote: input.vote });
      return { result: { questionId: input.questionId, member: actor.id, vote: input.vote } };
    },
  );
}

/** A member declares their own conflict on the question: they cannot vote, and an earlier vote is not counted. */
export async function declareCreditConflict(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: { questionId: bigint; note: string },
) {
  authorize(actor, 'committee.vote');
  return runWrite(
    ctx,
    {
      actor,
      action: 'credit.question.conflict',
      key,
      request: input,
      subject: `credit-question:${input.questionId}`,
    },
    async (tx) => {
      await openCreditQuestion(tx, input.questionId);
      await insertQuestionConflict(tx, { questionId: input.questionId, member: actor.id, note: input.note });
      return { result: { questionId: input.questionId, member: actor.id, declared: true } };
    },
  );
}

/** The chair records the committee's decision on the question; quorum and conflict rules from the programme. */
export async function decideCreditQuestion(
  ctx: AppContext,
  actor: Actor,
  key: string,
  questionId: bigint,
  input: z.infer<typeof questionDecisionInputSchema>,
) {
  authorize(actor, 'committee.decide');
  if (input.decidedOn > today())
    throw new KeelError(
      'invalid_decision',
      `decidedOn ${input.decidedOn} is in the future: a decision is recorded on or after the day it was taken`,
    );
  return runWrite(
    ctx,
    {
      actor,
      action: 'credit.question.decide',
      key,
      request: { questionId, ...input },
      subject: `credit-question:${questionId}`,
    },
    async (tx) => {
      const { question, ballot } = await openCreditQuestion(tx, questionId);
      // Conditions of a credit question would have nothing to track them before it is applied.
      if (input.decision === 'approve_with_conditions')
        throw new KeelError(
          'invalid_decision',
          'a credit question is approved outright, declined or deferred: write any condition into the proposal and put it again',
        );
      const { programme } = await currentProgramme(tx);
      const tally = assertDecisionIsSound(
        { ...input, dealId: question.facilityId },
        ballot,
        programme.committee,
        actor.id,
      );
      const conflicted = new Set(ballot.conflicts.map((c) => c.member));
      await decideQuestion(tx, questionId, {
        decision: input.decision,
        votes: ballot.votes.filter((v) => !conflicted.has(v.member)),
        conflicts: ballot.conflicts,
        conditions: input.conditions.map((text) => ({ text, status: 'open' })),
        quorum: programme.committee.quorum,
        decidedOn: input.decidedOn,
        decidedBy: actor.id,
      });
      return {
        result: { id: questionId, facilityId: question.facilityId, decision: input.decision, tally },
      };
    },
  );
}

/**
 * Credit questions with their ballot (open) or the votes their decision rests on (decided), and whether an
 * approved one was applied. Committee readers: the votes and conflicts are the committee's record.
 */
export async function listCreditQuestions(
  ctx: AppContext,
  actor: Actor,
  query: z.infer<typeof questionsQuerySchema>,
) {
  authorize(actor, 'committee.read');
  const db = ctx.database.db;
  const rows = await questionRows(db, { facilityId: query.facilityId, open: query.status === 'open' });
  const ballots = await questionBallots(
    db,
    rows.filter((r) => r.decision === null),
  );
  const people = await userNames(
    db,
    rows.flatMap((r) => {
      const ballot = ballots.get(r.id);
      return [
        r.putBy,
        ...(r.decidedBy ? [r.decidedBy] : []),
        ...(ballot?.votes ?? r.votes ?? []).map((v) => v.member),
        ...(ballot?.conflicts ?? r.conflicts ?? []).map((c) => c.member),
      ];
    }),
  );
  const name = (id: string) => people.get(id) ?? id;
  return {
    items: rows.map(({ votes: counted, conflicts: declared, proposedTerms, ...r }) => {
      const ballot = ballots.get(r.id);
      const votes = (ballot?.votes ?? counted ?? []).map((v) => ({ ...v, name: name(v.member) }));
      const conflicts = (ballot?.conflicts ?? declared ?? []).map((c) => ({ ...c, name: name(c.member) }));
      return {
        ...r,
        proposedTerms: proposedTerms === null ? null : storedTerms(proposedTerms),
        putByName: name(r.putBy),
        decidedByName: r.decidedBy === null ? null : name(r.decidedBy),
        votes,
        conflicts,
        tally: countVotes(votes),
      };
    }),
  };
}
