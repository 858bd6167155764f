/**
 * Matrix inverses for the input–output model: blocked Gauss–Jordan sweeps in a WebAssembly SIMD kernel
 * (optionally on two threads) for diagonally dominant matrices such as Leontief's I − A, and Gauss–Jordan
 * with partial pivoting for any other. Floats: analytics, not the ledger.
 */
import { invariant } from '../errors.ts';
import { type Matrix, matrix } from './matrix.ts';
import { type SimdKernel, simdKernel } from './simd-kernel.ts';

/**
 * Inverse by Gauss–Jordan elimination in place (n³ multiply–adds, half what an augmented [A | I] costs).
 * A strictly diagonally dominant matrix (by rows or by columns) needs no pivoting — elimination is stable
 * and every pivot block is invertible (Wilkinson; Golub & Van Loan, "Matrix Computations", §3.4.10) —
 * and takes the blocked sweep below. Leontief matrices I − A are such matrices whenever every industry
 * needs less than a dollar of inputs per dollar of output, and Ghosh's I − G by rows likewise. So are, after
 * a diagonal scaling, those where some industry needs more (a real table has such industries: negative value
 * added): see isGeneralizedDiagonallyDominant. Any other matrix takes the pivoted path. Fails loudly on a
 * singular matrix.
 */
export function invert(m: Matrix): Matrix {
  invariant(m.rows === m.cols, 'only square matrices have inverses');
  return isGeneralizedDiagonallyDominant(m) ? invertBySweeps(m) : invertPivoted(m);
}

/** Jacobi steps tried before giving up on a scaling; each costs one pass over the matrix (n² work, not n³). */
const SCALING_STEPS = 60;

/** Strict diagonal dominance by rows or by columns (no scaling). */
export function isDiagonallyDominant(m: Matrix): boolean {
  const n = m.rows;
  const rowOff = new Float64Array(n);
  const colOff = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const v = Math.abs(m.data[i * n + j] as number);
      rowOff[i] = (rowOff[i] as number) + v;
      colOff[j] = (colOff[j] as number) + v;
    }
  }
  let byRows = true;
  let byColumns = true;
  for (let k = 0; k < n; k++) {
    const d = Math.abs(m.data[k * n + k] as number);
    if (!(d > (rowOff[k] as number))) byRows = false;
    if (!(d > (colOff[k] as number))) byColumns = false;
  }
  return byRows || byColumns;
}

/**
 * Whether m is generalized diagonally dominant (an H-matrix): some positive x makes m·diag(x) strictly
 * diagonally dominant by rows (or diag(x)·m by columns), i.e. ⟨m⟩x > 0 for the comparison matrix ⟨m⟩
 * (|m_ii| on the diagonal, −|m_ij| off it). Elimination without pivoting takes the same multipliers on m as on
 * m·diag(x) (a column scaling leaves m_ik / m_kk unchanged), so it is as stable as on a diagonally dominant
 * matrix (Funderlic, Neumann & Plemmons, "LU decompositions of generalized diagonally dominant matrices",
 * Numer. Math. 40, 1982), and every pivot block is again an H-matrix, hence invertible. x is sought by Jacobi
 * steps on ⟨m⟩x = 1, which converge exactly when m is an H-matrix (from x = 1 the first step is plain dominance); after
 * SCALING_STEPS without a strictly positive ⟨m⟩x the answer is no (and the pivoted path is taken).
 */
