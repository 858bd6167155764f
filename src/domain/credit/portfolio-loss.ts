/**
 * Portfolio credit losses under the one-factor Gaussian copula, by seeded Monte Carlo, and the closed form
 * it must converge to.
 *
 * Obligor i defaults in a scenario when its latent asset value X_i = √ρ_i · Z + √(1 − ρ_i) · ε_i falls below
 * Φ⁻¹(PD_i), with Z (the systematic factor, one per scenario) and the ε_i (idiosyncratic) independent
 * standard normals; the scenario's loss is Σ EAD_i · LGD_i over the defaulters. ρ_i is the asset
 * correlation of obligor i with the factor (pairwise correlation ρ_i·ρ_j under the square roots).
 *
 * For a large homogeneous portfolio (PD p, correlation ρ, equal exposures) the fraction lost converges to
 * Vasicek's distribution (O. Vasicek, "The distribution of loan portfolio value", Risk 15(12), 2002):
 *   P(L ≤ x) = Φ((√(1 − ρ) · Φ⁻¹(x) − Φ⁻¹(p)) / √ρ),
 * whose q-quantile Φ((Φ⁻¹(p) + √ρ · Φ⁻¹(q)) / √(1 − ρ)) is the conditional PD inside the IRB formula.
 *
 * The simulation draws the factor Z per scenario and then each obligor's default from its conditional PD
 * Φ((Φ⁻¹(PD_i) − √ρ_i·Z)/√(1 − ρ_i)) with one uniform: the same joint law as drawing every ε_i, at the cost
 * of one uniform per obligor and one Φ per group of obligors sharing PD and correlation. It is a pure
 * function over typed arrays so that it can later be split across worker threads by scenario chunks (each
 * chunk with its own seed), like the equity Monte Carlo.
 */
import { KeelError } from '../errors.ts';
import { normals } from '../monte-carlo.ts';
import { seededRandom } from '../synthetic.ts';
import { normalCdf, normalQuantile } from './normal.ts';

export interface CopulaPortfolio {
  pd: Float64Array;
  /** Loss if obligor i defaults: EAD_i × LGD_i (any unit; dollars for reports). */
  lossGivenDefault: Float64Array;
  /** Asset correlation ρ_i with the systematic factor, 0 ≤ ρ_i < 1. */
  correlation: Float64Array;
}

