/**
 * Credit stress from a saved research scenario, shipped or an analyst's (issue 16, item 6). The research engine
 * propagates the scenario's shortfall through the dependency graph to each borrower of the credit book (a
 * company node, or its facility's sub-area when the graph does not draw the company); the scenario's own
 * mapping (its `creditNotches`), else the programme's default (data/credit/shortfall-notches.json), turns the
 * shortfall into notches; the notches downgrade the obligor's
 * grade (never into default). Base and stressed EL per facility are exact cents (expected-loss.ts) from the
 * same EAD and LGD the credit book gives; on request, base and stressed VaR/ES from the same simulation with
 * the same seed. Writes nothing: the scenario run is not stored with the research runs.
 */
import { z } from 'zod';
import { scenarioRows } from '../../db/research-repo.ts';
import { expectedLoss } from '../../domain/credit/expected-loss.ts';
import { pdOfGrade } from '../../domain/credit/grade-scale.ts';
import {
  notchesForShortfall,
  shortfallNotchesSchema,
  stressedGrade,
  worstPerformingGrade,
} from '../../domain/credit/stress.ts';
import { isoDate, slug } from '../../domain/fields.ts';
import { type Cents, cents } from '../../domain/money.ts';
import { runScenario, type Scenario, scenarioSchema } from '../../domain/research/scenario.ts';
import { authorize } from '../../domain/roles.ts';
import { type Actor, type AppContext, today } from '../context.ts';
import { DATA_DIR, readJson } from '../data-files.ts';
import { graphVersion } from '../research/graph.ts';
import { savedScenario } from '../research/scenarios.ts';
import { bookRows } from './book.ts';
import { gradeScale } from './grade-scale.ts';
import {
  creditPortfolio,
  type PortfolioRiskControl,
  portfolioRiskInputSchema,
  simulatePortfolioRisk,
} from './portfolio-risk.ts';

export const SHORTFALL_NOTCHES_FILE = `${DATA_DIR}/credit/shortfall-notches.json`;

export const stressInputSchema = z.object({
  scenario: slug,
  asOf: isoDate.optional(),
  /** When given: base and stressed VaR/ES from the portfolio simulation with these settings. */
  simulate: portfolioRiskInputSchema.optional(),
});
export type StressInput = z.infer<typeof stressInputSchema>;

export const shortfallNotches = () => shortfallNotchesSchema.parse(readJson(SHORTFALL_NOTCHES_FILE));

/** The mapping a scenario's stress uses: its own, else the programme's default (a named, versioned file). */
function mappingOf(scenario: Scenario) {
  if (scenario.creditNotches)
    return {
      name: `${scenario.name}: the scenario's own mapping`,
      version: 'scenario',
      ...scenario.creditNotches,
      from: 'scenario' as const,
    };
  return { ...shortfallNotches(), from: 'programme' as const };
}

/** The saved scenarios (shipped and analysts') by id and name, for a picker, and the default mapping. */
export async function stressScenarios(ctx: AppContext, actor: Actor) {
  authorize(actor, 'credit.read');
  const rows = await scenarioRows(ctx.database.db);
  return {
    scenarios: rows.map((r) => {
      const s = scenarioSchema.parse(r.definition);
      return { id: s.id, name: s.name, basis: s.basis, ownMapping: s.creditNotches !== undefined };
    }),
    mapping: { ...shortfallNotches(), from: 'programme' as const },
  };
}

interface ObligorStress {
  companyId: string;
  companyName: string;
  subAreaName: string;
  shortfall: number;
  path: string[];
  grade: number | null;
  notches: number;
  stressedGrade: number | null;
  ead: Cents;
  baseEl: Cents | null;
  stressedEl: Cents | null;
}

export async function creditStress(
  ctx: AppContext,
  actor: Actor,
  input: StressInput,
  control: PortfolioRiskControl = {},
) {
  authorize(actor, 'credit.read');
  const scenario = await savedScenario(ctx, input.scenario);
  const mapping = mappingOf(scenario);
  const scale = gradeScale();
  const asOf = input.asOf ?? today();
  const facilities = await bookRows(ctx, asOf);
  const { graph, version } = await graphVersion(ctx, actor);
  const run = runScenario(
    graph,
    scenario,
    facilities.map((f) => ({
      dealId: f.dealId,
      companyId: f.companyId,
      subAreaId: f.subAreaId,
      committedCents: f.risk.ead,
    })),
  );
  const hit = new Map(run.deals.map((d) => [d.companyId, d]));

  const byObligor = new Map<string, ObligorStress>();
  for (const f of facilities) {
    let o = byObligor.get(f.companyId);
    if (!o) {
      const shortfall = hit.get(f.companyId)?.shortfall ?? 0;
      const grade = f.risk.grade;
      // An ungraded obligor has no EL to stress; its notches are shown all the same.
      const notches = notchesForShortfall(mapping, shortfall);
      o = {
        companyId: f.companyId,
        companyName: f.companyName,
        subAreaName: f.subAreaName,
        shortfall,
        path: hit.get(f.companyId)?.path ?? [],
        grade,
        notches,
        stressedGrade: grade === null ? null : stressedGrade(scale, grade, notches),
        ead: cents(0n),
        baseEl: null,
        stressedEl: null,
      };
      byObligor.set(f.companyId, o);
    }
    o.ead = cents(o.ead + f.risk.ead);
    const stressedPd = o.stressedGrade === null ? null : pdOfGrade(scale, o.stressedGrade);
    if (f.risk.el !== null) o.baseEl = cents((o.baseEl ?? 0n) + f.risk.el);
    if (stressedPd !== null) {
      o.stressedEl = cents((o.stressedEl ?? 0n) + expectedLoss(f.risk.ead, stressedPd, f.risk.lgd));
    }
  }
  const obligors = [...byObligor.values()].sort(
    (a, b) => b.notches - a.notches || b.shortfall - a.shortfall || (a.companyName < b.companyName ? -1 : 1),
  );
  const sum = (pick: (o: ObligorStress) => bigint | null) =>
    cents(obligors.reduce((s, o) => s + (pick(o) ?? 0n), 0n));
  const totals = {
    ead: sum((o) => o.ead),
    baseEl: sum((o) => o.baseEl),
    stressedEl: sum((o) => o.stressedEl),
    ungradedEad: sum((o) => (o.grade === null ? o.ead : null)),
  };

  let simulation = null;
  if (input.simulate) {
    const options = input.simulate;
    const assumptions = { pd: options.pd, lgd: options.lgd };
    const grades = new Map(
      obligors.flatMap((o) => (o.stressedGrade === null ? [] : [[o.companyId, o.stressedGrade] as const])),
    );
    const base = await creditPortfolio(ctx, actor, assumptions, { asOf });
    const stressed = await creditPortfolio(ctx, actor, assumptions, { asOf, grades });
    const owner = { ...control, owner: actor.id };
    simulation = {
      base: await simulatePortfolioRisk(base.obligors, options, owner),
      stressed: await simulatePortfolioRisk(stressed.obligors, options, owner),
      fallbacks: base.fallbacks,
      note: 'losses are float dollars from the simulation (analytics), base and stressed with the same seed',
    };
  }
  return {
    scenario: { id: scenario.id, name: scenario.name, basis: scenario.basis },
    graphVersion: version,
    asOf,
    mapping: { ...mapping, worstPerformingGrade: worstPerformingGrade(scale) },
    obligors,
    totals: { ...totals, change: cents(totals.stressedEl - totals.baseEl) },
    simulation,
    warnings: run.warnings,
  };
}
