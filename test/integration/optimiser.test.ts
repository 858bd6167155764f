import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_PROGRAMME, readJson } from '../../src/app/data-files.ts';
import { recordLedgerEntries } from '../../src/app/ledger.ts';
import { optimise, optimiseInputSchema } from '../../src/app/optimiser.ts';
import { loadProgramme } from '../../src/app/programme.ts';
import { type SolveProgress, solveModel } from '../../src/app/solver.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import {
  bindingConstraints,
  buildModel,
  type Candidate,
  type Limits,
  relaxed,
} from '../../src/domain/optimiser.ts';
import { seededRandom } from '../../src/domain/synthetic.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { seedDeals } from './fixtures.ts';

const deal = (id: string, amount: number, resilience: number, more: Partial<Candidate> = {}): Candidate => ({
  id,
  companyId: `${id}-co`,
  subAreaId: 'robotics',
  areaId: 'supply',
  stateFips: '16',
  amount,
  counted: amount,
  resilience,
  expectedReturn: 0.1,
  equity: true,
  divisible: false,
  ...more,
});
const limits = (budget: number, more: Partial<Limits> = {}): Limits => ({
  budget,
  equityHeadroom: 1e12,
  ...more,
});
const options = { timeLimitSeconds: 10, relativeGap: 0 };
const chosen = async (candidates: Candidate[], l: Limits) => {
  const solution = await solveModel(buildModel(candidates, l), options);
  return {
    status: solution.status,
    objective: solution.objective,
    picked: candidates.filter((_, i) => (solution.columns[i] ?? 0) > 1e-6).map((c) => c.id),
  };
};

const four = [deal('a', 100e6, 10), deal('b', 100e6, 9), deal('c', 200e6, 15), deal('d', 50e6, 1)];

describe('allocation model solved by HiGHS (optimum known by construction)', () => {
  it('picks the best all-or-nothing set within the budget: a + c (25) beats a + b + d (20) and b + c (24)', async () => {
    expect(await chosen(four, limits(300e6))).toEqual({
      status: 'optimal',
      objective: 25,
      picked: ['a', 'c'],
    });
  });

  it('respects mutually exclusive and dependent deals', async () => {
    expect((await chosen(four, limits(300e6, { exclusive: [['a', 'c']] }))).picked).toEqual(['b', 'c']);
    expect((await chosen(four, limits(300e6, { requires: [['c', 'd']] }))).picked).toEqual(['a', 'b', 'd']);
  });

  it('takes part of a divisible loan, and reports the budget as binding with its shadow price', async () => {
    const loans = [
      deal('l1', 100e6, 10, { divisible: true, equity: false }),
      deal('l2', 100e6, 8, { divisible: true, equity: false }),
    ];
    const l = limits(150e6);
    const model = relaxed(buildModel(loans, l));
    const solution = await solveModel(model, options);
    expect(solution.objective).toBeCloseTo(14, 9); // all of l1, half of l2
    const binding = bindingConstraints(model, solution.rowActivity, solution.rowDuals);
    expect(binding).toEqual([
      { label: 'annual budget (counted)', group: 'budget', shadowPrice: expect.closeTo(0.08, 9) },
    ]); // l2's 8 per $100M
  });

  it('reports infeasibility when a minimum cannot be met', async () => {
    expect((await chosen(four, limits(100e6, { subAreaMin: { robotics: 250e6 } }))).status).toBe(
      'infeasible',
    );
    // A minimum for a sub-area no candidate is in is an empty row that cannot hold: it stays in the model.
    expect((await chosen(four, limits(1e9, { subAreaMin: { nanomaterials: 50e6 } }))).status).toBe(
      'infeasible',
    );
  });
});

describe('a long solve', () => {
  // 400 all-or-nothing deals whose resilience is nearly proportional to their amount, half the money as
  // budget, gap 0: a knapsack that HiGHS does not close within seconds (it reports a time limit at 3 s).
  const random = seededRandom(7);
  const hard = Array.from({ length: 400 }, (_, i) => {
    const amount = Math.round((10 + random() * 90) * 1e6);
    return deal(`h${i}`, amount, Math.round((amount / 1e4) * (1 + random() * 0.01)) / 100, {
      subAreaId: `s${i % 5}`,
    });
  });
  const total = hard.reduce((sum, c) => sum + c.amount, 0);
  const model = buildModel(hard, {
    budget: total / 2 + 0.5e6,
    equityHeadroom: 1e13,
    subAreaMax: Object.fromEntries([0, 1, 2, 3, 4].map((k) => [`s${k}`, total / 9])),
  });

  it('reports progress, stops when its signal aborts, and leaves the solver ready for the next model', async () => {
    const controller = new AbortController();
    const seen: SolveProgress[] = [];
    const solving = solveModel(model, {
      timeLimitSeconds: 30,
      relativeGap: 0,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        // Abort once B&B holds an incumbent: the solve is under way, not finished.
        if (p.incumbent !== null) controller.abort();
      },
    });
    await expect(solving).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen.some((p) => p.incumbent !== null && p.bound !== null && p.bound >= p.incumbent)).toBe(true);
    const next = await solveModel(buildModel(four, limits(1e9)), options);
    expect(next).toMatchObject({ status: 'optimal', objective: 35 });
  });

  it('answers a model HiGHS refuses with a clear error, and solves the next one in a fresh worker', async () => {
    const broken = buildModel(four, limits(1e9));
    broken.cost[0] = Number.NaN;
    await expect(solveModel(broken, options)).rejects.toMatchObject({
      code: 'solver_error',
      message: expect.stringContaining('the solver could not read or solve the model'),
    });
    await expect(solveModel(buildModel(four, limits(1e9)), options)).resolves.toMatchObject({
      status: 'optimal',
      objective: 35,
    });
  });

  it('refuses at once when the signal has already aborted', async () => {
    await expect(solveModel(model, { ...options, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'cancelled',
    });
  });
});

