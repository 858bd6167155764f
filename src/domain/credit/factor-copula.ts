/**
 * Portfolio credit losses under the multi-factor Gaussian copula, by seeded Monte Carlo: the one-factor
 * model of portfolio-loss.ts with one systematic factor per sector (core area or sub-area) and correlated
 * factors.
 *
 * Obligor i, on sector factor f(i), defaults when X_i = √ρ_i · Y_f(i) + √(1 − ρ_i) · ε_i < Φ⁻¹(PD_i). The
 * factors Y = L·Z are standard normals with correlation matrix C = L·Lᵀ (cholesky.ts), Z and the ε_i
 * independent standard normals. Two obligors on factors f and g have asset correlation √(ρ_i·ρ_j) · C_fg.
 * With one factor (or every C_fg = 1) this is exactly portfolio-loss.ts's model, whose large-portfolio limit
 * is Vasicek's distribution (Vasicek 2002).
 *
 * Given the factors, defaults are independent with conditional probability
 * p_i(Y) = Φ((Φ⁻¹(PD_i) − √ρ_i · Y_f(i)) / √(1 − ρ_i)), shared by every obligor of the same PD, ρ and factor
 * (a group). Within a group the defaulters of one scenario are drawn by geometric skips: the gap to the
 * next defaulter is ⌊ln U / ln(1 − p)⌋, so P(gap = k) = (1 − p)^k · p, the law of independent Bernoulli(p)
 * trials, at the cost of one uniform per defaulter instead of one per obligor (a portfolio with PDs around
 * 1% draws about a hundredth of the uniforms). Groups with a high conditional PD draw one uniform per
 * member instead, which is then cheaper. Both are exact in law; only the stream of draws differs.
 *
 * A chunk of scenarios is a pure function of (spec, seed, scenarios): the worker pool runs fixed chunks with
 * seeds derived from (seed, chunk), so the losses do not depend on the number of threads. Floats (analytics).
 */
import { KeelError } from '../errors.ts';
import { normals } from '../monte-carlo.ts';
import { seededRandom } from '../synthetic.ts';
import { normalQuantile } from './normal.ts';
import { fastNormalCdf } from './normal-table.ts';

export interface FactorCopulaSpec {
  pd: Float64Array;
  /** Loss if obligor i defaults: EAD_i × LGD_i (dollars in reports). */
  lossGivenDefault: Float64Array;
  /** Asset correlation ρ_i of obligor i with its sector factor, 0 ≤ ρ_i < 1. */
  correlation: Float64Array;
  /** The sector factor of obligor i: an index 0 … factors − 1. */
  factor: Int32Array;
  /** Number of factors k. */
  factors: number;
  /** Lower-triangular Cholesky factor L of the k × k factor correlation matrix, row-major. */
  factorCholesky: Float64Array;
}

/** Above this conditional PD a group draws one uniform per member rather than one per defaulter. */
const DENSE_ABOVE = 0.3;

interface Groups {
  threshold: Float64Array;
  loading: Float64Array;
  idiosyncratic: Float64Array;
  factor: Int32Array;
  /** The group of each obligor. */
  groupOf: Int32Array;
  /** Group g's members are [start[g], start[g + 1]) of `memberLoss`. */
  start: Int32Array;
  memberLoss: Float64Array;
}