export function simulateLosses(portfolio: CopulaPortfolio, scenarios: number, seed: number): Float64Array {
  const { pd, lossGivenDefault, correlation } = portfolio;
  const n = pd.length;
  if (lossGivenDefault.length !== n || correlation.length !== n) {
    throw new KeelError(
      'invalid_portfolio',
      'PD, loss and correlation arrays must have one entry per obligor',
    );
  }
  if (!Number.isInteger(scenarios) || scenarios < 1) {
    throw new KeelError('invalid_portfolio', 'the number of scenarios must be a positive whole number');
  }
  // Obligors that share PD and correlation share their conditional PD in every scenario: a grade scale has
  // a few dozen such groups however many obligors there are.
  const groupOf = new Int32Array(n);
  const groups = new Map<string, number>();
  const threshold: number[] = [];
  const loading: number[] = [];
  const idiosyncratic: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = pd[i]!;
    const rho = correlation[i]!;
    if (!(p >= 0 && p <= 1)) throw new KeelError('invalid_pd', `PD of obligor ${i} must be from 0 to 1`);
    if (!(rho >= 0 && rho < 1)) {
      throw new KeelError('invalid_portfolio', `correlation of obligor ${i} must be at least 0 and below 1`);
    }
    const key = `${p}|${rho}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = threshold.length;
      groups.set(key, group);
      threshold.push(normalQuantile(p));
      loading.push(Math.sqrt(rho));
      idiosyncratic.push(Math.sqrt(1 - rho));
    }
    groupOf[i] = group;
  }
  const conditionalPd = new Float64Array(threshold.length);
  const random = seededRandom(seed);
  const gaussian = normals(random);
  const losses = new Float64Array(scenarios);
  for (let s = 0; s < scenarios; s++) {
    // Given the factor Z, X_i = √ρ·Z + √(1−ρ)·ε_i < Φ⁻¹(PD) exactly when ε_i < (Φ⁻¹(PD) − √ρ·Z)/√(1−ρ):
    // defaults are independent with that conditional probability, so one uniform per obligor decides.
    const z = gaussian();
    for (let g = 0; g < conditionalPd.length; g++) {
      conditionalPd[g] = normalCdf((threshold[g]! - loading[g]! * z) / idiosyncratic[g]!);
    }
    let loss = 0;
    for (let i = 0; i < n; i++) {
      if (random() < conditionalPd[groupOf[i]!]!) loss += lossGivenDefault[i]!;
    }
    losses[s] = loss;
  }
  return losses;
}

/** Vasicek's limiting distribution function of the fraction of a homogeneous portfolio lost. */
export function vasicekLossCdf(x: number, pd: number, correlation: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return normalCdf(
    (Math.sqrt(1 - correlation) * normalQuantile(x) - normalQuantile(pd)) / Math.sqrt(correlation),
  );
}

/**
 * The q-quantile of Vasicek's distribution, written as in BCBS 2006 ¶272:
 * Φ((1 − ρ)^−½ · Φ⁻¹(p) + (ρ / (1 − ρ))^½ · Φ⁻¹(q)).
 */
export function vasicekLossQuantile(q: number, pd: number, correlation: number): number {
  return normalCdf(
    (1 - correlation) ** -0.5 * normalQuantile(pd) +
      (correlation / (1 - correlation)) ** 0.5 * normalQuantile(q),
  );
}

export interface RiskMeasures {
  expectedLoss: number;
  /** Value at risk at each confidence level q: the ⌈q·S⌉-th smallest of the S simulated losses. */
  valueAtRisk: number[];
  /** Expected shortfall at q: the mean loss of the worst (1 − q) share of scenarios (Acerbi–Tasche). */
  expectedShortfall: number[];
}

/**
 * EL, VaR and ES of S simulated losses at confidence levels q such as 0.99 and 0.999. With L₍₁₎ ≤ … ≤ L₍S₎
 * the sorted losses and m = ⌈q·S⌉:
 *   VaR_q = L₍m₎, the smallest loss that at least a share q of scenarios do not exceed (nearest rank);
 *   ES_q = (Σ_{i=m+1..S} L₍i₎ + (m − q·S) · L₍m₎) / (S · (1 − q)), the mean of the worst S·(1 − q)
 *   scenarios counting L₍m₎ for the fraction of a scenario the tail takes of it (C. Acerbi and D. Tasche,
 *   "On the coherence of expected shortfall", Journal of Banking & Finance 26(7), 2002). When S·(1 − q) is a
 *   whole number this is the plain mean of the worst S·(1 − q) losses.
 * q·S is taken as the whole number it is meant to be when within 1e−6 of one (0.07 × 100 is 7.000000000000001
 * in floating point, whose ceiling would be 8).
 */
export function riskMeasures(losses: Float64Array, levels: readonly number[]): RiskMeasures {
  if (losses.length === 0) throw new KeelError('invalid_portfolio', 'no scenarios to measure');
  const sorted = Float64Array.from(losses).sort();
  const total = sorted.reduce((a, b) => a + b, 0);
  const s = sorted.length;
  const valueAtRisk: number[] = [];
  const expectedShortfall: number[] = [];
  for (const q of levels) {
    if (!(q > 0 && q < 1))
      throw new KeelError('invalid_portfolio', 'confidence levels must be between 0 and 1');
    let qs = q * s;
    // (Not up to S itself: the tail is then the fraction of the worst scenario left, and ES that loss.)
    if (Math.abs(qs - Math.round(qs)) < 1e-6 && Math.round(qs) < s) qs = Math.round(qs);
    const rank = Math.max(1, Math.ceil(qs)); // 1-based
    const atRisk = sorted[rank - 1]!;
    valueAtRisk.push(atRisk);
    let tail = (rank - qs) * atRisk;
    for (let i = rank; i < s; i++) tail += sorted[i]!;
    expectedShortfall.push(tail / (s - qs));
  }
  return { expectedLoss: total / s, valueAtRisk, expectedShortfall };
}
