/**
 * Coverage and hiring: who covers which sub-areas and companies, the hiring plan per sub-area against the
 * headcount, and the gaps — sub-areas with pipeline but no specialist, specialists carrying too much.
 */
import type { z } from 'zod';
import {
  currentStaff,
  hiringPlanOf,
  insertStaff,
  openPipelineBySubArea,
  upsertHiringPlan,
} from '../../db/governance-repo.ts';
import { hiringPlanSchema, staffInputSchema } from '../../domain/coverage.ts';
import { KeelError } from '../../domain/errors.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';
import { runWrite } from '../write.ts';

export { hiringPlanSchema, staffInputSchema };

/** A specialist covering more open deals, or more open pipeline, than this is overloaded. */
export const OVERLOAD = { deals: 8, amountCents: 2_000_000_000_00n } as const;

export async function addStaff(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: z.infer<typeof staffInputSchema>,
) {
  authorize(actor, 'coverage.manage');
  return runWrite(
    ctx,
    { actor, action: 'coverage.staff', key, request: input, subject: `staff:${input.id}` },
    async (tx) => {
      const added = await insertStaff(tx, input);
      if (!added) throw new KeelError('duplicate_id', `staff "${input.id}" is already recorded`);
      return { result: { id: input.id } };
    },
  );
}

export async function setHiringPlan(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: z.infer<typeof hiringPlanSchema>,
) {
  authorize(actor, 'coverage.manage');
  return runWrite(
    ctx,
    { actor, action: 'coverage.hiring_plan', key, request: input, subject: 'coverage:hiring-plan' },
    async (tx) => {
      await upsertHiringPlan(tx, input.rows);
      return { result: { rows: input.rows.length } };
    },
  );
}

export async function coverageReport(ctx: AppContext, actor: Actor, year = new Date().getUTCFullYear()) {
  authorize(actor, 'coverage.read');
  const db = ctx.database.db;
  const [staff, bySubArea, plan] = await Promise.all([
    currentStaff(db),
    openPipelineBySubArea(db),
    hiringPlanOf(db, year),
  ]);
  const specialistsOf = (subArea: string) =>
    staff.filter((s) => s.kind === 'sector_specialist' && s.sub_areas.includes(subArea));
  const uncovered = [...bySubArea.entries()]
    .filter(([subArea]) => specialistsOf(subArea).length === 0)
    .map(([subAreaId, p]) => ({ subAreaId, openDeals: p.deals, openAmountCents: p.amount }));
  const load = staff
    .filter((s) => s.kind === 'sector_specialist')
    .map((s) => {
      // A sub-area's pipeline is shared among the specialists who cover it.
      let deals = 0;
      let amount = 0n;
      for (const subArea of s.sub_areas) {
        const p = bySubArea.get(subArea);
        if (!p) continue;
        const n = specialistsOf(subArea).length;
        deals += p.deals / n;
        amount += p.amount / BigInt(n);
      }
      return {
        staffId: s.id,
        name: s.name,
        subAreas: s.sub_areas,
        openDeals: deals,
        openAmountCents: amount,
        overloaded: deals > OVERLOAD.deals || amount > OVERLOAD.amountCents,
      };
    });
  const hiring = plan.map((p) => ({
    subAreaId: p.sub_area_id,
    planned: p.headcount,
    actual: staff.filter((s) => s.sub_areas.includes(p.sub_area_id)).length,
  }));
  return {
    year,
    thresholds: { deals: OVERLOAD.deals, amountCents: OVERLOAD.amountCents },
    uncovered,
    load,
    hiring,
  };
}
