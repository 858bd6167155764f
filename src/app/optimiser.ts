/**
 * Which pipeline deals to do next: the allocation model of domain/optimiser.ts, fed from the pipeline and
 * the ledger (cap headroom per programme, sub-area and company, the year's plan less what is already
 * counted), solved by HiGHS. Reports the selection, objective, gap, binding constraints with shadow prices,
 * an efficient frontier over budgets, and for an infeasible request the constraints that conflict.
 */
import { z } from 'zod';
import { commitmentEntries, netCommitted } from '../db/commitments-repo.ts';
import { openDealCandidates } from '../db/deals-repo.ts';
import { keptCapUsage } from '../db/programme-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { EQUITY_INSTRUMENTS, type Instrument } from '../domain/instruments.ts';
import {
  type AllocationModel,
  bindingConstraints,
  buildModel,
  type Candidate,
  type Limits,
  relaxed,
  withBudget,
  withoutGroups,
} from '../domain/optimiser.ts';
import { countedAmount } from '../domain/programme.ts';
import { authorize } from '../domain/roles.ts';
import { OPEN_STAGES } from '../domain/stages.ts';
import type { Actor, AppContext } from './context.ts';
import { currentProgramme } from './programme.ts';
import { researchScores } from './research/analysis.ts';
import { type SolveProgress, type SolveResult, solveModel } from './solver.ts';
import { programmeAggregates } from './summary.ts';

/** Instruments a bank can take a share of (a loan can be sized down or syndicated); equity is all or nothing. */
const DIVISIBLE: ReadonlySet<Instrument> = new Set([
  'term_loan',
  'revolving_credit',
  'project_finance',
  'syndicated_loan',
  'bond_underwriting',
]);

const money = z.number().min(0).max(1e13);
export const optimiseInputSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  /** Counted dollars available; defaults to the year's plan less what the year has already counted. */
  budget: money.optional(),
  /**
   * Where a deal's resilience gain comes from: the analysts' scores only (default; unscored deals are left
   * out and listed), the analyst's score with the research engine's sub-area vulnerability for deals the
   * analysts have not scored, or the research engine first.
   */
  resilienceFrom: z.enum(['analyst', 'analyst_first', 'research_first']).default('analyst'),
  subAreaMin: z.record(z.string(), money).optional(),
  subAreaMax: z.record(z.string(), money).optional(),
  areaMin: z.record(z.string(), money).optional(),
  areaMax: z.record(z.string(), money).optional(),
  stateMin: z.record(z.string().regex(/^\d{2}$/), money).optional(),
  exclusive: z
    .array(z.tuple([z.string(), z.string()]))
    .max(1000)
    .optional(),
  requires: z
    .array(z.tuple([z.string(), z.string()]))
    .max(1000)
    .optional(),
  timeLimitSeconds: z.number().min(0.1).max(600).default(10),
  relativeGap: z.number().min(0).max(0.5).default(0.001),
  frontierPoints: z.number().int().min(0).max(20).default(6),
});
export type OptimiseInput = z.infer<typeof optimiseInputSchema>;

/**
 * Resilience gained per deal from the research engine: the vulnerability of the deal's sub-area (the largest
 * reach × supply risk of the materials upstream of it), scaled so the most exposed sub-area scores 100. A
 * deal in a sub-area the graph finds exposed is scored this way; otherwise the analyst's score is used.
 */
async function researchResilience(ctx: AppContext, actor: Actor): Promise<Map<string, number>> {
  const research = await researchScores(ctx, actor).catch(() => null);
  const risks = (research?.scores ?? []).filter((s) => s.kind === 'sub_area' && s.inherited.risk > 0);
  const largest = Math.max(0, ...risks.map((s) => s.inherited.risk));
  return new Map(largest > 0 ? risks.map((s) => [s.id, (100 * s.inherited.risk) / largest]) : []);
}

