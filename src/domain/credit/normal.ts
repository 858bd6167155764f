/**
 * The standard normal distribution to near machine precision, without tables of fitted coefficients:
 *
 * - Φ(x) for |x| ≤ 3 by the Taylor series Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …), summed until the
 *   sum stops changing (G. Marsaglia, "Evaluating the Normal Distribution", Journal of Statistical Software
 *   11(4), 2004); beyond, the upper tail by Laplace's continued fraction
 *   1 − Φ(x) = φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))), which converges fast there and keeps the tail's
 *   relative accuracy.
 * - Φ⁻¹(p) by Halley's method on that Φ, started from the crude tail approximation t = √(−2 ln p), and
 *   stopped when a step no longer moves x.
 *
 * Checked against scipy.stats.norm (test/fixtures/irb-reference.py) to 1e-12.
 */
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const CONTINUED_FRACTION_TERMS = 100;

export function normalDensity(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (Math.abs(x) <= 3) {
    let sum = x;
    let term = x;
    const square = x * x;
    for (let i = 3; ; i += 2) {
      term *= square / i;
      const next = sum + term;
      if (next === sum) break;
      sum = next;
    }
    return 0.5 + sum * normalDensity(x);
  }
  const a = Math.abs(x);
  let fraction = a;
  for (let k = CONTINUED_FRACTION_TERMS; k >= 1; k--) fraction = a + k / fraction;
  const upperTail = normalDensity(a) / fraction;
  return x < 0 ? upperTail : 1 - upperTail;
}

/** Φ⁻¹(p) for 0 < p < 1; −∞ at 0 and +∞ at 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -normalQuantile(1 - p);
  if (p === 0.5) return 0;
  const t = Math.sqrt(-2 * Math.log(p));
  // Start: the leading terms of the tail expansion; Halley's cubic convergence does the rest.
  let x = -(t - Math.log(2 * Math.PI * t * t) / (2 * t));
  if (!Number.isFinite(x) || x > 0) x = -t;
  for (let i = 0; i < 100; i++) {
    const error = normalCdf(x) - p;
    const u = error / normalDensity(x);
    const step = u / (1 + (x * u) / 2);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}
