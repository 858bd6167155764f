/** Reshoring metrics from the USGS MCS 2025 release (US and world production) and the capacity the portfolio's deals add. */
import { z } from 'zod';
import { slug } from '../../domain/fields.ts';
import { reshoringSeries } from '../../domain/reshoring.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';
import { lockDeal } from '../deals.ts';
import { reshoringFromRelease } from '../research/materials.ts';
import { runWrite } from '../write.ts';

export const capacityInputSchema = z.object({
  dealId: slug,
  materialId: slug,
  capacity: z.number().positive().max(1e12),
  unit: z.string().min(1).max(100),
  onlineYear: z.number().int().min(2000).max(2100),
  source: z.string().min(1).max(2000),
});

export async function addCapacity(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: z.infer<typeof capacityInputSchema>,
) {
  authorize(actor, 'deals.write');
  return (
    await runWrite(
      ctx,
      { actor, action: 'reshoring.capacity', key, request: input, subject: `deal:${input.dealId}` },
      async (tx) => {
        await lockDeal(tx, input.dealId);
        const row = await tx
          .insertInto('capacity_additions')
          .values({
            deal_id: input.dealId,
            material_id: input.materialId,
            capacity: String(input.capacity),
            unit: input.unit,
            online_year: input.onlineYear,
            source: input.source,
            created_by: actor.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { result: { id: row.id } };
      },
    )
  ).result;
}

/** Domestic share per material, observed and projected with the portfolio's additions (aggregates only). */
export async function reshoringReport(ctx: AppContext, actor: Actor, untilYear = 2035) {
  authorize(actor, 'programme.aggregates');
  const series = reshoringFromRelease();
  const additions = await ctx.database.db.selectFrom('capacity_additions').selectAll().execute();
  return {
    source:
      'U.S. Geological Survey, Mineral Commodity Summaries 2025 Data Release (doi:10.5066/P13XCP3R): US and world production by the world table (2023 and 2024e), derived by code; each material names its rows',
    assumption:
      'world production held at the last observed year; each addition at full capacity from its online year',
    materials: series.map((s) => ({
      material: s.material,
      unit: s.unit,
      stage: s.stage,
      source: s.source,
      portfolioCapacity: additions
        .filter((a) => a.material_id === s.material)
        .reduce((t, a) => t + Number(a.capacity), 0),
      ...reshoringSeries(
        s.years,
        additions
          .filter((a) => a.material_id === s.material && a.unit === s.unit)
          .map((a) => ({ dealId: a.deal_id, capacity: Number(a.capacity), onlineYear: a.online_year })),
        untilYear,
      ),
    })),
  };
}
