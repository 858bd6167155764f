/**
 * Shortfall propagation: s_j = min(1, seed_j + Σ_i w_ij · s_i) over the inputs i of j.
 *
 * On an acyclic graph one depth-first pass over the inputs settles every node exactly once (O(V+E)),
 * which is the same fixed point the iteration x ← min(1, seed + Wᵀx) reaches after as many rounds as the
 * graph is deep. A cycle (an analyst may draw one) falls back to that iteration. `via[j]` is the input
 * that contributed most to j, so every result can be explained as a path back to a shock.
 */
import { invariant } from '../errors.ts';
import type { Csr } from './graph.ts';

export interface Propagation {
  shortfall: Float64Array;
  /** Input that contributed most to each node's shortfall, or -1 (a seed, or nothing reached it). */
  via: Int32Array;
  acyclic: boolean;
  /** Rounds of the fallback iteration (0 when the one-pass order was used). */
  rounds: number;
  /**
   * False when the fallback iteration stopped at `maxRounds` before settling: the shortfalls are then those
   * of the last round, and whoever shows them must say so.
   */
  converged: boolean;
  /** Largest change of any node in the last round (0 for the one-pass order). */
  lastChange: number;
}

/** Rounds the fallback iteration may take before it stops and reports that it did not settle. */
export const MAX_ROUNDS = 10_000;
const TOLERANCE = 1e-12;

export function propagate(csr: Csr, seed: Float64Array, maxRounds = MAX_ROUNDS): Propagation {
  invariant(seed.length === csr.size, 'seed vector does not match the graph');
  const shortfall = new Float64Array(csr.size);
  const via = new Int32Array(csr.size).fill(-1);
  if (settleInDepthFirstOrder(csr, seed, shortfall, via)) {
    return { shortfall, via, acyclic: true, rounds: 0, converged: true, lastChange: 0 };
  }
  return { shortfall, via, acyclic: false, ...iterateToFixedPoint(csr, seed, shortfall, via, maxRounds) };
}

function settle(csr: Csr, seed: Float64Array, from: Float64Array, j: number, via: Int32Array): number {
  const { inputStart, inputs, weights } = csr;
  let total = seed[j] as number;
  let best = -1;
  let bestContribution = 0;
  for (let k = inputStart[j] as number, end = inputStart[j + 1] as number; k < end; k++) {
    const i = inputs[k] as number;
    const contribution = (weights[k] as number) * (from[i] as number);
    total += contribution;
    if (contribution > bestContribution) {
      bestContribution = contribution;
      best = i;
    }
  }
  via[j] = best;
  return Math.min(1, total);
}

/** Returns false (leaving partial results) when it meets a cycle. */
function settleInDepthFirstOrder(csr: Csr, seed: Float64Array, shortfall: Float64Array, via: Int32Array) {
  const { size, inputStart, inputs } = csr;
  const state = new Uint8Array(size); // 0 new, 1 on the stack, 2 settled
  const cursor = new Int32Array(size);
  const stack = new Int32Array(size);
  for (let root = 0; root < size; root++) {
    if (state[root] !== 0) continue;
    let top = 0;
    stack[0] = root;
    state[root] = 1;
    cursor[root] = inputStart[root] as number;
    while (top >= 0) {
      const j = stack[top] as number;
      const at = cursor[j] as number;
      if (at < (inputStart[j + 1] as number)) {
        cursor[j] = at + 1;
        const i = inputs[at] as number;
        const seen = state[i];
        if (seen === 0) {
          state[i] = 1;
          cursor[i] = inputStart[i] as number;
          stack[++top] = i;
        } else if (seen === 1) {
          return false;
        }
      } else {
        shortfall[j] = settle(csr, seed, shortfall, j, via);
        state[j] = 2;
        top--;
      }
    }
  }
  return true;
}

function iterateToFixedPoint(
  csr: Csr,
  seed: Float64Array,
  shortfall: Float64Array,
  via: Int32Array,
  maxRounds: number,
) {
  let current = Float64Array.from(seed, (s) => Math.min(1, s));
  let next = new Float64Array(csr.size);
  let change = 0;
  for (let round = 1; round <= maxRounds; round++) {
    change = 0;
    for (let j = 0; j < csr.size; j++) {
      const value = settle(csr, seed, current, j, via);
      next[j] = value;
      const d = Math.abs(value - (current[j] as number));
      if (d > change) change = d;
    }
    [current, next] = [next, current];
    if (change <= TOLERANCE) {
      shortfall.set(current);
      return { rounds: round, converged: true, lastChange: change };
    }
  }
  shortfall.set(current);
  return { rounds: maxRounds, converged: false, lastChange: change };
}

/** The chain of largest contributors from a node back to where its shortfall started. */
export function explainPath(via: Int32Array, node: number): number[] {
  const path = [node];
  const seen = new Set(path);
  let at = via[node] as number;
  while (at >= 0 && !seen.has(at)) {
    path.push(at);
    seen.add(at);
    at = via[at] as number;
  }
  return path.reverse();
}
