import { sql } from 'kysely';
import type { Instrument } from '../domain/instruments.ts';
import type { Cents } from '../domain/money.ts';
import { type CapUsage, compareCapKeys, type Programme } from '../domain/programme.ts';
import { authorize } from '../domain/roles.ts';
import type { Stage } from '../domain/stages.ts';
import { type CommitmentRow, type ProgrammeSummary, summarise } from '../domain/summary.ts';
import { ledgerCapUsage } from './cap-usage.ts';
import type { Actor, AppContext } from './context.ts';
import { currentProgramme } from './programme.ts';
import { publicRecordSummary } from './public-record/read.ts';

type AggregateRow = {
  instrument: string;
  classification: string;
  sub_area_id: string;
  area_id: string;
  year: number;
  /** int8 from the kept totals; numeric text from a sum over the ledger, which int8 could not hold. */
  net: bigint | string;
};

/**
 * The bare SQL the summary runs: net commitments by instrument, classification, sub-area and year, read
 * from the totals the ledger keeps in step with every write (exported for the API benchmark).
 */
export const COMMITMENT_AGGREGATE = sql<AggregateRow>`
  SELECT t.instrument, t.classification, t.sub_area_id, s.area_id, t.year, t.net_cents AS net
  FROM commitment_totals t JOIN sub_areas s ON s.id = t.sub_area_id
  WHERE t.net_cents <> 0`;

/**
 * The same figures aggregated from the ledger itself: the source of truth the totals must always equal.
 * With `asOf`, only entries effective on or before that date (a report at a quarter's end).
 */
export const ledgerCommitmentAggregate = (asOf?: string) => sql<AggregateRow>`
  SELECT d.instrument, d.classification, d.sub_area_id, s.area_id,
         extract(year FROM e.effective_on)::int AS year,
         sum(CASE WHEN e.kind = 'commitment' THEN e.amount_cents ELSE -e.amount_cents END) AS net
  FROM ledger_entries e
  JOIN deals d ON d.id = e.deal_id
  JOIN sub_areas s ON s.id = d.sub_area_id
  WHERE e.kind IN ('commitment', 'cancellation') AND (${asOf ?? null}::date IS NULL OR e.effective_on <= ${asOf ?? null}::date)
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(CASE WHEN e.kind = 'commitment' THEN e.amount_cents ELSE -e.amount_cents END) <> 0`;

/**
 * Net commitments per instrument, sub-area and company up to a date (without one: to now), from the ledger:
 * what the caps had used on that date (the cap rows the ledger keeps are the usage now).
 */
/** Each cap's usage recomputed from the ledger, up to a date (without one: all of it, what cap_usage keeps). */
export async function capUsageAsOf(ctx: AppContext, programme: Programme, asOf?: string) {
  const used = new Map<string, CapUsage>();
  // Programme-wide caps are listed even before anything draws on them.
  for (const cap of programme.caps.filter((c) => c.scope === 'programme'))
    used.set(`${cap.id}\u0000*`, { capId: cap.id, scopeKey: '*', limit: cap.limit, used: 0n as Cents });
  for (const row of await ledgerCapUsage(ctx.database.db, programme, asOf))
    used.set(`${row.capId}\u0000${row.scopeKey}`, row);
  return [...used.values()].filter((r) => r.scopeKey === '*' || r.used !== 0n).sort(compareCapKeys);
}

/** The full summary, private side: per-company cap usage names counterparties. */
export async function programmeSummary(
  ctx: AppContext,
  actor: Actor,
  asOf?: string,
  options: { caps?: boolean } = {},
): Promise<ProgrammeSummary> {
  authorize(actor, 'programme.detail');
  return buildSummary(ctx, asOf, options.caps ?? true);
}

/**
 * What public-side users and the external council may see: totals by year, area, sub-area, instrument and
 * stage, and programme-wide caps. Company-scoped rows are removed, because a company's name in a cap row
 * reveals a counterparty.
 */
