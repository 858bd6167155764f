import { describe, expect, it } from 'vitest';
import { bands, chunkSeed, type MonteCarloSpec, simulateChunk } from '../../src/domain/monte-carlo.ts';
import { PAPER_EXAMPLE, parametersFor, projectCommitment } from '../../src/domain/yale-model.ts';

describe('Takahashi–Alexander model (Journal of Portfolio Management 28(2), 2002)', () => {
  it('reproduces a hand-computed worked example of the paper equations with the paper parameters', () => {
    // CC = 100. Year 1: C = 0.25·100 = 25, D = 0, NAV = 25.
    // Year 2: C = (1/3)·75 = 25; D = (2/12)^2.5 · 25 · 1.13 = 0.3203995…; NAV = 28.25 + 25 − D.
    // Year 3: C = 0.5·50 = 25; D = (3/12)^2.5 · NAV₂ · 1.13; NAV₃ = NAV₂·1.13 + 25 − D.
    const [y1, y2, y3] = projectCommitment(PAPER_EXAMPLE, 100, 3);
    expect(y1).toMatchObject({ contribution: 25, distribution: 0, nav: 25, paidIn: 25 });
    expect(y2!.contribution).toBeCloseTo(25, 12);
    const d2 = (2 / 12) ** 2.5 * 25 * 1.13;
    expect(y2!.distribution).toBeCloseTo(d2, 12);
    expect(y2!.nav).toBeCloseTo(28.25 + 25 - d2, 12);
    const d3 = (3 / 12) ** 2.5 * y2!.nav * 1.13;
    expect(y3!.distribution).toBeCloseTo(d3, 12);
    expect(y3!.nav).toBeCloseTo(y2!.nav * 1.13 + 25 - d3, 12);
  });

  it('distributes everything at the end of the fund life, and returns exactly what was paid in when G = 0', () => {
    const noGrowth = { ...PAPER_EXAMPLE, growth: 0 };
    const run = projectCommitment(noGrowth, 100, 12);
    const end = run.at(-1)!;
    expect(end.nav).toBeCloseTo(run.at(-1)!.contribution, 9); // RD = 1 at t = L: only the last call stays
    const paid = run.reduce((a, s) => a + s.contribution, 0);
    const returned = run.reduce((a, s) => a + s.distribution, 0);
    expect(returned + end.nav).toBeCloseTo(paid, 9);
    expect(end.paidIn).toBeLessThanOrEqual(100);
  });

  it('quarterly steps compound to the annual contribution schedule', () => {
    const annual = projectCommitment(PAPER_EXAMPLE, 100, 2);
    const quarterly = projectCommitment(PAPER_EXAMPLE, 100, 8, 4);
    expect(quarterly[3]!.paidIn).toBeCloseTo(annual[0]!.paidIn, 9);
    expect(quarterly[7]!.paidIn).toBeCloseTo(annual[1]!.paidIn, 9);
  });
});

describe('Monte Carlo layer', () => {
  const spec: MonteCarloSpec = {
    params: PAPER_EXAMPLE,
    commitment: 1_000,
    start: { age: 0, paidIn: 0, nav: 0 },
    steps: 40,
    stepsPerYear: 4,
    growthVolatility: 0.25,
    timingVolatility: 0.2,
  };

  it('is reproducible from its seed', () => {
    const a = simulateChunk(spec, chunkSeed(42, 0), 500)!;
    const b = simulateChunk(spec, chunkSeed(42, 0), 500)!;
    const c = simulateChunk(spec, chunkSeed(43, 0), 500)!;
    expect(a.nav).toEqual(b.nav);
    expect(a.nav).not.toEqual(c.nav);
  });

  it('with no volatility every path is the deterministic model', () => {
    const flat = simulateChunk({ ...spec, growthVolatility: 0, timingVolatility: 0 }, 7, 3)!;
    const model = projectCommitment(PAPER_EXAMPLE, 1_000, 40, 4);
    for (const [s, step] of model.entries()) {
      for (let p = 0; p < 3; p++) expect(flat.nav[s * 3 + p]).toBeCloseTo(step.nav, 9);
    }
  });

  it('gives ordered P10 ≤ P50 ≤ P90 bands, and paid-in never exceeds the commitment', () => {
    const chunks = [
      simulateChunk(spec, chunkSeed(1, 0), 2_000)!,
      simulateChunk(spec, chunkSeed(1, 1), 1_000)!,
    ];
    const navBands = bands([chunks[0]!.nav, chunks[1]!.nav], [2_000, 1_000], 40);
    for (const b of navBands) {
      expect(b.p10).toBeLessThanOrEqual(b.p50);
      expect(b.p50).toBeLessThanOrEqual(b.p90);
    }
    expect(navBands[20]!.p90).toBeGreaterThan(navBands[20]!.p10 * 1.2); // uncertainty is real
    const paid = bands([chunks[0]!.paidIn, chunks[1]!.paidIn], [2_000, 1_000], 40);
    expect(paid.at(-1)!.p90).toBeLessThanOrEqual(1_000);
  });

  it('can be cancelled between steps', () => {
    let calls = 0;
    expect(simulateChunk(spec, 1, 100, () => ++calls > 5)).toBeNull();
  });
});

describe('percentile selection', () => {
  it('quickselect agrees with a full sort on random, duplicate-heavy and sorted data', async () => {
    const { seededRandom } = await import('../../src/domain/synthetic.ts');
    const { bands, selectKth } = await import('../../src/domain/monte-carlo.ts');
    const random = seededRandom(99);
    for (const make of [() => random() * 1e6, () => Math.floor(random() * 5), (i: number) => i]) {
      const values = Float64Array.from({ length: 10_001 }, (_, i) => make(i));
      const sorted = Float64Array.from(values).sort();
      for (const k of [0, 1, 999, 5_000, 9_000, 10_000])
        expect(selectKth(Float64Array.from(values), k)).toBe(sorted[k]);
      const [band] = bands([values], [values.length], 1);
      expect(band).toEqual({ step: 1, p10: sorted[1_000], p50: sorted[5_000], p90: sorted[9_000] });
    }
  });
});

describe('choosing a calibration', () => {
  const venture = { ...PAPER_EXAMPLE, bow: 1.5, lifeYears: 14, source: 'a calibration for venture funds' };
  const magnets = { ...PAPER_EXAMPLE, growth: 0.08, source: 'a calibration for the magnets sub-area' };
  const calibration = {
    default: PAPER_EXAMPLE,
    byInstrument: { venture_capital: venture },
    bySubArea: { 'rare-earth-magnets': magnets },
  };

  it('takes the sub-area’s, then the instrument’s, then the default parameters', () => {
    expect(
      parametersFor(calibration, { instrument: 'venture_capital', subAreaId: 'rare-earth-magnets' }),
    ).toEqual({
      key: 'sub-area rare-earth-magnets',
      params: magnets,
    });
    expect(parametersFor(calibration, { instrument: 'venture_capital', subAreaId: 'shipbuilding' })).toEqual({
      key: 'venture_capital',
      params: venture,
    });
    expect(parametersFor(calibration, { instrument: 'direct_equity', subAreaId: 'shipbuilding' })).toEqual({
      key: 'default',
      params: PAPER_EXAMPLE,
    });
  });

  it('changes the projection: a smaller bow factor distributes earlier', () => {
    const paper = projectCommitment(PAPER_EXAMPLE, 100, 6);
    const early = projectCommitment(venture, 100, 6);
    const distributed = (steps: { distribution: number }[]) => steps.reduce((s, x) => s + x.distribution, 0);
    expect(distributed(early)).toBeGreaterThan(distributed(paper));
  });
});
