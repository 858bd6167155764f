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
  /** Value at risk at each confidence level: the smallest loss not exceeded in a share q of scenarios. */
  valueAtRisk: number[];
  /** Expected shortfall: the mean loss of the worst (1 − q) share of scenarios. */
  expectedShortfall: number[];
}

/** EL, VaR and ES of simulated losses at confidence levels such as 0.99 and 0.999. */
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
    const rank = Math.ceil(q * s); // nearest rank, 1-based
    valueAtRisk.push(sorted[rank - 1]!);
    const tail = sorted.subarray(rank === s ? s - 1 : rank);
    expectedShortfall.push(tail.reduce((a, b) => a + b, 0) / tail.length);
  }
  return { expectedLoss: total / s, valueAtRisk, expectedShortfall };
}