export async function programmeAggregates(
  ctx: AppContext,
  actor: Actor,
  asOf?: string,
): Promise<ProgrammeSummary> {
  authorize(actor, 'programme.aggregates');
  const [summary, { programme }] = await Promise.all([
    buildSummary(ctx, asOf),
    currentProgramme(ctx.database.db),
  ]);
  const companyScoped = new Set(programme.caps.filter((c) => c.scope === 'company').map((c) => c.id));
  return { ...summary, caps: summary.caps.filter((c) => !companyScoped.has(c.capId)) };
}

/** `caps: false` leaves cap usage out (a past date's usage costs a pass over the ledger). */
async function buildSummary(ctx: AppContext, asOf?: string, caps = true): Promise<ProgrammeSummary> {
  const { db } = ctx.database;
  const current = await currentProgramme(db);
  const [commitments, stages, capRows, publicRecord] = await Promise.all([
    // The kept totals answer "now" in milliseconds; a past date is summed from the ledger itself.
    asOf === undefined ? COMMITMENT_AGGREGATE.execute(db) : ledgerCommitmentAggregate(asOf).execute(db),
    sql<{ stage: Stage; deals: bigint; amount: string }>`
      SELECT stage, count(*)::bigint AS deals, sum(amount_cents) AS amount FROM deals GROUP BY stage`.execute(
      db,
    ),
    !caps
      ? []
      : asOf === undefined
        ? db
            .selectFrom('cap_usage')
            .selectAll()
            .orderBy('cap_id')
            .orderBy('scope_key')
            .execute()
            .then((rows) =>
              rows.map((c) => ({
                capId: c.cap_id,
                scopeKey: c.scope_key,
                limit: c.limit_cents as Cents,
                used: c.used_cents as Cents,
              })),
            )
        : capUsageAsOf(ctx, current.programme, asOf),
    publicRecordSummary(db, asOf),
  ]);
  const rows: CommitmentRow[] = commitments.rows.map((r) => ({
    instrument: r.instrument as Instrument,
    classification: r.classification as CommitmentRow['classification'],
    subAreaId: r.sub_area_id,
    areaId: r.area_id,
    year: r.year,
    netCommitted: BigInt(r.net) as Cents,
  }));
  const summary = summarise(
    current.programme,
    { version: current.version, methodologyVersion: current.methodologyVersion },
    rows,
    stages.rows.map((s) => ({ stage: s.stage, deals: Number(s.deals), amount: BigInt(s.amount) as Cents })),
    capRows,
  );
  return { ...summary, publicRecord };
}

const keyOf = (r: AggregateRow) => `${r.instrument}|${r.classification}|${r.sub_area_id}|${r.year}`;

/** Rows where the kept totals differ from the ledger (empty when they agree, as they always should). */
export async function commitmentTotalsMismatches(
  ctx: AppContext,
): Promise<Array<{ key: string; totals: bigint; ledger: bigint }>> {
  const [kept, truth] = await Promise.all([
    COMMITMENT_AGGREGATE.execute(ctx.database.db),
    ledgerCommitmentAggregate().execute(ctx.database.db),
  ]);
  const totals = new Map(kept.rows.map((r) => [keyOf(r), BigInt(r.net)]));
  const ledger = new Map(truth.rows.map((r) => [keyOf(r), BigInt(r.net)]));
  return [...new Set([...totals.keys(), ...ledger.keys()])]
    .filter((key) => totals.get(key) !== ledger.get(key))
    .map((key) => ({ key, totals: totals.get(key) ?? 0n, ledger: ledger.get(key) ?? 0n }));
}

/** Recomputes the totals from the ledger (after a bulk load that bypassed the use cases, or a repair). */
export async function rebuildCommitmentTotals(ctx: AppContext, actor: Actor): Promise<void> {
  authorize(actor, 'programme.load');
  await ctx.database.db.transaction().execute(async (tx) => {
    await sql`LOCK TABLE commitment_totals IN EXCLUSIVE MODE`.execute(tx);
    await sql`DELETE FROM commitment_totals`.execute(tx);
    await sql`INSERT INTO commitment_totals (instrument, classification, sub_area_id, year, net_cents)
      SELECT instrument, classification, sub_area_id, year, net FROM (${ledgerCommitmentAggregate()}) AS ledger`.execute(
      tx,
    );
  });
}
