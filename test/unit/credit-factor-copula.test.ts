/**
 * The multi-factor Gaussian copula (src/domain/credit/factor-copula.ts) against closed forms:
 * - with one factor, or several factors all correlated 1, a large homogeneous portfolio's loss converges to
 *   Vasicek's distribution (O. Vasicek, "The distribution of loan portfolio value", Risk 15(12), 2002), the
 *   check test/unit/credit-portfolio-loss.test.ts makes of the one-factor model;
 * - the variance of a two-sector portfolio's loss equals its analytic value, computed by quadrature of the
 *   exact expressions: Var(L) = Σ_s l_s² [n_s p_s (1 − p_s) + n_s (n_s − 1)(P(two of s default) − p_s²)]
 *   + 2 n_1 n_2 l_1 l_2 (P(one of each defaults) − p_1 p_2), the joint default probabilities being
 *   E[p_s(Y_s) p_t(Y_t)] over the factors' joint normal law;
 * - a mutation of the copula (the factor correlation dropped, or put where there is none) fails each check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { choleskyOfCorrelation } from '../../src/domain/credit/cholesky.ts';
import { type FactorCopulaSpec, simulateFactorLosses } from '../../src/domain/credit/factor-copula.ts';
import {
  type FactorCorrelationFile,
  factorCorrelationFileSchema,
  sectorFactors,
} from '../../src/domain/credit/factor-correlations.ts';
import { normalCdf, normalDensity, normalQuantile } from '../../src/domain/credit/normal.ts';
import { vasicekLossCdf } from '../../src/domain/credit/portfolio-loss.ts';

const OBLIGORS = 2_000;
const SCENARIOS = 4_000;
const PD = 0.02;
const RHO = 0.15;
/** The same stated tolerance (Kolmogorov distance) as the one-factor test, for the same sizes. */
const TOLERANCE = 0.03;

function correlationMatrix(k: number, c: number): Float64Array {
  return Float64Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : c));
}

/** A homogeneous portfolio spread evenly over k factors with pairwise factor correlation c. */
function homogeneous(k: number, c: number): FactorCopulaSpec {
  const names = Array.from({ length: k }, (_, i) => `sector-${i}`);
  return {
    pd: new Float64Array(OBLIGORS).fill(PD),
    lossGivenDefault: new Float64Array(OBLIGORS).fill(1),
    correlation: new Float64Array(OBLIGORS).fill(RHO),
    factor: Int32Array.from({ length: OBLIGORS }, (_, i) => i % k),
    factors: k,
    factorCholesky: choleskyOfCorrelation(correlationMatrix(k, c), names),
  };
}

/** Kolmogorov distance to Vasicek's distribution, continuity-corrected as in the one-factor test. */
function distanceToVasicek(losses: Float64Array): number {
  const counts = new Int32Array(OBLIGORS + 1);
  for (const loss of losses) counts[Math.round(loss)]! += 1;
  let cumulative = 0;
  let distance = 0;
  for (let k = 0; k <= OBLIGORS; k++) {
    cumulative += counts[k]!;
    const gap = Math.abs(cumulative / losses.length - vasicekLossCdf((k + 0.5) / OBLIGORS, PD, RHO));
    distance = Math.max(distance, gap);
  }
  return distance;
}

describe('multi-factor Gaussian copula against Vasicek (2002)', () => {
  it(`one factor: a large homogeneous portfolio is within ${TOLERANCE} of Vasicek's distribution`, () => {
    expect(distanceToVasicek(simulateFactorLosses(homogeneous(1, 1), SCENARIOS, 20261130))).toBeLessThan(
      TOLERANCE,
    );
  });

  it('four factors all correlated 1 are one factor: the same check holds', () => {
    expect(distanceToVasicek(simulateFactorLosses(homogeneous(4, 1), SCENARIOS, 20261130))).toBeLessThan(
      TOLERANCE,
    );
  });

  it('mutation: the factor correlation dropped (four independent factors) fails the check', () => {
    expect(distanceToVasicek(simulateFactorLosses(homogeneous(4, 0), SCENARIOS, 20261130))).toBeGreaterThan(
      TOLERANCE,
    );
  });

  it('is reproducible from its seed, and another seed gives other losses', () => {
    const a = simulateFactorLosses(homogeneous(4, 0.5), 200, 7);
    expect(simulateFactorLosses(homogeneous(4, 0.5), 200, 7)).toEqual(a);
    expect(simulateFactorLosses(homogeneous(4, 0.5), 200, 8)).not.toEqual(a);
  });
});

