/** Reshoring metrics from data/governance/reshoring.json and the capacity the portfolio's deals add. */
import { join } from 'node:path';
import { z } from 'zod';
import { slug } from '../../domain/fields.ts';
import { reshoringSeries } from '../../domain/reshoring.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';
import { DATA_DIR, readJson } from '../data-files.ts';
import { lockDeal } from '../deals.ts';
import { runWrite } from '../write.ts';

const fileSchema = z.object({
  source: z.string(),
  series: z.array(
    z.object({
      material: z.string(),
      unit: z.string(),
      checked: z.boolean(),
      years: z.array(
        z.object({ year: z.number().int(), us: z.number().min(0), world: z.number().positive() }),
      ),
    }),
  ),
});

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
  const file = fileSchema.parse(readJson(join(DATA_DIR, 'governance', 'reshoring.json')));
  const additions = await ctx.database.db.selectFrom('capacity_additions').selectAll().execute();
  return {
    source: file.source,
    assumption:
      'world production held at the last observed year; each addition at full capacity from its online year',
    materials: file.series.map((s) => ({
      material: s.material,
      unit: s.unit,
      checked: s.checked,
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
