import { describe, expect, it } from 'vitest';
import { irbCorporate } from '../../src/domain/credit/irb.ts';
import { normalCdf, normalQuantile } from '../../src/domain/credit/normal.ts';
import {
  riskMeasures,
  simulateLosses,
  vasicekLossCdf,
  vasicekLossQuantile,
} from '../../src/domain/credit/portfolio-loss.ts';

const OBLIGORS = 2_000;
const SCENARIOS = 4_000;
const PD = 0.02;
const RHO = 0.15;
/**
 * Stated tolerance: the largest gap (Kolmogorov distance) between the simulated distribution of the fraction
 * lost and Vasicek's limit. Two errors make up the gap: sampling (about 1.36/√4000 ≈ 0.021 at 95% for the
 * Kolmogorov statistic) and granularity (2,000 obligors, not infinitely many; over two seeds the distance
 * measured 0.028–0.029 at 1,000, 0.015–0.020 at 2,000 and 0.012–0.014 at 5,000 obligors). 0.03 leaves room for both and is still
 * ten times smaller than what the mutated copulas below produce.
 */
const TOLERANCE = 0.03;

function homogeneous(pd: number, correlation: number) {
  return {
    pd: new Float64Array(OBLIGORS).fill(pd),
    lossGivenDefault: new Float64Array(OBLIGORS).fill(1),
    correlation: new Float64Array(OBLIGORS).fill(correlation),
  };
}

/**
 * Kolmogorov distance between the simulated default fraction and Vasicek's distribution, with a continuity
 * correction: P(defaults ≤ k) is compared with F((k + ½) / N).
 */
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

describe('one-factor Gaussian copula Monte Carlo against Vasicek (2002)', () => {
  const losses = simulateLosses(homogeneous(PD, RHO), SCENARIOS, 20261129);

  it(`a large homogeneous portfolio converges to Vasicek's loss distribution within ${TOLERANCE}`, () => {
    expect(distanceToVasicek(losses)).toBeLessThan(TOLERANCE);
    // and its mean is the PD: E[L] = p.
    expect(riskMeasures(losses, [0.5]).expectedLoss / OBLIGORS).toBeCloseTo(PD, 2);
  });

  it('is reproducible from its seed', () => {
    expect(simulateLosses(homogeneous(PD, RHO), 50, 7)).toEqual(simulateLosses(homogeneous(PD, RHO), 50, 7));
  });

  // Each mutation is expressed through the real function with the parameters the bug amounts to.
  it.each([
    // The loading mistaken for the correlation (factor weight ρ and idiosyncratic weight √(1−ρ²)): the
    // copula of correlation ρ².
    ['factor loading ρ instead of √ρ', PD, RHO ** 2],
    // Leaving out the idiosyncratic scaling (X = √ρZ + ε): variance 1 + ρ, so the effective PD is
    // Φ(Φ⁻¹(p)/√(1+ρ)) and the effective correlation ρ/(1+ρ).
    [
      'idiosyncratic weight 1 instead of √(1−ρ)',
      normalCdf(normalQuantile(PD) / Math.sqrt(1 + RHO)),
      RHO / (1 + RHO),
    ],
    // Drawing a new factor per obligor instead of one per scenario: independent defaults.
    ['factor drawn per obligor (no correlation)', PD, 0],
    // A modest misuse: the correlation of the next grade up.
    ['correlation 0.20 instead of 0.15', PD, 0.2],
  ])('a mutated copula (%s) fails the same check', (_name, pd, correlation) => {
    const mutated = simulateLosses(homogeneous(pd as number, correlation as number), SCENARIOS, 20261129);
    expect(distanceToVasicek(mutated)).toBeGreaterThan(TOLERANCE);
  });

  it("Vasicek's quantile inverts its distribution function and is the IRB formula's conditional PD", () => {
    for (const q of [0.5, 0.9, 0.99, 0.999]) {
      expect(vasicekLossCdf(vasicekLossQuantile(q, PD, RHO), PD, RHO)).toBeCloseTo(q, 12);
    }
    const { capitalK, correlation, maturityAdjustment: b } = irbCorporate({ pd: PD, lgd: 1, maturity: 2.5 });
    expect(capitalK * (1 - 1.5 * b)).toBeCloseTo(vasicekLossQuantile(0.999, PD, correlation) - PD, 14);
  });
});