interface Sector {
  n: number;
  p: number;
  rho: number;
  loss: number;
}
const SECTORS: [Sector, Sector] = [
  { n: 150, p: 0.03, rho: 0.2, loss: 1 },
  { n: 150, p: 0.05, rho: 0.12, loss: 2 },
];
const VARIANCE_SCENARIOS = 40_000;
/**
 * Stated tolerance: 4% of the analytic variance. The sample variance of 40,000 scenarios of this
 * heavy-tailed loss has a relative standard error near 1.3% (three seeds measured 0.0–1.5% off); the
 * factor correlation of 0.5 moves the variance by 28%, so the mutation is far outside.
 */
const VARIANCE_TOLERANCE = 0.04;

const conditionalPd = (s: Sector, y: number) =>
  normalCdf((normalQuantile(s.p) - Math.sqrt(s.rho) * y) / Math.sqrt(1 - s.rho));

/** Composite Simpson's rule on [−8, 8] (the normal density is below 1e−14 outside). */
function integrate(f: (x: number) => number, intervals: number): number {
  const h = 16 / intervals;
  let sum = f(-8) + f(8);
  for (let i = 1; i < intervals; i++) sum += (i % 2 ? 4 : 2) * f(-8 + i * h);
  return (sum * h) / 3;
}

function analyticVariance(factorCorrelation: number): number {
  let variance = 0;
  for (const s of SECTORS) {
    const twoDefault = integrate((y) => normalDensity(y) * conditionalPd(s, y) ** 2, 800);
    variance += s.loss ** 2 * (s.n * s.p * (1 - s.p) + s.n * (s.n - 1) * (twoDefault - s.p ** 2));
  }
  const [a, b] = SECTORS;
  const c = factorCorrelation;
  // Y_b = c·Y_a + √(1 − c²)·W with W independent of Y_a.
  const oneOfEach = integrate(
    (y) =>
      normalDensity(y) *
      conditionalPd(a, y) *
      integrate((w) => normalDensity(w) * conditionalPd(b, c * y + Math.sqrt(1 - c * c) * w), 200),
    200,
  );
  return variance + 2 * a.n * b.n * a.loss * b.loss * (oneOfEach - a.p * b.p);
}

function simulatedVariance(factorCorrelation: number, seed: number): number {
  const n = SECTORS[0].n + SECTORS[1].n;
  const sector = (i: number) => (i < SECTORS[0].n ? 0 : 1);
  const losses = simulateFactorLosses(
    {
      pd: Float64Array.from({ length: n }, (_, i) => SECTORS[sector(i)].p),
      lossGivenDefault: Float64Array.from({ length: n }, (_, i) => SECTORS[sector(i)].loss),
      correlation: Float64Array.from({ length: n }, (_, i) => SECTORS[sector(i)].rho),
      factor: Int32Array.from({ length: n }, (_, i) => sector(i)),
      factors: 2,
      factorCholesky: choleskyOfCorrelation(correlationMatrix(2, factorCorrelation), ['a', 'b']),
    },
    VARIANCE_SCENARIOS,
    seed,
  );
  const mean = losses.reduce((x, y) => x + y, 0) / losses.length;
  return losses.reduce((x, y) => x + (y - mean) ** 2, 0) / (losses.length - 1);
}

describe('the variance of a two-sector portfolio', () => {
  const independent = analyticVariance(0);
  const correlated = analyticVariance(0.5);

  it(`with independent factors matches the analytic value within ${VARIANCE_TOLERANCE * 100}%`, () => {
    expect(Math.abs(simulatedVariance(0, 11) / independent - 1)).toBeLessThan(VARIANCE_TOLERANCE);
  });

  it(`with factor correlation 0.5 matches its analytic value within ${VARIANCE_TOLERANCE * 100}%`, () => {
    expect(Math.abs(simulatedVariance(0.5, 12) / correlated - 1)).toBeLessThan(VARIANCE_TOLERANCE);
  });

  it.each([
    ['the factor correlation dropped', 0, () => correlated],
    ['a factor correlation where there is none', 0.5, () => independent],
    ['the sectors on one factor', 1, () => correlated],
  ])('mutation: %s fails', (_name, simulatedWith, analytic) => {
    expect(Math.abs(simulatedVariance(simulatedWith, 13) / analytic() - 1)).toBeGreaterThan(
      3 * VARIANCE_TOLERANCE,
    );
  });
});

