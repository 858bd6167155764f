/**
 * The programme's aggregates for the public side (research analysts, the external council): built from
 * each deal's net commitments so that every figure knows how many deals add up to it, then passed through
 * small-cell suppression (domain/disclosure.ts) with the programme file's minimum cell size.
 */
import { dealCommitmentsByYear } from '../db/commitments-repo.ts';
import { dealFigures } from '../db/deals-repo.ts';
import type { IsoDate } from '../domain/fields.ts';
import { totalCents } from '../domain/money.ts';
import { type DealCommitment, type PublicProgrammeSummary, publicSummary } from '../domain/public-summary.ts';
import { authorize, PRIVATE_SIDE } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';
import { currentProgramme } from './programme.ts';
import { publicRecordSummary } from './public-record/read.ts';

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
    dealCommitmentsByYear(db, asOf),
    dealFigures(db),
    // Public reports only: the record's figures are what the press printed, not the ledger's.
    publicRecordSummary(db, asOf),
  ]);
  const summary = publicSummary(
    current.programme,
    { version: current.version, methodologyVersion: current.methodologyVersion },
    commitments.map(
      (r): DealCommitment => ({
        dealId: r.deal_id,
        instrument: r.instrument,
        classification: r.classification,
        subAreaId: r.sub_area_id,
        areaId: r.area_id,
        year: Number(r.year),
        netCommitted: totalCents(BigInt(r.net)),
      }),
    ),
    pipeline.map((d) => ({
      dealId: d.id,
      stage: d.stage,
      subAreaId: d.sub_area_id,
      amount: d.amount_cents,
    })),
    current.programme.disclosure,
  );
  // Which reported deals the ledger books is a ledger fact: not for the public side.
  return { ...summary, publicRecord: { ...publicRecord, booked: null } };
}