async function loadCandidates(ctx: AppContext, actor: Actor, order: OptimiseInput['resilienceFrom']) {
  const { db } = ctx.database;
  const { programme } = await currentProgramme(db);
  const fromResearch = order === 'analyst' ? new Map<string, number>() : await researchResilience(ctx, actor);
  const rows = await openDealCandidates(db);
  // An approved deal may already carry commitments in the ledger: only the rest is still to decide.
  const committed = new Map(
    (
      await commitmentEntries(db)
        .where('deals.stage', 'in', OPEN_STAGES)
        .select((eb) => ['deals.id', netCommitted(eb).as('net')])
        .groupBy('deals.id')
        .execute()
    ).map((r) => [r.id, BigInt(r.net)]),
  );
  const candidates: Candidate[] = [];
  const unscored: string[] = [];
  const fullyCommitted: string[] = [];
  const scoredBy: Record<string, 'research' | 'analyst'> = {};
  for (const r of rows) {
    const open = BigInt(r.amount_cents) - (committed.get(r.id) ?? 0n);
    if (open <= 0n) {
      fullyCommitted.push(r.id);
      continue;
    }
    const research = fromResearch.get(r.sub_area_id);
    const analyst = r.resilience_score === null ? undefined : Number(r.resilience_score);
    const [first, second] = order === 'research_first' ? [research, analyst] : [analyst, research];
    const resilience = first ?? second;
    if (resilience === undefined) {
      unscored.push(r.id);
      continue;
    }
    scoredBy[r.id] =
      resilience === analyst && first === analyst
        ? 'analyst'
        : resilience === research
          ? 'research'
          : 'analyst';
    const instrument = r.instrument;
    candidates.push({
      id: r.id,
      companyId: r.company_id,
      subAreaId: r.sub_area_id,
      areaId: r.area_id,
      stateFips: r.hq_state_fips,
      amount: Number(open) / 100,
      counted: Number(countedAmount(programme, instrument, open)) / 100,
      resilience,
      expectedReturn: Number(r.expected_return ?? 0),
      equity: EQUITY_INSTRUMENTS.has(instrument),
      divisible: DIVISIBLE.has(instrument),
    });
  }
  return { programme, candidates, unscored, fullyCommitted, scoredBy };
}

/** Cap headroom from the ledger's cap rows: what a selection may still commit without breaching a cap. */
async function capHeadroom(ctx: AppContext, programme: Programme) {
  const rows = await keptCapUsage(ctx.database.db);
  const used = new Map(rows.map((r) => [`${r.capId}|${r.scopeKey}`, r.used]));
  const headroom = (capId: string, scope: string) => {
    const cap = programme.caps.find((c) => c.id === capId)!;
    const left = cap.limit - (used.get(`${capId}|${scope}`) ?? 0n);
    return Number(left > 0n ? left : 0n) / 100;
  };
  return { headroom, caps: programme.caps.filter((c) => c.instruments.has('direct_equity')) };
}

export interface OptimiseProgress {
  /** Solves finished, of those planned (the selection, its LP relaxation, the frontier's points). */
  done: number;
  total: number;
  /** What is being solved now. */
  stage: string;
  /** Within the solve under way: the incumbent, the bound and the gap, as HiGHS reports them. */
  solve?: SolveProgress;
}

export interface OptimiseControl {
  signal?: AbortSignal;
  onProgress?: (progress: OptimiseProgress) => void;
}

/** For a stream: refuses at once (throws) an actor who may not read deals, before any work starts. */
export function startOptimisation(...args: Parameters<typeof optimise>): ReturnType<typeof optimise> {
  authorize(args[1], 'deals.read');
  return optimise(...args);
}

