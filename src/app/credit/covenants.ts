/**
 * Covenants, borrower financials and the watchlist. The watchlist is derived on read: an obligor is on it
 * while one of its covenant tests is a breach the committee has not waived or amended away (an accelerated
 * breach stays listed, as "accelerated"). Recording an action re-runs the same test, so what the write
 * accepts and what the read shows cannot disagree.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { companyRow } from '../../db/companies-repo.ts';
import { lockQuestion } from '../../db/credit-questions-repo.ts';
import {
  covenantRows,
  existingFinancials,
  facilityRow,
  financialsOf,
  insertCovenant,
  insertFinancials,
  insertWatchlistAction,
  latestFinancials,
  lockCovenant,
  lockFacility,
  watchlistActions,
} from '../../db/credit-repo.ts';
import type { Schema } from '../../db/schema.ts';
import {
  type Covenant,
  type CovenantKind,
  type CovenantTest,
  covenantTests,
  type Financials,
  ratioThreshold,
  TEST_FREQUENCIES,
  testCovenant,
  WATCHLIST_ACTIONS,
} from '../../domain/credit/covenants.ts';
import { assertQuestionApplies, KIND_OF_ACTION } from '../../domain/credit/questions.ts';
import { KeelError } from '../../domain/errors.ts';
import { centsField, isoDate, reasonField, recordId, slug } from '../../domain/fields.ts';
import { MAX_ENTRY_CENTS } from '../../domain/money.ts';
import { authorize } from '../../domain/roles.ts';
import { type Actor, type AppContext, today } from '../context.ts';
import { runWrite } from '../write.ts';

const everyMonths = z
  .number()
  .int()
  .refine((n) => (TEST_FREQUENCIES as readonly number[]).includes(n), 'must be 1, 3, 6 or 12 months');
const testing = { firstTestOn: isoDate, everyMonths };

export const covenantInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('max_leverage'), threshold: ratioThreshold, ...testing }),
  z.object({ kind: z.literal('min_dscr'), threshold: ratioThreshold, ...testing }),
  z.object({
    kind: z.literal('min_liquidity'),
    threshold: centsField({ min: 1n, max: MAX_ENTRY_CENTS }),
    ...testing,
  }),
]);
export type CovenantInput = z.infer<typeof covenantInputSchema>;

const signedAmount = centsField({ min: -MAX_ENTRY_CENTS, max: MAX_ENTRY_CENTS });
const nonNegativeAmount = centsField({ min: 0n, max: MAX_ENTRY_CENTS });
export const financialsRowSchema = z.object({
  companyId: slug,
  periodEnd: isoDate,
  ebitda: signedAmount,
  netDebt: signedAmount,
  cfads: signedAmount,
  debtService: nonNegativeAmount,
  liquidity: nonNegativeAmount,
});
/** One period or a whole file's rows: all are recorded, or none. */
export const financialsInputSchema = z.object({ rows: z.array(financialsRowSchema).min(1).max(1000) });
export type FinancialsInput = z.infer<typeof financialsInputSchema>;

/**
 * A period's figures again, corrected, with why: a new version; the one before stays as evidence.
 * `replacesVersion` is the version the corrector saw: a correction made meanwhile is not silently overtaken.
 */
export const financialsCorrectionSchema = financialsRowSchema.extend({
  reason: reasonField,
  replacesVersion: z.number().int().min(1).max(1_000_000),
});
export type FinancialsCorrection = z.infer<typeof financialsCorrectionSchema>;

export const watchlistActionInputSchema = z.strictObject({
  covenantId: recordId,
  testOn: isoDate,
  action: z.enum(WATCHLIST_ACTIONS),
  /** The credit question the committee approved for this action on this breach. */
  questionId: recordId,
  note: reasonField,
});
export type WatchlistActionInput = z.infer<typeof watchlistActionInputSchema>;

export const asOfQuerySchema = z.object({ asOf: isoDate.optional() });

export async function addCovenant(
  ctx: AppContext,
  actor: Actor,
  key: string,
  facilityId: string,
  input: CovenantInput,
) {
  authorize(actor, 'credit.write');
  return runWrite(
    ctx,
    {
      actor,
      action: 'credit.covenant.add',
      key,
      request: { facilityId, ...input },
      subject: `facility:${facilityId}`,
    },
    async (tx) => {
      if (!(await lockFacility(tx, facilityId)))
        throw new KeelError('not_found', `no facility "${facilityId}"`);
      const row = await insertCovenant(tx, {
        facility_id: facilityId,
        kind: input.kind,
        threshold: input.threshold,
        first_test_on: input.firstTestOn,
        every_months: input.everyMonths,
        created_by: actor.id,
      });
      return { result: { id: row.id, facilityId, kind: input.kind } };
    },
  );
}

