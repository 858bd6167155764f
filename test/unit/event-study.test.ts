import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventStudy, rankDeviations } from '../../src/domain/event-study.ts';
import { seededRandom } from '../../src/domain/synthetic.ts';

function normal(random: () => number) {
  // Box–Muller
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const spec = {
  estimation: [-250, -11] as [number, number],
  windows: [
    [0, 0],
    [-1, 1],
    [0, 5],
  ] as [number, number][],
};

function sample(random: () => number, firms: number, shock: number) {
  const days = 270;
  const event = 255;
  const market = Float64Array.from({ length: days }, () => 0.0004 + 0.01 * normal(random));
  return {
    market,
    event,
    firms: Array.from({ length: firms }, (_, f) => {
      const beta = 0.6 + 0.8 * random();
      return {
        ticker: `F${f}`,
        returns: Float64Array.from(
          market,
          (m, t) => 0.0002 + beta * m + 0.02 * normal(random) + (t === event ? shock : 0),
        ),
      };
    }),
  };
}

describe('market-model event study', () => {
  it('recovers α and β exactly from a noiseless firm and puts the whole shock in AR₀ and every CAR', () => {
    const random = seededRandom(1);
    const market = Float64Array.from({ length: 270 }, () => 0.01 * normal(random));
    const firm = Float64Array.from(market, (m, t) => 0.001 + 1.3 * m + (t === 255 ? 0.05 : 0));
    const r = eventStudy(market, 255, [{ ticker: 'X', returns: firm }], spec);
    expect(r.firms[0]?.alpha).toBeCloseTo(0.001, 12);
    expect(r.firms[0]?.beta).toBeCloseTo(1.3, 12);
    expect(r.firms[0]?.car).toEqual([
      expect.closeTo(0.05, 12),
      expect.closeTo(0.05, 12),
      expect.closeTo(0.05, 12),
    ]);
  });

  // The simulation procedure of Brown & Warner, "Using daily stock returns: the case of event studies",
  // Journal of Financial Economics 14 (1985): under no event the tests reject at about their nominal 5%; with
  // an abnormal return on day 0 they detect it.
  it('each statistic rejects about 5% of samples without an event (Brown–Warner size check)', () => {
    const random = seededRandom(20261125);
    const runs = 400;
    const rejections = { crossSectionalT: 0, patellZ: 0, bmpT: 0, corradoT: 0 };
    for (let k = 0; k < runs; k++) {
      const s = sample(random, 25, 0);
      const day0 = eventStudy(s.market, s.event, s.firms, spec).stats[0]!;
      for (const key of Object.keys(rejections) as (keyof typeof rejections)[]) {
        if (Math.abs(day0[key]) > 1.96) rejections[key]++;
      }
    }
    for (const [key, n] of Object.entries(rejections)) {
      // 5% of 400 = 20; a binomial 99.9% interval is about 6 … 38.
      expect(n, key).toBeGreaterThanOrEqual(6);
      expect(n, key).toBeLessThanOrEqual(38);
    }
  });

  it('each statistic detects a 2% abnormal return on day 0 in 25 firms', () => {
    const random = seededRandom(7);
    let detected = 0;
    for (let k = 0; k < 50; k++) {
      const s = sample(random, 25, 0.02);
      const day0 = eventStudy(s.market, s.event, s.firms, spec).stats[0]!;
      if ([day0.crossSectionalT, day0.patellZ, day0.bmpT, day0.corradoT].every((z) => z > 1.96)) detected++;
    }
    expect(detected).toBeGreaterThanOrEqual(45);
  });

  it('skips a firm with too little history and refuses windows that overlap the estimation', () => {
    const random = seededRandom(3);
    const s = sample(random, 3, 0);
    const short = Float64Array.from(s.firms[0]!.returns, (r, t) => (t < 240 ? Number.NaN : r));
    const r = eventStudy(s.market, s.event, [...s.firms, { ticker: 'NEW', returns: short }], spec);
    expect(r.skipped).toEqual([{ ticker: 'NEW', reason: 'only 5 estimation days (need 30)' }]);
    expect(() =>
      eventStudy(s.market, s.event, s.firms, { estimation: [-250, -1], windows: [[-2, 0]] }),
    ).toThrow(/follow the estimation/);
  });
});

// Reference values produced outside Keel by test/fixtures/event-study-reference.py with Debian's numpy,
// scipy and statsmodels: statsmodels OLS for α, β and σ and its out-of-sample prediction standard error for
// the standardised abnormal returns; scipy.stats.ttest_1samp for the cross-sectional and BMP t; scipy's
// rankdata for Corrado's ranks. Patell's Z and Corrado's T are sums over those, written out in the script
// from the papers. Seeded synthetic returns with event-induced variance and missing days.
describe('market-model event study against statsmodels and scipy', () => {
  const reference = JSON.parse(
    readFileSync(new URL('../fixtures/event-study-reference.json', import.meta.url), 'utf8'),
  ) as {
    eventIndex: number;
    estimation: [number, number];
    windows: [number, number][];
    market: (number | null)[];
    firms: { ticker: string; returns: (number | null)[] }[];
    expected: {
      firms: {
        ticker: string;
        alpha: number;
        beta: number;
        sigma: number;
        estimationDays: number;
        car: number[];
      }[];
      stats: Record<string, number | number[]>[];
    };
  };
  const series = (xs: (number | null)[]) => Float64Array.from(xs, (x) => x ?? Number.NaN);
  const result = eventStudy(
    series(reference.market),
    reference.eventIndex,
    reference.firms.map((f) => ({ ticker: f.ticker, returns: series(f.returns) })),
    { estimation: reference.estimation, windows: reference.windows },
  );
  const close = (actual: number, expected: number) =>
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));

  it('fits the same market model per firm (α, β, σ, estimation days, CARs)', () => {
    expect(result.firms.map((f) => f.ticker)).toEqual(reference.expected.firms.map((f) => f.ticker));
    for (const [i, expected] of reference.expected.firms.entries()) {
      const ours = result.firms[i]!;
      expect(ours.estimationDays).toBe(expected.estimationDays);
      close(ours.alpha, expected.alpha);
      close(ours.beta, expected.beta);
      close(ours.sigma, expected.sigma);
      for (const [k, car] of expected.car.entries()) close(ours.car[k]!, car);
    }
  });

  it('gives the same CAAR, cross-sectional t, Patell Z, BMP t and Corrado T for every window', () => {
    for (const [k, expected] of reference.expected.stats.entries()) {
      const ours = result.stats[k]!;
      expect(ours.window).toEqual(expected.window);
      expect(ours.positive).toBe(expected.positive);
      for (const key of ['caar', 'crossSectionalT', 'patellZ', 'bmpT', 'corradoT'] as const) {
        close(ours[key], expected[key] as number);
      }
    }
  });
});

describe('Corrado rank deviations', () => {
  it('give tied values their average rank, as scipy.stats.rankdata does, and keep missing days missing', () => {
    // scipy.stats.rankdata([0.3, 0.1, 0.3, 0.2]) = [3.5, 1, 3.5, 2]; mid-rank (4 + 1)/2 = 2.5.
    expect(rankDeviations([0.3, 0.1, Number.NaN, 0.3, 0.2])).toEqual([1, -1.5, Number.NaN, 1, -0.5]);
  });
});