describeOnBackends('optimiser on the pipeline', (backend) => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    // Five equity deals of $300M in one company group each... per-company equity cap is $500M.
    const ids = await seedDeals(keel, {
      prefix: 'opt',
      count: 5,
      instrument: 'direct_equity',
      subAreaId: 'nanomaterials',
      stage: 'approved',
      amount: 300_000_000_00n,
    });
    const scores = [50, 40, 30, 20, 10];
    for (const [i, id] of ids.entries()) {
      await keel.database.db
        .updateTable('deals')
        .set({ resilience_score: scores[i]!, expected_return: 0.12 })
        .where('id', '=', id)
        .execute();
    }
    // Use most of two companies' headroom already: opt-0-co has $400M committed on another deal.
    const [other] = await seedDeals(keel, {
      prefix: 'opt-prior',
      count: 1,
      instrument: 'direct_equity',
      subAreaId: 'robotics',
      stage: 'approved',
      amount: 1_000_000_000_00n, // $400M of it committed below: $600M still open
    });
    await keel.database.db
      .updateTable('deals')
      .set({ company_id: 'opt-0-co' })
      .where('id', '=', other!)
      .execute();
    await recordLedgerEntries(keel, testAdmin, 'opt-prior', [
      {
        clientKey: 'opt-prior-c',
        dealId: other!,
        kind: 'commitment',
        amount: cents(400_000_000_00n),
        effectiveOn: asIsoDate('2027-01-10'),
      },
    ]);
  });
  afterAll(() => keel.close());

  it('never selects what the caps would refuse: committing the selection through the ledger succeeds', async () => {
    const result = await optimise(
      keel,
      testAdmin,
      optimiseInputSchema.parse({ year: 2027, frontierPoints: 3 }),
    );
    expect(result.status).toBe('optimal');
    if (result.status === 'infeasible') throw new Error('unexpected');
    const picked = result.selection.map((s) => s.dealId).sort();
    // opt-0 ($300M) would take its company to $700M > $500M; the sub-area cap ($2B) allows the other four.
    expect(picked).toEqual(['opt-1', 'opt-2', 'opt-3', 'opt-4']);
    expect(result.objective).toBe(100);
    expect(result.frontier).toHaveLength(3);
    await expect(
      recordLedgerEntries(
        keel,
        testAdmin,
        'opt-commit',
        result.selection.map((s) => ({
          clientKey: `opt-commit-${s.dealId}`,
          dealId: s.dealId,
          kind: 'commitment',
          amount: cents(BigInt(Math.round(s.amount * 100))),
          effectiveOn: asIsoDate('2027-03-01'),
        })),
      ),
    ).resolves.toMatchObject({ replayed: false });
    const caps = await keel.database.db.selectFrom('cap_usage').selectAll().execute();
    for (const cap of caps) expect(cap.used_cents).toBeLessThanOrEqual(cap.limit_cents);
  });

  it('leaves out open deals the ledger already commits in full (the selection committed above)', async () => {
    const result = await optimise(
      keel,
      testAdmin,
      optimiseInputSchema.parse({ year: 2027, frontierPoints: 0 }),
    );
    if (result.status === 'infeasible') throw new Error('unexpected');
    expect(result.fullyCommitted).toEqual(['opt-1', 'opt-2', 'opt-3', 'opt-4']);
    expect(result.selection.map((s) => s.dealId)).not.toContain('opt-1');
  });

  it('explains an infeasible request by naming the conflicting constraints', async () => {
    const result = await optimise(
      keel,
      testAdmin,
      optimiseInputSchema.parse({
        year: 2027,
        budget: 100_000_000,
        subAreaMin: { robotics: 200_000_000 },
        frontierPoints: 0,
      }),
    );
    expect(result.status).toBe('infeasible');
    if (result.status !== 'infeasible') throw new Error('unexpected');
    expect(result.conflicts.map((c) => c.group).sort()).toContain('sub-area-min:robotics');
  });

  it("scores unscored deals from the research engine's sub-area vulnerability when asked", async () => {
    const analystOnly = await optimise(
      keel,
      testAdmin,
      optimiseInputSchema.parse({ year: 2027, frontierPoints: 0 }),
    );
    const withResearch = await optimise(
      keel,
      testAdmin,
      optimiseInputSchema.parse({ year: 2027, frontierPoints: 0, resilienceFrom: 'analyst_first' }),
    );
    if (analystOnly.status === 'infeasible' || withResearch.status === 'infeasible')
      throw new Error('unexpected');
    // The robotics deal nobody scored: robotics is exposed through NdFeB magnets to rare earths.
    expect(analystOnly.unscored).toContain('opt-prior-0');
    expect(withResearch.unscored).not.toContain('opt-prior-0');
    expect(withResearch.scoredBy['opt-prior-0']).toBe('research');
    expect(withResearch.scoredBy['opt-0']).toBe('analyst');
  });

  it('takes the default budget as the year plan less what the year has counted, by the methodology', async () => {
    // Equity counts half under this methodology: the $1.6B committed in 2027 so far counts $0.8B.
    const file = readJson(REFERENCE_PROGRAMME) as {
      methodology: { version: number; instruments: Record<string, { countingBps: number }> };
    };
    file.methodology.version = 2;
    file.methodology.instruments.direct_equity!.countingBps = 5_000;
    await loadProgramme(keel, testAdmin, file);
    const result = await optimise(
      keel,
      testAdmin,
      optimiseInputSchema.parse({ year: 2027, frontierPoints: 0 }),
    );
    expect(result.budget).toBe(150e9 - 0.8e9);
  });
});