export async function recordFinancials(ctx: AppContext, actor: Actor, key: string, input: FinancialsInput) {
  authorize(actor, 'credit.write');
  const seen = new Set<string>();
  for (const [i, r] of input.rows.entries()) {
    const id = `${r.companyId} ${r.periodEnd}`;
    if (seen.has(id)) throw new KeelError('invalid_rows', `row ${i + 1}: ${id} appears twice`);
    seen.add(id);
  }
  const companyIds = [...new Set(input.rows.map((r) => r.companyId))];
  return runWrite(
    ctx,
    {
      actor,
      action: 'credit.financials.record',
      key,
      request: input,
      subject: companyIds.length === 1 ? `company:${companyIds[0]}` : `companies:${companyIds.length}`,
    },
    async (tx) => {
      for (const id of companyIds) {
        if (!(await companyRow(tx, id))) throw new KeelError('unknown_company', `no company "${id}"`);
      }
      const taken = new Set(
        (await existingFinancials(tx, companyIds)).map((r) => `${r.company_id} ${String(r.period_end)}`),
      );
      const clash = input.rows.find((r) => taken.has(`${r.companyId} ${r.periodEnd}`));
      if (clash) {
        throw new KeelError(
          'duplicate_id',
          `financials of ${clash.companyId} for the period ending ${clash.periodEnd} are already recorded: correct them (a new version, with the reason) instead`,
        );
      }
      await insertFinancials(
        tx,
        input.rows.map((r) => ({
          company_id: r.companyId,
          period_end: r.periodEnd,
          ebitda_cents: r.ebitda,
          net_debt_cents: r.netDebt,
          cfads_cents: r.cfads,
          debt_service_cents: r.debtService,
          liquidity_cents: r.liquidity,
          recorded_by: actor.id,
        })),
      );
      return { result: { recorded: input.rows.length } };
    },
  );
}

type CovenantRow = Awaited<ReturnType<typeof covenantRows>>[number];
const asCovenant = (r: {
  id: bigint;
  kind: string;
  threshold: bigint;
  first_test_on: string;
  every_months: number;
}): Covenant => ({
  id: BigInt(r.id),
  kind: r.kind as CovenantKind,
  threshold: BigInt(r.threshold),
  firstTestOn: String(r.first_test_on),
  everyMonths: r.every_months,
});

/**
 * Corrects a period's financials: its next version, with the reason. The covenant tests read the latest
 * version; a view as of an earlier day reads the version known then. An action the committee took on a breach
 * stays recorded even when a correction clears the breach.
 */
export async function correctFinancials(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: FinancialsCorrection,
) {
  authorize(actor, 'credit.financials.correct');
  return runWrite(
    ctx,
    {
      actor,
      action: 'credit.financials.correct',
      key,
      request: input,
      subject: `company:${input.companyId}`,
    },
    async (tx) => {
      const latest = await latestFinancials(tx, input.companyId, input.periodEnd);
      if (!latest)
        throw new KeelError(
          'not_found',
          `no financials of ${input.companyId} for the period ending ${input.periodEnd} to correct: record them first`,
        );
      if (latest.version !== input.replacesVersion)
        throw new KeelError(
          'conflict',
          `version ${latest.version} of these financials is the latest, not ${input.replacesVersion}: read it and correct that one`,
        );
      if (latest.recorded_by === actor.id)
        throw new KeelError(
          'separation_of_duties',
          'four eyes: you recorded these figures; someone else in risk & compliance corrects them',
        );
      const version = latest.version + 1;
      await insertFinancials(tx, [
        {
          company_id: input.companyId,
          period_end: input.periodEnd,
          ebitda_cents: input.ebitda,
          net_debt_cents: input.netDebt,
          cfads_cents: input.cfads,
          debt_service_cents: input.debtService,
          liquidity_cents: input.liquidity,
          recorded_by: actor.id,
          version,
          correction_reason: input.reason,
        },
      ]);
      return { result: { companyId: input.companyId, periodEnd: input.periodEnd, version } };
    },
  );
}

