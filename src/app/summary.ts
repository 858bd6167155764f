import { sql } from 'kysely';
import type { Instrument } from '../domain/instruments.ts';
import type { Cents } from '../domain/money.ts';
import { authorize } from '../domain/roles.ts';
import type { Stage } from '../domain/stages.ts';
import { type CommitmentRow, type ProgrammeSummary, summarise } from '../domain/summary.ts';
import type { Actor, AppContext } from './context.ts';
import { currentProgramme } from './programme.ts';

/**
 * The bare aggregate behind the summary: net commitments by instrument, classification, sub-area and year.
 * Exported so the API benchmark can time it against the endpoint.
 */
export const COMMITMENT_AGGREGATE = sql<{
  instrument: string;
  classification: string;
  sub_area_id: string;
  area_id: string;
  year: number;
  net: bigint;
}>`
  SELECT d.instrument, d.classification, d.sub_area_id, s.area_id,
         extract(year FROM e.effective_on)::int AS year,
         sum(CASE WHEN e.kind = 'commitment' THEN e.amount_cents ELSE -e.amount_cents END)::bigint AS net
  FROM ledger_entries e
  JOIN deals d ON d.id = e.deal_id
  JOIN sub_areas s ON s.id = d.sub_area_id
  WHERE e.kind IN ('commitment', 'cancellation')
  GROUP BY 1, 2, 3, 4, 5`;

/** The full summary, private side: per-company cap usage names counterparties. */
export async function programmeSummary(ctx: AppContext, actor: Actor): Promise<ProgrammeSummary> {
  authorize(actor, 'programme.detail');
  return buildSummary(ctx);
}

/**
 * What public-side users and the external council may see: totals by year, area, sub-area, instrument and
 * stage, and programme-wide caps. Company-scoped rows are removed, because a company's name in a cap row
 * reveals a counterparty.
 */
export async function programmeAggregates(ctx: AppContext, actor: Actor): Promise<ProgrammeSummary> {
  authorize(actor, 'programme.aggregates');
  const [summary, { programme }] = await Promise.all([buildSummary(ctx), currentProgramme(ctx.database.db)]);
  const companyScoped = new Set(programme.caps.filter((c) => c.scope === 'company').map((c) => c.id));
  return { ...summary, caps: summary.caps.filter((c) => !companyScoped.has(c.capId)) };
}

async function buildSummary(ctx: AppContext): Promise<ProgrammeSummary> {
  const { db } = ctx.database;
  const current = await currentProgramme(db);
  const [commitments, stages, caps] = await Promise.all([
    COMMITMENT_AGGREGATE.execute(db),
    sql<{ stage: Stage; deals: bigint; amount: bigint }>`
      SELECT stage, count(*)::bigint AS deals, sum(amount_cents)::bigint AS amount FROM deals GROUP BY stage`.execute(
      db,
    ),
    db.selectFrom('cap_usage').selectAll().orderBy('cap_id').orderBy('scope_key').execute(),
  ]);
  const rows: CommitmentRow[] = commitments.rows.map((r) => ({
    instrument: r.instrument as Instrument,
    classification: r.classification as CommitmentRow['classification'],
    subAreaId: r.sub_area_id,
    areaId: r.area_id,
    year: r.year,
    netCommitted: r.net as Cents,
  }));
  return summarise(
    current.programme,
    { version: current.version, methodologyVersion: current.methodologyVersion },
    rows,
    stages.rows.map((s) => ({ stage: s.stage, deals: Number(s.deals), amount: s.amount as Cents })),
    caps.map((c) => ({
      capId: c.cap_id,
      scopeKey: c.scope_key,
      limit: c.limit_cents as Cents,
      used: c.used_cents as Cents,
    })),
  );
}