export async function optimise(
  ctx: AppContext,
  actor: Actor,
  input: OptimiseInput,
  control: OptimiseControl = {},
) {
  authorize(actor, 'deals.read');
  const { programme, candidates, unscored, fullyCommitted, scoredBy } = await loadCandidates(
    ctx,
    actor,
    input.resilienceFrom,
  );
  const budget = await yearBudget(ctx, actor, programme, input);
  const model = buildModel(candidates, await optimiserLimits(ctx, programme, input, candidates, budget));
  const solve = progressiveSolver(actor, input, control, 2 + input.frontierPoints);

  const mip = await solve('selection', model);
  if (mip.status === 'infeasible') {
    const groups = conflictCandidates(model);
    solve.replan(1 + groups.length);
    const conflicts = await explainInfeasibility(model, groups, (omitted) =>
      solve('explaining the conflict', withoutGroups(model, omitted)),
    );
    solve.finish();
    return {
      status: 'infeasible' as const,
      budget,
      candidates: candidates.length,
      unscored,
      fullyCommitted,
      conflicts,
    };
  }
  if (!(mip.status === 'optimal' || (mip.status === 'time_limit' && mip.feasible))) {
    throw new KeelError(
      'solver_status',
      mip.status === 'time_limit'
        ? `the solver found no feasible selection within ${input.timeLimitSeconds} s; allow more time`
        : `the solver stopped without a selection (${mip.statusText})`,
    );
  }
  const relaxation = await solve('shadow prices (LP relaxation)', relaxed(model));
  const selection = readSelection(candidates, mip);
  const objective = mip.objective;
  const bound = relaxation.objective;
  const frontier = await efficientFrontier(model, candidates, budget, input.frontierPoints, solve);
  solve.finish();
  return {
    status: mip.status === 'optimal' ? ('optimal' as const) : ('time_limit' as const),
    year: input.year,
    budget,
    candidates: candidates.length,
    unscored,
    /** Open deals the ledger already commits in full: nothing left to choose. */
    fullyCommitted,
    /** Where each candidate's resilience gain came from. */
    scoredBy,
    objective,
    /** Upper bound on the relative gap: (LP relaxation − MIP) / LP relaxation. */
    gap: bound > 0 ? Math.max(0, (bound - objective) / bound) : 0,
    solveSeconds: mip.seconds,
    selection,
    committed: selection.reduce((sum, s) => sum + s.amount, 0),
    binding: bindingConstraints(model, relaxation.rowActivity, relaxation.rowDuals),
    frontier,
  };
}

type Programme = Awaited<ReturnType<typeof currentProgramme>>['programme'];

/** The budget asked for, or the year's plan less what the year has already counted (counted dollars). */
async function yearBudget(ctx: AppContext, actor: Actor, programme: Programme, input: OptimiseInput) {
  if (input.budget !== undefined) return input.budget;
  const plan = programme.plan.find((p) => p.year === input.year);
  // Counted, not committed: the plan is in counted dollars, so the methodology's factors apply.
  const summary = await programmeAggregates(ctx, actor);
  const alreadyCounted = Number(summary.byYear.find((y) => y.year === input.year)?.counted ?? 0n) / 100;
  return Math.max(0, Number(plan?.amount ?? 0n) / 100 - alreadyCounted);
}

/** The model's limits: the budget, cap headroom for the equity candidates, and the request's own bounds. */
async function optimiserLimits(
  ctx: AppContext,
  programme: Programme,
  input: OptimiseInput,
  candidates: readonly Candidate[],
  budget: number,
): Promise<Limits> {
  const { headroom, caps } = await capHeadroom(ctx, programme);
  const programmeCap = caps.find((c) => c.scope === 'programme');
  const subAreaCap = caps.find((c) => c.scope === 'sub_area');
  const companyCap = caps.find((c) => c.scope === 'company');
  const equity = candidates.filter((c) => c.equity);
  return {
    budget,
    equityHeadroom: programmeCap ? headroom(programmeCap.id, '*') : Number.MAX_SAFE_INTEGER,
    subAreaMax: {
      ...(subAreaCap
        ? Object.fromEntries(
            [...new Set(equity.map((c) => c.subAreaId))].map((s) => [s, headroom(subAreaCap.id, s)]),
          )
        : {}),
      ...input.subAreaMax,
    },
    companyMax: companyCap
      ? Object.fromEntries(
          [...new Set(equity.map((c) => c.companyId))].map((s) => [s, headroom(companyCap.id, s)]),
        )
      : {},
    subAreaMin: input.subAreaMin,
    areaMin: input.areaMin,
    areaMax: input.areaMax,
    stateMin: input.stateMin,
    exclusive: input.exclusive,
    requires: input.requires,
  };
}