export function isGeneralizedDiagonallyDominant(m: Matrix): boolean {
  const n = m.rows;
  const data = m.data;
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    diag[i] = Math.abs(data[i * n + i] as number);
    if (!((diag[i] as number) > 0)) return false;
  }
  // Rows and columns side by side, from x = 1 (the first step is plain dominance by rows and by columns);
  // one pass over m per step serves both: byRows = N·xRows, byColumns = Nᵀ·xColumns.
  const xRows = new Float64Array(n).fill(1);
  const xColumns = new Float64Array(n).fill(1);
  const byRows = new Float64Array(n);
  const byColumns = new Float64Array(n);
  for (let step = 0; step < SCALING_STEPS; step++) {
    byColumns.fill(0);
    for (let i = 0; i < n; i++) {
      const base = i * n;
      const xc = xColumns[i] as number;
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const v = Math.abs(data[base + j] as number);
        sum += v * (xRows[j] as number);
        byColumns[j] = (byColumns[j] as number) + v * xc;
      }
      byRows[i] = sum;
    }
    if (dominatedAndNext(diag, xRows, byRows) || dominatedAndNext(diag, xColumns, byColumns)) return true;
    if (!xRows.every(Number.isFinite) || !xColumns.every(Number.isFinite)) return false;
  }
  return false;
}

/**
 * Whether diag·x exceeds the off-diagonal sums (given with the diagonal included, which is taken out here)
 * by a margin in every line, so that rounding in the elimination cannot undo the dominance; and x's next
 * Jacobi step, in place.
 */
function dominatedAndNext(diag: Float64Array, x: Float64Array, sums: Float64Array): boolean {
  let dominated = true;
  for (let i = 0; i < diag.length; i++) {
    const own = (diag[i] as number) * (x[i] as number);
    const off = (sums[i] as number) - own;
    if (!(own - off > 1e-9 * own)) dominated = false;
    x[i] = (1 + off) / (diag[i] as number);
  }
  return dominated;
}

/** Pivots per sweep; a multiple of 4, like the padded size, so that every row range is whole tiles. */
const SWEEP_BLOCK = 16;

let cachedKernel: SimdKernel | null = null;

/** The row phase of one sweep: rows outside K, in tiles of four, numbered 0… in row order. */
export interface SweepJob {
  N: number;
  kb: number;
  k0: number;
  /** offsets in doubles of W and of the tiles' multipliers */
  W: number;
  X: number;
  fromTile: number;
  toTile: number;
}

/**
 * Runs tiles fromTile…toTile−1 of a sweep's row phase, A_R· −= A_RK · W, four rows at a time: each tile's
 * multipliers A_RK are first moved out of A (stored twice, as the kernel reads them), then the kernel runs.
 * A thread touches only its own tiles' rows, so two threads never pass those rows between their caches.
 */
export function sweepTiles(kernel: SimdKernel, job: SweepJob): void {
  const { N, kb, k0, W, X } = job;
  const mem = new Float64Array(kernel.memory.buffer);
  for (let tile = job.fromTile; tile < job.toTile; tile++) {
    let i = tile * 4;
    if (i >= k0) i += kb;
    const x = X + tile4(i, kb);
    for (let r = 0; r < 4; r++) {
      const row = (i + r) * N + k0;
      for (let p = 0; p < kb; p++) {
        const at = x + p * 8 + r * 2;
        mem[at] = mem[row + p] as number;
        mem[at + 1] = mem[at] as number;
        mem[row + p] = 0;
      }
    }
    kernel.product4(i * N * 8, W * 8, x * 8, N, kb);
  }
}

/** Offset of the multipliers of the tile holding row i (a multiple of 4). */
const tile4 = (i: number, kb: number) => (i >> 2) * kb * 8;

/**
 * A second thread that runs part of each sweep's row phase on the same shared memory; the app layer
 * provides it (app/research/sweep-helper.ts). Results do not depend on it: every row is computed by the
 * same instructions whichever thread runs it.
 */
export interface SweepHelper {
  /** True once the helper works on this memory; until then it attaches in the background and says false. */
  readyFor(memory: WebAssembly.Memory): boolean;
  /** Hands the helper a job and returns at once. */
  start(job: SweepJob): void;
  /** Blocks until the job started last is done; fails loudly if the helper stops answering. */
  finish(): void;
}