describe('Cholesky factor of a factor correlation matrix', () => {
  it('factors a 2 × 2 matrix exactly', () => {
    const l = choleskyOfCorrelation(new Float64Array([1, 0.6, 0.6, 1]), ['a', 'b']);
    expect([...l]).toEqual([1, 0, 0.6, 0.8]);
  });

  it('accepts a semi-definite matrix (all correlations 1) as one factor', () => {
    const l = choleskyOfCorrelation(correlationMatrix(3, 1), ['a', 'b', 'c']);
    expect([...l]).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0]);
  });

  it('refuses a matrix no factors can have, naming the factor where it fails', () => {
    // a and b close, b and c close, but a and c opposite: not positive semi-definite. By hand: L₃₁ = −0.9,
    // L₃₂ = (0.9 + 0.81)/√0.19 = 3.923, so 1 − 0.81 − 15.39 = −15.2 would be left for L₃₃².
    const m = new Float64Array([1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1]);
    expect(() => choleskyOfCorrelation(m, ['mining', 'shipbuilding', 'solar'])).toThrow(
      /not positive semi-definite: factor "solar" would keep a variance of -15\.2 after the factors before it/,
    );
  });

  it('refuses a matrix that is not a correlation matrix, saying why', () => {
    expect(() => choleskyOfCorrelation(new Float64Array([1, 0.5, 0.4, 1]), ['a', 'b'])).toThrow(/differs/);
    expect(() => choleskyOfCorrelation(new Float64Array([2, 0, 0, 1]), ['a', 'b'])).toThrow(/with itself/);
    expect(() => choleskyOfCorrelation(new Float64Array([1, 1.5, 1.5, 1]), ['a', 'b'])).toThrow(/−1 to 1/);
    expect(() => choleskyOfCorrelation(new Float64Array(3), ['a', 'b'])).toThrow(/2 × 2/);
  });
});

describe('sector factors from the programme file', () => {
  const file: FactorCorrelationFile = {
    source: 'test setting',
    coreAreas: {
      order: ['a', 'b'],
      matrix: [
        [1, 0.5],
        [0.5, 1],
      ],
    },
    subAreaWeight: 0.6,
  };
  const areaOf = new Map([
    ['a1', 'a'],
    ['a2', 'a'],
    ['b1', 'b'],
  ]);

  it('sub-areas of one core area correlate by the weight, of two core areas by weight × C', () => {
    const { matrix } = sectorFactors(file, 'sub_area', ['a1', 'a2', 'b1'], areaOf);
    expect([...matrix]).toEqual([1, 0.6, 0.3, 0.6, 1, 0.3, 0.3, 0.3, 1]);
    expect([...sectorFactors(file, 'core_area', ['b'], areaOf).matrix]).toEqual([1]);
  });

  it('checks the whole core-area matrix whatever the portfolio holds, and names what is missing', () => {
    const bad = {
      ...file,
      coreAreas: {
        order: ['a', 'b', 'c'],
        matrix: [
          [1, 0.9, -0.9],
          [0.9, 1, 0.9],
          [-0.9, 0.9, 1],
        ],
      },
    };
    expect(() => sectorFactors(bad, 'core_area', ['a'], areaOf)).toThrow(
      /not positive semi-definite: factor "c"/,
    );
    const ragged = { ...file, coreAreas: { order: ['a', 'b'], matrix: [[1, 0.5], [0.5]] } };
    expect(() => sectorFactors(ragged, 'core_area', ['a'], areaOf)).toThrow(/must be 2 × 2/);
    expect(() => sectorFactors(file, 'sub_area', ['z1'], areaOf)).toThrow(/no core area for sub-area "z1"/);
  });

  it('the shipped file is a correlation matrix over the reference taxonomy, and says it is an assumption', () => {
    const data = join(import.meta.dirname, '..', '..', 'data');
    const shipped = factorCorrelationFileSchema.parse(
      JSON.parse(readFileSync(join(data, 'credit', 'factor-correlations.json'), 'utf8')),
    );
    expect(shipped.source).toMatch(/programme's own assumption.*not a published figure/);
    const taxonomy = JSON.parse(readFileSync(join(data, 'taxonomy', 'sri-taxonomy.json'), 'utf8')) as {
      areas: { id: string; subAreas: { id: string }[] }[];
    };
    const subAreas = new Map(taxonomy.areas.flatMap((a) => a.subAreas.map((x) => [x.id, a.id] as const)));
    expect(subAreas.size).toBe(27);
    expect(sectorFactors(shipped, 'sub_area', [...subAreas.keys()], subAreas).keys).toHaveLength(27);
    expect(sectorFactors(shipped, 'core_area', shipped.coreAreas.order, subAreas).keys).toHaveLength(4);
  });
});