type ProgressiveSolver = ((stage: string, variant: AllocationModel) => Promise<SolveResult>) & {
  /** The number of solves planned changes (an infeasible selection is explained instead). */
  replan(total: number): void;
  finish(): void;
};

/** Solves one variant after another with the request's limits, reporting each stage and solve to `control`. */
function progressiveSolver(
  actor: Actor,
  input: OptimiseInput,
  control: OptimiseControl,
  planned: number,
): ProgressiveSolver {
  let done = 0;
  let total = planned;
  const solve = (stage: string, variant: AllocationModel): Promise<SolveResult> => {
    control.onProgress?.({ done, total, stage });
    return solveModel(variant, {
      timeLimitSeconds: input.timeLimitSeconds,
      relativeGap: input.relativeGap,
      signal: control.signal,
      owner: actor.id,
      onProgress: (p) => control.onProgress?.({ done, total, stage, solve: p }),
    }).then((result) => {
      done++;
      return result;
    });
  };
  return Object.assign(solve, {
    replan: (next: number) => {
      total = next;
    },
    finish: () => control.onProgress?.({ done, total, stage: 'done' }),
  });
}

/** The best selection at evenly spaced shares of the budget: what each extra dollar buys. */
async function efficientFrontier(
  model: AllocationModel,
  candidates: readonly Candidate[],
  budget: number,
  points: number,
  solve: ProgressiveSolver,
) {
  const frontier = [];
  for (let k = 1; k <= points; k++) {
    const share = k / points;
    const point = await solve(`frontier ${k} of ${points}`, withBudget(model, budget * share));
    const picked = point.feasible ? readSelection(candidates, point) : [];
    frontier.push({
      budget: budget * share,
      resilience: picked.length ? point.objective : null,
      expectedReturn: picked.reduce((sum, s) => sum + s.amount * s.expectedReturn, 0),
      status: point.status,
    });
  }
  return frontier;
}

function readSelection(candidates: readonly Candidate[], solution: SolveResult) {
  return candidates.flatMap((c, i) => {
    const share = solution.columns[i] ?? 0;
    return share > 1e-6
      ? [
          {
            dealId: c.id,
            share,
            amount: c.amount * share,
            resilience: c.resilience * share,
            expectedReturn: c.expectedReturn,
            subAreaId: c.subAreaId,
            equity: c.equity,
          },
        ]
      : [];
  });
}

/** Constraint groups that can take part in a conflict (a deal's share–switch link cannot). */
const conflictCandidates = (model: AllocationModel) =>
  [...new Set(model.rows.map((r) => r.group))].filter((g) => !g.startsWith('link:'));

/**
 * A deletion filter over constraint groups: drop each group in turn; if the model stays infeasible
 * without it, it is not needed to explain the conflict. What remains is a minimal set of constraints that
 * cannot hold together.
 */
async function explainInfeasibility(
  model: AllocationModel,
  groups: readonly string[],
  solveWithout: (omitted: ReadonlySet<string>) => Promise<SolveResult>,
) {
  const omitted = new Set<string>();
  for (const group of groups) {
    omitted.add(group);
    if ((await solveWithout(omitted)).status !== 'infeasible') omitted.delete(group);
  }
  return model.rows
    .filter((r) => groups.includes(r.group) && !omitted.has(r.group))
    .map((r) => ({ group: r.group, label: r.label, rhs: r.rhs * 1e6, sense: r.sense }));
}