let helper: SweepHelper | null = null;
/** Below this padded size one thread is faster than handing work over. */
const HELPER_FROM = 256;

export function setSweepHelper(next: SweepHelper | null): void {
  helper = next;
}

function kernelFor(bytes: number): SimdKernel {
  if (!cachedKernel || cachedKernel.memory.buffer.byteLength < bytes) cachedKernel = simdKernel(bytes);
  invariant(cachedKernel !== null, 'this JavaScript engine has no WebAssembly SIMD (Node.js 20 has it)');
  return cachedKernel;
}

/**
 * Gauss–Jordan by blocks of pivots K (no pivoting): with T = A_KK⁻¹ and R the other rows,
 *   W = T·A_K· (with A_KK read as the identity, so W_·K = T);  A_R· ← A_R· − A_RK·W (A_RK read as 0);  A_K· ← W.
 * Both products run in the SIMD kernel (simd-kernel.ts), four rows at a time; they carry nearly all of
 * the 2n³ flops. From a padded size of HELPER_FROM, half of each row phase goes to the helper thread when
 * the app has set one (setSweepHelper). The matrix is padded to a multiple of 4 with an identity block ([A 0; 0 I]⁻¹ =
 * [A⁻¹ 0; 0 I], still diagonally dominant), so that no row or column is left over for scalar code.
 * Memory (in doubles): the padded matrix (N × N), W (SWEEP_BLOCK × N), and the multipliers of each
 * four-row tile, each value stored twice for the kernel's vector loads (N × SWEEP_BLOCK × 2).
 */
function invertBySweeps(m: Matrix): Matrix {
  const n = m.rows;
  const N = (n + 3) & ~3;
  const W = N * N;
  const X = W + SWEEP_BLOCK * N;
  const kernel = kernelFor((X + N * SWEEP_BLOCK * 2) * 8);
  const mem = new Float64Array(kernel.memory.buffer);
  mem.fill(0, 0, W);
  for (let i = 0; i < n; i++) mem.set(m.data.subarray(i * n, i * n + n), i * N);
  for (let i = n; i < N; i++) mem[i * N + i] = 1;
  const t = new Float64Array(SWEEP_BLOCK * SWEEP_BLOCK);
  // Multiplier (row i, pivot p) of the tile holding row i, where the kernel reads it.
  const slot = (i: number, kb: number, p: number) => X + tile4(i, kb) + p * 8 + (i & 3) * 2;
  const parallel = N >= HELPER_FROM && helper !== null && helper.readyFor(kernel.memory) ? helper : null;
  for (let k0 = 0; k0 < N; k0 += SWEEP_BLOCK) {
    const kb = Math.min(SWEEP_BLOCK, N - k0);
    invertSmallBlock(mem, N, k0, kb, t);
    // W = 0 − (−T)·A_K·, then W_·K = T.
    mem.fill(0, W, W + kb * N);
    for (let r = 0; r < kb; r++) {
      for (let p = 0; p < kb; p++) {
        const at = slot(r, kb, p);
        mem[at] = -(t[r * kb + p] as number);
        mem[at + 1] = mem[at] as number;
      }
    }
    for (let r = 0; r < kb; r += 4) kernel.product4((W + r * N) * 8, k0 * N * 8, slot(r, kb, 0) * 8, N, kb);
    for (let r = 0; r < kb; r++) mem.set(t.subarray(r * kb, r * kb + kb), W + r * N + k0);
    // A_R· −= A_RK · W
    const tiles = (N - kb) / 4;
    const job = { N, kb, k0, W, X, fromTile: 0, toTile: tiles };
    if (parallel) {
      const half = tiles >> 1;
      parallel.start({ ...job, fromTile: half });
      sweepTiles(kernel, { ...job, toTile: half });
      parallel.finish();
    } else sweepTiles(kernel, job);
    mem.copyWithin(k0 * N, W, W + kb * N);
  }
  const out = matrix(n, n);
  for (let i = 0; i < n; i++) out.data.set(mem.subarray(i * N, i * N + n), i * n);
  return out;
}

