import {
  keptCommitmentAggregate,
  ledgerCommitmentAggregate,
  replaceCommitmentTotals,
} from '../db/commitments-repo.ts';
import { dealsByStage } from '../db/deals-repo.ts';
import { holdLedgerWriters, replaceDealBalances } from '../db/ledger-repo.ts';
import { keptCapUsage } from '../db/programme-repo.ts';
import { totalCents, ZERO } from '../domain/money.ts';
import { type CapUsage, compareCapKeys, type Programme } from '../domain/programme.ts';
import { authorize } from '../domain/roles.ts';
import { type CommitmentRow, type ProgrammeSummary, summarise } from '../domain/summary.ts';
import { ledgerCapUsage } from './cap-usage.ts';
import type { Actor, AppContext } from './context.ts';
import { currentProgramme } from './programme.ts';
import { publicRecordSummary } from './public-record/read.ts';

/** Each cap's usage recomputed from the ledger, up to a date (without one: all of it, what cap_usage keeps). */
export async function capUsageAsOf(ctx: AppContext, programme: Programme, asOf?: string) {
  const used = new Map<string, CapUsage>();
  // Programme-wide caps are listed even before anything draws on them.
  for (const cap of programme.caps.filter((c) => c.scope === 'programme'))
    used.set(`${cap.id}\u0000*`, { capId: cap.id, scopeKey: '*', limit: cap.limit, used: ZERO });
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
    asOf === undefined
      ? keptCommitmentAggregate(db).execute()
      : ledgerCommitmentAggregate(db, asOf).execute(),
    dealsByStage(db),
    !caps ? [] : asOf === undefined ? keptCapUsage(db) : capUsageAsOf(ctx, current.programme, asOf),
    publicRecordSummary(db, asOf),
  ]);
  const rows: CommitmentRow[] = commitments.map((r) => ({
    instrument: r.instrument,
    classification: r.classification,
    subAreaId: r.sub_area_id,
    areaId: r.area_id,
    year: r.year,
    netCommitted: totalCents(BigInt(r.net)),
  }));
  const summary = summarise(
    current.programme,
    { version: current.version, methodologyVersion: current.methodologyVersion },
    rows,
    stages.map((s) => ({
      stage: s.stage,
      deals: Number(s.deals),
      amount: totalCents(BigInt(s.amount)),
    })),
    capRows,
  );
  return { ...summary, publicRecord };
}

const keyOf = (r: { instrument: string; classification: string; sub_area_id: string; year: number }) =>
  `${r.instrument}|${r.classification}|${r.sub_area_id}|${r.year}`;

/** Rows where the kept totals differ from the ledger (empty when they agree, as they always should). */
export async function commitmentTotalsMismatches(
  ctx: AppContext,
): Promise<Array<{ key: string; totals: bigint; ledger: bigint }>> {
  const [kept, truth] = await Promise.all([
    keptCommitmentAggregate(ctx.database.db).execute(),
    ledgerCommitmentAggregate(ctx.database.db).execute(),
  ]);
  const totals = new Map(kept.map((r) => [keyOf(r), BigInt(r.net)]));
  const ledger = new Map(truth.map((r) => [keyOf(r), BigInt(r.net)]));
  return [...new Set([...totals.keys(), ...ledger.keys()])]
    .filter((key) => totals.get(key) !== ledger.get(key))
    .map((key) => ({ key, totals: totals.get(key) ?? 0n, ledger: ledger.get(key) ?? 0n }));
}

/**
 * Recomputes the tables kept beside the ledger (net commitment totals, deal balances) from it, after a bulk
 * load that bypassed the use cases, or a repair.
 */
export async function rebuildKeptTotals(ctx: AppContext, actor: Actor): Promise<void> {
  authorize(actor, 'programme.load');
  await ctx.database.db.transaction().execute(async (tx) => {
    await holdLedgerWriters(tx);
    await replaceCommitmentTotals(tx);
    await replaceDealBalances(tx);
  });
}
