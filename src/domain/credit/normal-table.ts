/**
 * Φ(x) fast enough to be called for every group of obligors in every Monte Carlo scenario (tens of millions
 * of calls), built from normal.ts's exact Φ rather than from fitted coefficients.
 *
 * For x ≤ 0, Φ(x) = φ(x) · R(x), where R = Φ/φ (Mills' ratio of −x) is smooth and slowly varying (R ≈ 1/|x|
 * in the tail), and its derivatives are known exactly from R itself: R′(x) = 1 + x · R(x) and
 * R″(x) = R(x) + x · R′(x). R is tabulated at steps h = 1/STEPS_PER_UNIT on [−TABLE_END, 0] from normalCdf
 * and normalDensity, and interpolated on each step by the quintic Hermite polynomial that matches R, R′
 * and R″ at both ends; the interpolation error is of order h⁶ · max|R⁽⁶⁾| / 46080, relative to Φ because it
 * is relative to R (a cubic on values and slopes alone left 5e−10 at h = 1/64). For x > 0, Φ(x) =
 * 1 − Φ(−x). Below −TABLE_END, Φ(x) is under the smallest normal double (Φ(−37.5) ≈ 4.6e−310) and 0 is
 * returned. Checked against normalCdf in test/unit/credit-normal-table.test.ts (relative error < 1e−12).
 * Analytics, in floats.
 */
import { normalCdf, normalDensity } from './normal.ts';

const STEPS_PER_UNIT = 32;
const TABLE_END = 37.5;
const NODES = TABLE_END * STEPS_PER_UNIT + 1;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** At node k (x = −k·h): R, h·R′ and h²·R″ (the derivatives scaled to one step). */
const value = new Float64Array(NODES);
const slope = new Float64Array(NODES);
const curvature = new Float64Array(NODES);
for (let k = 0; k < NODES; k++) {
  const x = -k / STEPS_PER_UNIT;
  const r = normalCdf(x) / normalDensity(x);
  const r1 = 1 + x * r;
  value[k] = r;
  slope[k] = r1 / STEPS_PER_UNIT;
  curvature[k] = (r + x * r1) / STEPS_PER_UNIT ** 2;
}

/** Φ(x) for x ≤ 0 from the table. */
function lowerTail(x: number): number {
  if (x < -TABLE_END) return 0;
  // Node k is at −k/STEPS; x lies between node k (right end) and node k + 1 (left end).
  const position = -x * STEPS_PER_UNIT;
  let k = Math.floor(position);
  if (k >= NODES - 1) k = NODES - 2;
  // t runs from 0 at node k + 1 (the left end) to 1 at node k.
  const t = 1 - (position - k);
  const t2 = t * t;
  const t3 = t2 * t;
  const t4 = t3 * t;
  const t5 = t4 * t;
  // The quintic Hermite basis: value, slope and curvature at the left end (node k + 1) and the right (k).
  const r =
    (1 - 10 * t3 + 15 * t4 - 6 * t5) * value[k + 1]! +
    (t - 6 * t3 + 8 * t4 - 3 * t5) * slope[k + 1]! +
    (0.5 * t2 - 1.5 * t3 + 1.5 * t4 - 0.5 * t5) * curvature[k + 1]! +
    (10 * t3 - 15 * t4 + 6 * t5) * value[k]! +
    (-4 * t3 + 7 * t4 - 3 * t5) * slope[k]! +
    (0.5 * t3 - t4 + 0.5 * t5) * curvature[k]!;
  return r * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** The standard normal distribution function, by the table above; NaN for NaN. */
export function fastNormalCdf(x: number): number {
  if (x <= 0) return lowerTail(x);
  if (x > 0) return 1 - lowerTail(-x);
  return Number.NaN;
}