async function financialsByCompany(db: Kysely<Schema>, companyIds: string[]) {
  const byCompany = new Map<string, Map<string, Financials>>();
  for (const r of await financialsOf(db, companyIds)) {
    const periodEnd = String(r.period_end);
    const map = byCompany.get(r.company_id) ?? new Map<string, Financials>();
    map.set(periodEnd, {
      periodEnd,
      ebitda: r.ebitda_cents,
      netDebt: r.net_debt_cents,
      cfads: r.cfads_cents,
      debtService: r.debt_service_cents,
      liquidity: r.liquidity_cents,
    });
    byCompany.set(r.company_id, map);
  }
  return byCompany;
}

export interface WatchlistActionView {
  id: bigint;
  action: (typeof WATCHLIST_ACTIONS)[number];
  /** Actions recorded before credit questions name the deal decision they cited. */
  committeeDecisionId: bigint | null;
  questionId: bigint | null;
  note: string;
  recordedBy: string;
  recordedAt: string;
}

interface TestedCovenant {
  row: CovenantRow;
  covenant: Covenant;
  tests: Array<CovenantTest & { action: WatchlistActionView | null }>;
}

async function testedCovenants(
  db: Kysely<Schema>,
  asOf: string,
  facilityId?: string,
  options: { actionsRecordedBy?: string } = {},
): Promise<TestedCovenant[]> {
  const rows = await covenantRows(db, facilityId);
  // The latest financials of every period (figures for a quarter arrive after it ends).
  const financials = await financialsByCompany(db, [...new Set(rows.map((r) => r.company_id))]);
  const actions = new Map<string, WatchlistActionView>();
  for (const a of await watchlistActions(
    db,
    rows.map((r) => BigInt(r.id)),
  )) {
    // A report as of a day counts only the actions recorded by then: one taken later did not clear the breach.
    const recordedOn = new Date(a.recorded_at).toISOString().slice(0, 10); // a UTC day, as dates are
    if (options.actionsRecordedBy && recordedOn > options.actionsRecordedBy) continue;
    actions.set(`${a.covenant_id} ${String(a.test_on)}`, {
      id: a.id,
      action: a.action as WatchlistActionView['action'],
      committeeDecisionId: a.committee_decision_id,
      questionId: a.credit_question_id,
      note: a.note,
      recordedBy: a.recorded_by,
      recordedAt: String(a.recorded_at),
    });
  }
  return rows.map((row) => {
    const covenant = asCovenant(row);
    const tests = covenantTests(covenant, financials.get(row.company_id) ?? new Map(), asOf).map((t) => ({
      ...t,
      action: actions.get(`${row.id} ${t.testOn}`) ?? null,
    }));
    return { row, covenant, tests };
  });
}

/** A facility's covenants with every test up to `asOf` (default today) and the committee's actions. */
export async function facilityCovenants(
  ctx: AppContext,
  actor: Actor,
  facilityId: string,
  query: z.infer<typeof asOfQuerySchema> = {},
) {
  authorize(actor, 'credit.read');
  const db = ctx.database.db;
  if (!(await facilityRow(db, facilityId))) throw new KeelError('not_found', `no facility "${facilityId}"`);
  const asOf = query.asOf ?? today();
  const tested = await testedCovenants(db, asOf, facilityId);
  return {
    facilityId,
    asOf,
    covenants: tested.map(({ row, covenant, tests }) => ({
      id: covenant.id,
      kind: covenant.kind,
      threshold: covenant.threshold,
      firstTestOn: covenant.firstTestOn,
      everyMonths: covenant.everyMonths,
      companyId: row.company_id,
      companyName: row.company_name,
      tests,
    })),
  };
}

/** A breach stays on the watchlist unless the committee waived it or amended the facility for it. */
const clears = (action: WatchlistActionView | null) =>
  action !== null && (action.action === 'waiver' || action.action === 'amendment');

