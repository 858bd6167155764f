/**
 * The programme's aggregates for the public side (research analysts, the external council): built from
 * each deal's net commitments so that every figure knows how many deals add up to it, then passed through
 * small-cell suppression (domain/disclosure.ts) with the programme file's minimum cell size.
 */
import { sql } from 'kysely';
import type { IsoDate } from '../domain/fields.ts';
import type { Instrument } from '../domain/instruments.ts';
import type { Cents } from '../domain/money.ts';
import { type DealCommitment, type PublicProgrammeSummary, publicSummary } from '../domain/public-summary.ts';
import { authorize, PRIVATE_SIDE } from '../domain/roles.ts';
import type { Stage } from '../domain/stages.ts';
import type { Actor, AppContext } from './context.ts';
import { currentProgramme } from './programme.ts';
import { publicRecordSummary } from './public-record/read.ts';

/** Net commitments per deal and year, from the ledger (the kept totals have no deal in them). */
const dealCommitments = (asOf?: IsoDate) => sql<{
  deal_id: string;
  instrument: string;
  classification: string;
  sub_area_id: string;
  area_id: string;
  year: number;
  net: bigint;
}>`
  SELECT d.id AS deal_id, d.instrument, d.classification, d.sub_area_id, s.area_id,
         extract(year FROM e.effective_on)::int AS year,
         sum(CASE WHEN e.kind = 'commitment' THEN e.amount_cents::numeric ELSE -e.amount_cents::numeric END)::bigint AS net
  FROM ledger_entries e
  JOIN deals d ON d.id = e.deal_id
  JOIN sub_areas s ON s.id = d.sub_area_id
  WHERE e.kind IN ('commitment', 'cancellation')${asOf ? sql` AND e.effective_on <= ${asOf}` : sql``}
  GROUP BY 1, 2, 3, 4, 5, 6
  HAVING sum(CASE WHEN e.kind = 'commitment' THEN e.amount_cents::numeric ELSE -e.amount_cents::numeric END) <> 0`;

/** True for roles on the public side of the information barrier: they see suppressed aggregates. */
export const seesSuppressedFigures = (actor: Actor) => !PRIVATE_SIDE.has(actor.role);

/** The public side's programme aggregates (as of a date: entries effective on or before it): no figure that fewer than k deals add up to. */
export async function publicAggregates(
  ctx: AppContext,
  actor: Actor,
  asOf?: IsoDate,
): Promise<PublicProgrammeSummary> {
  authorize(actor, 'programme.aggregates');
  const { db } = ctx.database;
  const [current, commitments, pipeline, publicRecord] = await Promise.all([
    currentProgramme(db),
    dealCommitments(asOf).execute(db),
    db.selectFrom('deals').select(['id', 'stage', 'sub_area_id', 'amount_cents']).execute(),
    // Public reports only: the record's figures are what the press printed, not the ledger's.
    publicRecordSummary(db, asOf),
  ]);
  const summary = publicSummary(
    current.programme,
    { version: current.version, methodologyVersion: current.methodologyVersion },
    commitments.rows.map(
      (r): DealCommitment => ({
        dealId: r.deal_id,
        instrument: r.instrument as Instrument,
        classification: r.classification as DealCommitment['classification'],
        subAreaId: r.sub_area_id,
        areaId: r.area_id,
        year: Number(r.year),
        netCommitted: BigInt(r.net) as Cents,
      }),
    ),
    pipeline.map((d) => ({
      dealId: d.id,
      stage: d.stage as Stage,
      subAreaId: d.sub_area_id,
      amount: d.amount_cents as Cents,
    })),
    current.programme.disclosure,
  );
  // Which reported deals the ledger books is a ledger fact: not for the public side.
  return { ...summary, publicRecord: { ...publicRecord, booked: null } };
}