/** Checks the spec and gathers obligors of equal PD, ρ and factor into groups with contiguous losses. */
export function groupObligors(spec: FactorCopulaSpec): Groups {
  const { pd, lossGivenDefault, correlation, factor, factors } = spec;
  const n = pd.length;
  if (lossGivenDefault.length !== n || correlation.length !== n || factor.length !== n) {
    throw new KeelError(
      'invalid_portfolio',
      'PD, loss, correlation and factor arrays must have one entry per obligor',
    );
  }
  if (!(Number.isInteger(factors) && factors >= 1) || spec.factorCholesky.length !== factors * factors) {
    throw new KeelError('invalid_portfolio', 'the factor Cholesky matrix must be factors × factors');
  }
  const keys = new Map<string, number>();
  const groupOf = new Int32Array(n);
  const threshold: number[] = [];
  const loading: number[] = [];
  const idiosyncratic: number[] = [];
  const groupFactor: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = pd[i]!;
    const rho = correlation[i]!;
    const f = factor[i]!;
    if (!(p >= 0 && p <= 1)) throw new KeelError('invalid_pd', `PD of obligor ${i} must be from 0 to 1`);
    if (!(rho >= 0 && rho < 1)) {
      throw new KeelError('invalid_portfolio', `correlation of obligor ${i} must be at least 0 and below 1`);
    }
    if (!(f >= 0 && f < factors)) throw new KeelError('invalid_portfolio', `obligor ${i} has no factor`);
    if (!(lossGivenDefault[i]! >= 0)) {
      throw new KeelError('invalid_portfolio', `loss given default of obligor ${i} must be at least 0`);
    }
    const key = `${p}|${rho}|${f}`;
    let g = keys.get(key);
    if (g === undefined) {
      g = threshold.length;
      keys.set(key, g);
      threshold.push(normalQuantile(p));
      loading.push(Math.sqrt(rho));
      idiosyncratic.push(Math.sqrt(1 - rho));
      groupFactor.push(f);
    }
    groupOf[i] = g;
  }
  const count = threshold.length;
  const start = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) start[groupOf[i]! + 1]! += 1;
  for (let g = 0; g < count; g++) start[g + 1]! += start[g]!;
  const next = Int32Array.from(start.subarray(0, count));
  const memberLoss = new Float64Array(n);
  for (let i = 0; i < n; i++) memberLoss[next[groupOf[i]!]!++] = lossGivenDefault[i]!;
  return {
    threshold: Float64Array.from(threshold),
    loading: Float64Array.from(loading),
    idiosyncratic: Float64Array.from(idiosyncratic),
    factor: Int32Array.from(groupFactor),
    groupOf,
    start,
    memberLoss,
  };
}

/** The portfolio loss in each of `scenarios` scenarios drawn from `seed`. */
export function simulateFactorLosses(spec: FactorCopulaSpec, scenarios: number, seed: number): Float64Array {
  if (!Number.isInteger(scenarios) || scenarios < 1) {
    throw new KeelError('invalid_portfolio', 'the number of scenarios must be a positive whole number');
  }
  const { threshold, loading, idiosyncratic, factor, start, memberLoss } = groupObligors(spec);
  const k = spec.factors;
  const l = spec.factorCholesky;
  const groups = threshold.length;
  const random = seededRandom(seed);
  const gaussian = normals(random);
  const z = new Float64Array(k);
  const y = new Float64Array(k);
  const losses = new Float64Array(scenarios);
  for (let s = 0; s < scenarios; s++) {
    for (let f = 0; f < k; f++) z[f] = gaussian();
    for (let f = 0; f < k; f++) {
      let sum = 0;
      for (let j = 0; j <= f; j++) sum += l[f * k + j]! * z[j]!;
      y[f] = sum;
    }
    let loss = 0;
    for (let g = 0; g < groups; g++) {
      const p = fastNormalCdf((threshold[g]! - loading[g]! * y[factor[g]!]!) / idiosyncratic[g]!);
      const end = start[g + 1]!;
      if (p > DENSE_ABOVE) {
        for (let m = start[g]!; m < end; m++) if (random() < p) loss += memberLoss[m]!;
        continue;
      }
      if (!(p > 0)) continue;
      // Geometric skips: 1 − random() is in (0, 1], so the logarithm is finite and the gap at least 0.
      const logSurvival = Math.log1p(-p);
      let m = start[g]! - 1;
      for (;;) {
        m += 1 + Math.floor(Math.log(1 - random()) / logSurvival);
        if (m >= end) break;
        loss += memberLoss[m]!;
      }
    }
    losses[s] = loss;
  }
  return losses;
}
