/**
 * Input–output model of the US economy, following the US Bureau of Economic Analysis' industry-by-
 * commodity technology assumption (BEA, "Benchmark Input-Output Accounts of the United States, 1997",
 * Survey of Current Business, Dec 2002, and its mathematical derivation, MATHIO):
 *   B  commodity-by-industry direct requirements (use ÷ industry output, Table 5);
 *   D  market shares: make table ÷ commodity output, the scrap column left out;
 *   W  = (I − p̂)⁻¹ D, p the share of each industry's output that is scrap;
 *   industry-by-commodity total requirements (Table 7) = W (I − B W)⁻¹;
 *   industry-by-industry direct requirements A = W B, Leontief inverse L = (I − A)⁻¹ (Table 8).
 * Supply side (Ghosh, 1958): allocation coefficients G = ĝ⁻¹ A ĝ, and Δx' = Δv' (I − G)⁻¹ for a change
 * Δv in primary supply. Floats throughout: this is analytics, not the ledger.
 */
import { invariant } from '../errors.ts';
import { type SimdKernel, simdKernel } from './simd-kernel.ts';

/** Dense row-major matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export const matrix = (rows: number, cols: number): Matrix => ({
  rows,
  cols,
  data: new Float64Array(rows * cols),
});
export const get = (m: Matrix, i: number, j: number) => m.data[i * m.cols + j] as number;

export function multiply(a: Matrix, b: Matrix): Matrix {
  invariant(a.cols === b.rows, `cannot multiply ${a.rows}×${a.cols} by ${b.rows}×${b.cols}`);
  const out = matrix(a.rows, b.cols);
  const { data: x } = a;
  const { data: y } = b;
  const z = out.data;
  for (let i = 0; i < a.rows; i++) {
    const zi = i * b.cols;
    for (let k = 0; k < a.cols; k++) {
      const aik = x[i * a.cols + k] as number;
      if (aik === 0) continue;
      const yk = k * b.cols;
      for (let j = 0; j < b.cols; j++) z[zi + j] = (z[zi + j] as number) + aik * (y[yk + j] as number);
    }
  }
  return out;
}

/** (I − m) for a square m. */
export function identityMinus(m: Matrix): Matrix {
  invariant(m.rows === m.cols, 'identityMinus needs a square matrix');
  const out = matrix(m.rows, m.cols);
  for (let k = 0; k < m.data.length; k++) out.data[k] = -(m.data[k] as number);
  for (let i = 0; i < m.rows; i++) out.data[i * m.cols + i] = (out.data[i * m.cols + i] as number) + 1;
  return out;
}

/**
 * Inverse by Gauss–Jordan elimination in place (n³ multiply–adds, half what an augmented [A | I] costs).
 * A strictly diagonally dominant matrix (by rows or by columns) needs no pivoting — elimination is stable
 * and every pivot block is invertible (Wilkinson; Golub & Van Loan, "Matrix Computations", §3.4.10) —
 * and takes the blocked sweep below. Leontief matrices I − A are such matrices whenever every industry
 * needs less than a dollar of inputs per dollar of output, and Ghosh's I − G by rows likewise. Any other
 * matrix takes the pivoted path. Fails loudly on a singular matrix.
 */
export function invert(m: Matrix): Matrix {
  invariant(m.rows === m.cols, 'only square matrices have inverses');
  return isDiagonallyDominant(m) ? invertBySweeps(m) : invertPivoted(m);
}

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

export interface IoTables {
  industries: string[];
  commodities: string[];
  /** Make table V (industry × commodity), millions of dollars. */
  make: Matrix;
  /** Direct requirements B (commodity × industry). */
  direct: Matrix;
  /** Commodity that stands for scrap (left out of market shares), if any. */
  scrapCommodity?: string;
}

export interface IoModel {
  industries: string[];
  commodities: string[];
  industryOutput: Float64Array;
  /** W: industry × commodity, market shares adjusted for scrap. */
  marketShares: Matrix;
  /** Industry-by-commodity total requirements (BEA Table 7). */
  totalRequirements: Matrix;
  /** Industry-by-industry direct requirements A = W B and the Leontief inverse (I − A)⁻¹. */
  industryDirect: Matrix;
  leontief: Matrix;
}

