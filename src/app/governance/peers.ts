/**
 * Peers and competing programmes: a register read from data/governance/peer-programmes.json (each entry with
 * its source), and crowding per sub-area: how many peers work there and how much published capital they bring
 * (spread evenly over their sub-areas and years, an explicit simplification) against Keel's open pipeline.
 */
import { join } from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import { parseDollars } from '../../domain/money.ts';
import { publicPipeline } from '../../domain/public-pipeline.ts';
import { authorize } from '../../domain/roles.ts';
import { OPEN_STAGES } from '../../domain/stages.ts';
import type { Actor, AppContext } from '../context.ts';
import { DATA_DIR, readJson } from '../data-files.ts';
import { currentProgramme } from '../programme.ts';
import { seesSuppressedFigures } from '../public-aggregates.ts';

const programmeSchema = z.object({
  id: z.string(),
  name: z.string(),
  sponsor: z.string(),
  kind: z.enum(['bank', 'fund', 'sovereign', 'government']),
  size: z.string().nullable(),
  startYear: z.number().int(),
  horizonYears: z.number().int().positive().nullable(),
  subAreas: z.array(z.string()).min(1),
  source: z.string().min(1),
});

export function peerProgrammes() {
  return z
    .object({ programmes: z.array(programmeSchema) })
    .parse(readJson(join(DATA_DIR, 'governance', 'peer-programmes.json')))
    .programmes.map((p) => ({ ...p, sizeCents: p.size === null ? null : parseDollars(p.size) }));
}

/** Open pipeline by sub-area: exact for the private side; for the public side, null where fewer than k deals. */
async function openPipelineBySubArea(ctx: AppContext, actor: Actor): Promise<Map<string, bigint | null>> {
  if (seesSuppressedFigures(actor)) {
    const [deals, { programme }] = await Promise.all([
      ctx.database.db.selectFrom('deals').select(['id', 'stage', 'sub_area_id', 'amount_cents']).execute(),
      currentProgramme(ctx.database.db),
    ]);
    const figures = publicPipeline(
      deals.map((d) => ({
        dealId: d.id,
        stage: d.stage,
        subAreaId: d.sub_area_id,
        amount: d.amount_cents,
      })),
      programme.disclosure,
    ).openBySubArea;
    // A hidden sub-area is not listed for its own sake: its presence would say it has open deals.
    return new Map([...figures].filter(([, f]) => f !== null).map(([id, f]) => [id, f?.amount ?? null]));
  }
  const pipeline = await sql<{ sub_area_id: string; amount: string }>`
    SELECT sub_area_id, sum(amount_cents) AS amount FROM deals
    WHERE stage = ANY(${OPEN_STAGES}::text[]) GROUP BY sub_area_id`.execute(ctx.database.db);
  return new Map(pipeline.rows.map((r) => [r.sub_area_id, BigInt(r.amount)]));
}

export async function peerOverlap(ctx: AppContext, actor: Actor) {
  authorize(actor, 'programme.aggregates');
  const peers = peerProgrammes();
  const ours = await openPipelineBySubArea(ctx, actor);
  const shown = seesSuppressedFigures(actor) ? (subAreaId: string) => ours.has(subAreaId) : () => true;
  const subAreas = [...new Set([...peers.flatMap((p) => p.subAreas), ...ours.keys()])].sort();
  const overlap = subAreas.map((subAreaId) => {
    const present = peers.filter((p) => p.subAreas.includes(subAreaId));
    // Published capital a year, spread evenly over a programme's sub-areas (floats: an indicator, not money).
    const peerPerYear = present.reduce(
      (s, p) =>
        s +
        (p.sizeCents === null || p.horizonYears === null
          ? 0
          : Number(p.sizeCents) / 100 / p.horizonYears / p.subAreas.length),
      0,
    );
    const pipelineDollars = Number(ours.get(subAreaId) ?? 0n) / 100;
    // For the public side a sub-area not shown may be empty or hidden: neither reads as zero.
    const known = shown(subAreaId);
    return {
      subAreaId,
      peers: present.map((p) => p.id),
      peerCapitalPerYear: peerPerYear,
      ourOpenPipeline: known ? pipelineDollars : null,
      crowding: known && pipelineDollars > 0 ? peerPerYear / pipelineDollars : null,
    };
  });
  return { programmes: peers, overlap };
}