/** t ← A_KK⁻¹ (kb × kb, unpivoted Gauss–Jordan; the caller has checked diagonal dominance). */
function invertSmallBlock(a: Float64Array, n: number, k0: number, kb: number, t: Float64Array) {
  for (let r = 0; r < kb; r++)
    for (let c = 0; c < kb; c++) t[r * kb + c] = a[(k0 + r) * n + k0 + c] as number;
  for (let k = 0; k < kb; k++) {
    const pivot = t[k * kb + k] as number;
    invariant(Math.abs(pivot) > 1e-14, `matrix is singular at column ${k0 + k}`);
    const s = 1 / pivot;
    t[k * kb + k] = 1;
    for (let c = 0; c < kb; c++) t[k * kb + c] = (t[k * kb + c] as number) * s;
    for (let r = 0; r < kb; r++) {
      const f = t[r * kb + k] as number;
      if (r === k || f === 0) continue;
      t[r * kb + k] = 0;
      for (let c = 0; c < kb; c++) t[r * kb + c] = (t[r * kb + c] as number) - f * (t[k * kb + c] as number);
    }
  }
}

/**
 * Gauss–Jordan with partial pivoting: rows swapped during elimination are undone as column swaps, in
 * reverse order, at the end.
 */
function invertPivoted(m: Matrix): Matrix {
  const n = m.rows;
  const a = Float64Array.from(m.data);
  const swapped = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let pivot = k;
    let best = Math.abs(a[k * n + k] as number);
    for (let r = k + 1; r < n; r++) {
      const v = Math.abs(a[r * n + k] as number);
      if (v > best) {
        best = v;
        pivot = r;
      }
    }
    invariant(best > 1e-14, `matrix is singular at column ${k}`);
    swapped[k] = pivot;
    if (pivot !== k) swapRows(a, n, pivot, k);
    const pivotRow = a.subarray(k * n, k * n + n);
    const scale = 1 / (pivotRow[k] as number);
    pivotRow[k] = 1;
    for (let j = 0; j < n; j++) pivotRow[j] = (pivotRow[j] as number) * scale;
    for (let r = 0; r < n; r++) {
      if (r === k) continue;
      const row = a.subarray(r * n, r * n + n);
      const f = row[k] as number;
      if (f === 0) continue;
      row[k] = 0;
      eliminate(row, pivotRow, f, n);
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const p = swapped[k] as number;
    if (p === k) continue;
    for (let r = 0; r < n; r++) {
      const t = a[r * n + k] as number;
      a[r * n + k] = a[r * n + p] as number;
      a[r * n + p] = t;
    }
  }
  return { rows: n, cols: n, data: a };
}

/** row −= f · pivot; the hot loop of the inverse, kept small so the JIT compiles it tightly. */
function eliminate(row: Float64Array, pivot: Float64Array, f: number, n: number) {
  let j = 0;
  for (; j + 3 < n; j += 4) {
    row[j] = (row[j] as number) - f * (pivot[j] as number);
    row[j + 1] = (row[j + 1] as number) - f * (pivot[j + 1] as number);
    row[j + 2] = (row[j + 2] as number) - f * (pivot[j + 2] as number);
    row[j + 3] = (row[j + 3] as number) - f * (pivot[j + 3] as number);
  }
  for (; j < n; j++) row[j] = (row[j] as number) - f * (pivot[j] as number);
}

function swapRows(a: Float64Array, n: number, r1: number, r2: number) {
  const o1 = r1 * n;
  const o2 = r2 * n;
  for (let j = 0; j < n; j++) {
    const t = a[o1 + j] as number;
    a[o1 + j] = a[o2 + j] as number;
    a[o2 + j] = t;
  }
}