/** Obligors with covenant breaches still open (or accelerated) as of `asOf`, by name. */
/** The watchlist as of a day; `actionsRecordedBy` leaves out the committee's actions recorded after it. */
export async function watchlistAsOf(
  db: Kysely<Schema>,
  asOf: string,
  options: { actionsRecordedBy?: string } = {},
) {
  const tested = await testedCovenants(db, asOf, undefined, options);
  const byObligor = new Map<
    string,
    {
      companyId: string;
      companyName: string;
      breaches: Array<{
        covenantId: bigint;
        kind: CovenantKind;
        threshold: bigint;
        facilityId: string;
        dealId: string;
        dealName: string | null;
        testOn: string;
        actual: string | null;
        reason: string;
        action: WatchlistActionView | null;
      }>;
    }
  >();
  for (const { row, covenant, tests } of tested) {
    for (const t of tests) {
      if (t.status !== 'breach' || clears(t.action)) continue;
      const entry = byObligor.get(row.company_id) ?? {
        companyId: row.company_id,
        companyName: row.company_name,
        breaches: [],
      };
      entry.breaches.push({
        covenantId: covenant.id,
        kind: covenant.kind,
        threshold: covenant.threshold,
        facilityId: row.facility_id,
        dealId: row.deal_id,
        dealName: row.deal_name,
        testOn: t.testOn,
        actual: t.actual,
        reason: t.reason,
        action: t.action,
      });
      byObligor.set(row.company_id, entry);
    }
  }
  const obligors = [...byObligor.values()].sort((a, b) => a.companyName.localeCompare(b.companyName));
  return { asOf, count: obligors.length, obligors };
}

export async function watchlist(ctx: AppContext, actor: Actor, query: z.infer<typeof asOfQuerySchema> = {}) {
  authorize(actor, 'credit.read');
  return watchlistAsOf(ctx.database.db, query.asOf ?? today());
}

/**
 * Locks the covenant and re-runs its test at `testOn`: it must be a breach now (a question about it, and the
 * action that applies it, rest on the same check the watchlist shows).
 */
export async function lockBreach(tx: Transaction<Schema>, covenantId: bigint, testOn: string) {
  const row = await lockCovenant(tx, covenantId);
  if (!row) throw new KeelError('not_found', `no covenant ${covenantId}`);
  const covenant = asCovenant(row);
  const financials = await financialsByCompany(tx, [row.company_id]);
  const scheduled = covenantTests(covenant, new Map(), testOn).some((t) => t.testOn === testOn);
  const test = testCovenant(covenant, testOn, financials.get(row.company_id)?.get(testOn));
  if (!scheduled || test.status !== 'breach') {
    throw new KeelError(
      'invalid_value',
      `covenant ${covenantId} has no breach at ${testOn} (${scheduled ? test.status.replace('_', ' ') : 'not a test date'})`,
    );
  }
  const existing = await watchlistActions(tx, [covenant.id]);
  const acted = existing.find((a) => String(a.test_on) === testOn);
  return { row, covenant, acted };
}

/**
 * Records the committee's action on one breach: the test must be a breach when re-run now, and the action
 * must be what an approved, unused credit question about this breach asked for.
 */
export async function recordWatchlistAction(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: WatchlistActionInput,
) {
  authorize(actor, 'credit.write');
  return runWrite(
    ctx,
    {
      actor,
      action: 'credit.watchlist.act',
      key,
      request: input,
      subject: `covenant:${input.covenantId}`,
    },
    async (tx) => {
      const { row, covenant, acted } = await lockBreach(tx, input.covenantId, input.testOn);
      const question = await lockQuestion(tx, input.questionId);
      assertQuestionApplies(question, input.questionId, {
        facilityId: row.facility_id,
        kind: KIND_OF_ACTION[input.action],
        covenantId: covenant.id,
        testOn: input.testOn,
      });
      // The committee voted on the figures as they stood: a correction since then is another breach.
      const figures = await latestFinancials(tx, row.company_id, input.testOn);
      if (figures && question && new Date(figures.recorded_at) > new Date(question.putAt))
        throw new KeelError(
          'conflict',
          `the financials tested at ${input.testOn} were corrected (version ${figures.version}) after credit question ${input.questionId} was put: put the breach to the committee again`,
        );
      if (acted) {
        throw new KeelError(
          'conflict',
          `the breach of covenant ${covenant.id} at ${input.testOn} is already acted on`,
        );
      }
      const inserted = await insertWatchlistAction(tx, {
        covenant_id: covenant.id,
        test_on: input.testOn,
        action: input.action,
        credit_question_id: input.questionId,
        note: input.note,
        recorded_by: actor.id,
      });
      return {
        result: {
          id: inserted.id,
          covenantId: covenant.id,
          testOn: input.testOn,
          action: input.action,
          questionId: input.questionId,
        },
      };
    },
  );
}