export function buildIoModel(t: IoTables): IoModel {
  const ni = t.industries.length;
  const nc = t.commodities.length;
  invariant(t.make.rows === ni && t.make.cols === nc, 'make table does not match the code lists');
  invariant(t.direct.rows === nc && t.direct.cols === ni, 'direct requirements do not match the code lists');
  const scrap = t.scrapCommodity === undefined ? -1 : t.commodities.indexOf(t.scrapCommodity);
  const g = new Float64Array(ni);
  const q = new Float64Array(nc);
  for (let i = 0; i < ni; i++) {
    for (let c = 0; c < nc; c++) {
      const v = get(t.make, i, c);
      g[i] = (g[i] as number) + v;
      if (c !== scrap) q[c] = (q[c] as number) + v;
    }
  }
  const w = matrix(ni, nc);
  for (let i = 0; i < ni; i++) {
    const gi = g[i] as number;
    const scrapShare = scrap >= 0 && gi > 0 ? get(t.make, i, scrap) / gi : 0;
    invariant(scrapShare < 1, `industry ${t.industries[i]} makes nothing but scrap`);
    for (let c = 0; c < nc; c++) {
      if (c === scrap || (q[c] as number) === 0) continue;
      w.data[i * nc + c] = get(t.make, i, c) / (q[c] as number) / (1 - scrapShare);
    }
  }
  const totalRequirements = multiply(w, invert(identityMinus(multiply(t.direct, w))));
  const industryDirect = multiply(w, t.direct);
  return {
    industries: t.industries,
    commodities: t.commodities,
    industryOutput: g,
    marketShares: w,
    totalRequirements,
    industryDirect,
    leontief: invert(identityMinus(industryDirect)),
  };
}

export interface SectorImpact {
  industry: string;
  /** Change in output, millions of dollars. */
  change: number;
  /** Change relative to the industry's output. */
  relative: number;
}

/**
 * Output impact of a shock to one industry: 'demand' (Leontief) changes final demand for its output by
 * `fraction` of its output; 'supply' (Ghosh) changes its primary supply by that much.
 */
export function sectorShockImpact(
  model: IoModel,
  industry: string,
  fraction: number,
  kind: 'demand' | 'supply',
): SectorImpact[] {
  const k = model.industries.indexOf(industry);
  invariant(k >= 0, `no industry "${industry}" in the table`);
  invariant(Number.isFinite(fraction) && fraction >= -1 && fraction <= 1, 'fraction must lie in [−1, 1]');
  const n = model.industries.length;
  const g = model.industryOutput;
  const delta = fraction * (g[k] as number);
  const change = new Float64Array(n);
  if (kind === 'demand') {
    for (let i = 0; i < n; i++) change[i] = get(model.leontief, i, k) * delta;
  } else {
    const ghosh = ghoshInverse(model);
    for (let j = 0; j < n; j++) change[j] = delta * get(ghosh, k, j);
  }
  return model.industries
    .map((id, i) => ({
      industry: id,
      change: change[i] as number,
      relative: (g[i] as number) > 0 ? (change[i] as number) / (g[i] as number) : 0,
    }))
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
}

export function ghoshInverse(model: IoModel): Matrix {
  const n = model.industries.length;
  const g = model.industryOutput;
  const allocation = matrix(n, n);
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    if (gi === 0) continue;
    for (let j = 0; j < n; j++)
      allocation.data[i * n + j] = (get(model.industryDirect, i, j) * (g[j] as number)) / gi;
  }
  return invert(identityMinus(allocation));
}

/** BEA text tables: "row,column,table,value" lines (codes may be quoted). */
export function parseBeaCells(text: string, valueField = 3): { row: string; col: string; value: number }[] {
  const out: { row: string; col: string; value: number }[] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    if (line.trim() === '') return;
    const fields = line.split(',').map((f) => f.trim().replace(/^"|"$/g, ''));
    const value = Number(fields[valueField]);
    invariant(
      fields.length > valueField && Number.isFinite(value),
      `line ${n + 1}: expected a number in field ${valueField + 1}`,
    );
    out.push({ row: fields[0] as string, col: fields[1] as string, value });
  });
  return out;
}

export function denseFromCells(
  cells: readonly { row: string; col: string; value: number }[],
  rows: readonly string[],
  cols: readonly string[],
): Matrix {
  const ri = new Map(rows.map((r, i) => [r, i]));
  const ci = new Map(cols.map((c, i) => [c, i]));
  const m = matrix(rows.length, cols.length);
  for (const { row, col, value } of cells) {
    const i = ri.get(row);
    const j = ci.get(col);
    if (i === undefined || j === undefined) continue;
    m.data[i * cols.length + j] = (m.data[i * cols.length + j] as number) + value;
  }
  return m;
}