describe('a mixed portfolio', () => {
  it('loses on average Σ PD × LGD × EAD, within three standard errors', () => {
    const n = 300;
    const pd = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0.05 : 0.005));
    const lossGivenDefault = Float64Array.from({ length: n }, (_, i) => 1 + (i % 7));
    const correlation = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0.12 : 0.24));
    const scenarios = 20_000;
    const losses = simulateLosses({ pd, lossGivenDefault, correlation }, scenarios, 5);
    const expected = pd.reduce((sum, p, i) => sum + p * lossGivenDefault[i]!, 0);
    const mean = losses.reduce((a, b) => a + b, 0) / scenarios;
    const variance = losses.reduce((a, b) => a + (b - mean) ** 2, 0) / (scenarios - 1);
    expect(Math.abs(mean - expected)).toBeLessThan(3 * Math.sqrt(variance / scenarios));
  });

  it('refuses arrays of different lengths and impossible parameters', () => {
    const one = new Float64Array([0.01]);
    expect(() =>
      simulateLosses({ pd: one, lossGivenDefault: new Float64Array(2), correlation: one }, 1, 1),
    ).toThrow(/one entry per obligor/);
    expect(() =>
      simulateLosses({ pd: one, lossGivenDefault: one, correlation: new Float64Array([1]) }, 1, 1),
    ).toThrow(/below 1/);
    expect(() => simulateLosses({ pd: one, lossGivenDefault: one, correlation: one }, 0, 1)).toThrow(
      /scenarios/,
    );
  });
});

describe('risk measures of a loss sample', () => {
  it('EL is the mean, VaR the nearest-rank quantile, ES the mean of the worst tail', () => {
    const losses = Float64Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, shuffled order
    const m = riskMeasures(losses, [0.95, 0.99]);
    expect(m.expectedLoss).toBe(50.5);
    expect(m.valueAtRisk).toEqual([95, 99]);
    expect(m.expectedShortfall).toEqual([(96 + 97 + 98 + 99 + 100) / 5, 100]);
  });
});

describe('the quantile and tail definitions, by hand', () => {
  // Sorted: 1 1 2 3 3 4 5 5 6 9 (S = 10).
  const sample = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]);

  it('q·S not whole: VaR is the ⌈q·S⌉-th smallest loss, ES counts it for the fraction the tail takes', () => {
    // q = 0.75: q·S = 7.5, rank 8 → VaR = 5; ES = (6 + 9 + 0.5 × 5) / 2.5 = 7.
    // q = 0.95: q·S = 9.5, rank 10 → VaR = 9; ES = (0.5 × 9) / 0.5 = 9.
    const m = riskMeasures(sample, [0.75, 0.95]);
    expect(m.valueAtRisk).toEqual([5, 9]);
    expect(m.expectedShortfall[0]).toBeCloseTo(7, 12);
    expect(m.expectedShortfall[1]).toBeCloseTo(9, 12);
    expect(m.expectedLoss).toBe(3.9);
  });

  it('q·S whole: VaR the (q·S)-th smallest, ES the plain mean of the losses above it', () => {
    // q = 0.9: rank 9 → VaR = 6; ES = 9 (the one loss above). q = 0.5: rank 5 → VaR = 3; ES = (4+5+5+6+9)/5.
    const m = riskMeasures(sample, [0.9, 0.5]);
    expect(m.valueAtRisk).toEqual([6, 3]);
    expect(m.expectedShortfall).toEqual([9, 29 / 5]);
  });

  it('takes q·S as the whole number it is meant to be (0.07 × 100 is 7.000000000000001 in floats)', () => {
    const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    const m = riskMeasures(hundred, [0.07]);
    expect(m.valueAtRisk).toEqual([7]);
    expect(m.expectedShortfall[0]).toBeCloseTo((5050 - 28) / 93, 12);
  });
});
