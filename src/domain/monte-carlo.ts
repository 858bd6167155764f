/**
 * Monte Carlo layer over the Takahashi–Alexander model: each path draws its growth per step from a
 * lognormal distribution (mean growth G, volatility σ a year) and scales its contribution rate by a
 * lognormal timing factor (σ_timing), so calls come faster or slower than the base model. Paths run step
 * by step over arrays (memory O(paths), not O(paths × steps)); each step's values are returned for
 * percentile bands. Seeded: the same seed and chunk give the same numbers on any machine. Analytics, in floats.
 */
import { seededRandom } from './synthetic.ts';
import {
  contributionRate,
  distributionRate,
  growthPerStep,
  perStep,
  type YaleParameters,
} from './yale-model.ts';

export interface MonteCarloSpec {
  params: YaleParameters;
  commitment: number;
  /** Existing position at the start (age in years, paid-in, NAV). */
  start: { age: number; paidIn: number; nav: number };
  steps: number;
  stepsPerYear: number;
  growthVolatility: number;
  timingVolatility: number;
}

export interface ChunkValues {
  /** [step × paths] row-major, one array per measure. */
  nav: Float64Array;
  contributions: Float64Array;
  distributions: Float64Array;
  paidIn: Float64Array;
}

/** Standard normals from a seeded uniform source (Box–Muller, both values used). */
export function normals(random: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const u = 1 - random();
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Seed of one chunk: results do not depend on how chunks are spread over workers. */
export const chunkSeed = (seed: number, chunk: number) =>
  (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(chunk + 1, 0xc2b2ae35)) >>> 0;

export function simulateChunk(
  spec: MonteCarloSpec,
  seed: number,
  paths: number,
  shouldStop?: () => boolean,
): ChunkValues | null {
  const gaussian = normals(seededRandom(seed));
  const { steps, stepsPerYear } = spec;
  const meanLog =
    Math.log1p(growthPerStep(spec.params.growth, stepsPerYear)) -
    spec.growthVolatility ** 2 / stepsPerYear / 2;
  const volPerStep = spec.growthVolatility / Math.sqrt(stepsPerYear);
  const nav = new Float64Array(paths).fill(spec.start.nav);
  const paidIn = new Float64Array(paths).fill(spec.start.paidIn);
  const timing = new Float64Array(paths);
  for (let p = 0; p < paths; p++)
    timing[p] = Math.exp(spec.timingVolatility * gaussian() - spec.timingVolatility ** 2 / 2);
  const out: ChunkValues = {
    nav: new Float64Array(steps * paths),
    contributions: new Float64Array(steps * paths),
    distributions: new Float64Array(steps * paths),
    paidIn: new Float64Array(steps * paths),
  };
  for (let s = 0; s < steps; s++) {
    if (shouldStop?.()) return null;
    const age = spec.start.age + (s + 1) / stepsPerYear;
    const rc = contributionRate(spec.params, age);
    const rd = perStep(distributionRate(spec.params, age), stepsPerYear);
    const row = s * paths;
    for (let p = 0; p < paths; p++) {
      const growth = Math.exp(meanLog + volPerStep * gaussian());
      const contribution =
        perStep(Math.min(1, rc * timing[p]!), stepsPerYear) * (spec.commitment - paidIn[p]!);
      const grown = nav[p]! * growth;
      const distribution = rd * grown;
      nav[p] = grown + contribution - distribution;
      paidIn[p] = paidIn[p]! + contribution;
      out.nav[row + p] = nav[p]!;
      out.contributions[row + p] = contribution;
      out.distributions[row + p] = distribution;
      out.paidIn[row + p] = paidIn[p]!;
    }
  }
  return out;
}

export interface Band {
  step: number;
  p10: number;
  p50: number;
  p90: number;
}

/**
 * The k-th smallest value (0-based) of `values`, found in place in expected O(n) by quickselect (Hoare
 * partition, median-of-three pivot): the bands need three order statistics per step, not a full sort.
 */
export function selectKth(values: Float64Array, k: number, from = 0, to = values.length - 1): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const a = values[lo]!;
    const b = values[mid]!;
    const c = values[hi]!;
    // Median of three: the largest of the pairwise minima.
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}

/** Nearest-rank percentiles (10th, 50th, 90th) of each step, over all paths of all chunks. */
export function bands(
  chunks: readonly Float64Array[],
  pathsPerChunk: readonly number[],
  steps: number,
): Band[] {
  const total = pathsPerChunk.reduce((a, b) => a + b, 0);
  const values = new Float64Array(total);
  const rank = (q: number) => Math.min(total - 1, Math.max(0, Math.ceil(q * total) - 1));
  const out: Band[] = [];
  for (let s = 0; s < steps; s++) {
    let k = 0;
    chunks.forEach((chunk, c) => {
      const n = pathsPerChunk[c]!;
      values.set(chunk.subarray(s * n, s * n + n), k);
      k += n;
    });
    // Select the median first; the 10th and 90th then lie on either side of it.
    const r50 = rank(0.5);
    const p50 = selectKth(values, r50);
    const p10 = selectKth(values, rank(0.1), 0, r50);
    const p90 = selectKth(values, rank(0.9), r50, total - 1);
    out.push({ step: s + 1, p10, p50, p90 });
  }
  return out;
}
