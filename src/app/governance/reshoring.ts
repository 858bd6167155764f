/** Reshoring metrics from the USGS MCS 2025 release (US and world production) and the capacity the portfolio's deals add. */
import { z } from 'zod';
import { capacityAdditions, insertCapacityAddition } from '../../db/governance-repo.ts';
import { slug } from '../../domain/fields.ts';
import { reshoringDisclosure } from '../../domain/public-reshoring.ts';
import { reshoringSeries } from '../../domain/reshoring.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';
import { lockDeal } from '../deals.ts';
import { currentProgramme } from '../programme.ts';
import { seesSuppressedFigures } from '../public-aggregates.ts';
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
  return runWrite(
    ctx,
    { actor, action: 'reshoring.capacity', key, request: input, subject: `deal:${input.dealId}` },
    async (tx) => {
      await lockDeal(tx, input.dealId);
      const id = await insertCapacityAddition(tx, { ...input, createdBy: actor.id });
      return { result: { id } };
    },
  );
}

/** Domestic share per material, observed and projected with the portfolio's additions (aggregates only). */
export async function reshoringReport(ctx: AppContext, actor: Actor, untilYear = 2035) {
  authorize(actor, 'programme.aggregates');
  const release = reshoringFromRelease();
  const [additions, { programme }] = await Promise.all([
    capacityAdditions(ctx.database.db),
    currentProgramme(ctx.database.db),
  ]);
  return {
    source:
      'U.S. Geological Survey, Mineral Commodity Summaries 2025 Data Release (doi:10.5066/P13XCP3R): US and world production by the world table (2023 and 2024e), derived by code; each material names its rows',
    disclosure: programme.disclosure,
    assumption:
      'world production held at the last observed year; each addition at full capacity from its online year',
    materials: release.map((s) => {
      const ofMaterial = additions.filter((a) => a.material_id === s.material);
      const series = reshoringSeries(
        s.years,
        ofMaterial
          .filter((a) => a.unit === s.unit)
          .map((a) => ({ dealId: a.deal_id, capacity: Number(a.capacity), onlineYear: a.online_year })),
        untilYear,
      );
      const about = { material: s.material, unit: s.unit, stage: s.stage, source: s.source };
      const portfolioCapacity = ofMaterial.reduce((t, a) => t + Number(a.capacity), 0);
      if (!seesSuppressedFigures(actor)) return { ...about, portfolioCapacity, ...series };
      // The public side: no capacity figure that fewer than k deals add.
      const shown = reshoringDisclosure(
        ofMaterial.map((a) => ({ dealId: a.deal_id, unit: a.unit, onlineYear: a.online_year })),
        s.unit,
        series.projection.map((p) => p.year),
        programme.disclosure,
      );
      return {
        ...about,
        portfolioCapacity: shown.totalShown ? portfolioCapacity : null,
        history: series.history,
        projection: series.projection.map((p) =>
          shown.yearShown(p.year) ? p : { ...p, share: null, added: null },
        ),
      };
    }),
  };
}
