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

const SWEEP_BLOCK = 24;

/**
 * Gauss–Jordan by blocks of pivots K (no pivoting): with T = A_KK⁻¹ and R the other rows,
 *   A_K· ← T·A_K· (with A_KK read as the identity, so A_KK ← T),   A_R· ← A_R· − A_RK·(T·A_K·) (A_RK read as 0).
 * The second step is a matrix product of depth |K|, done four rows at a time so that each value of the
 * pivot rows loaded feeds eight multiply–adds; this is what makes the blocked form faster than row-by-row.
 */
function invertBySweeps(m: Matrix): Matrix {
  const n = m.rows;
  const a = Float64Array.from(m.data);
  const w = new Float64Array(SWEEP_BLOCK * n);
  const t = new Float64Array(SWEEP_BLOCK * SWEEP_BLOCK);
  const x = new Float64Array(SWEEP_BLOCK * 4);
  for (let k0 = 0; k0 < n; k0 += SWEEP_BLOCK) {
    const kb = Math.min(SWEEP_BLOCK, n - k0);
    invertSmallBlock(a, n, k0, kb, t);
    // W = T · A_K·, then W_·K = T.
    w.fill(0, 0, kb * n);
    for (let r = 0; r < kb; r++) {
      const out = w.subarray(r * n, r * n + n);
      for (let p = 0; p < kb; p++) {
        const f = t[r * kb + p] as number;
        if (f !== 0) eliminate(out, a.subarray((k0 + p) * n, (k0 + p) * n + n), -f, n);
      }
      for (let c = 0; c < kb; c++) out[k0 + c] = t[r * kb + c] as number;
    }
    sweepRows(a, w, x, n, k0, kb, 0, k0);
    sweepRows(a, w, x, n, k0, kb, k0 + kb, n);
    a.set(w.subarray(0, kb * n), k0 * n);
  }
  return { rows: n, cols: n, data: a };
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

/** For rows from…to−1: x ← A_iK, A_iK ← 0, A_i· ← A_i· − x·W. */
function sweepRows(
  a: Float64Array,
  w: Float64Array,
  x: Float64Array,
  n: number,
  k0: number,
  kb: number,
  from: number,
  to: number,
) {
  let i = from;
  for (; i + 3 < to; i += 4) {
    for (let r = 0; r < 4; r++) {
      for (let p = 0; p < kb; p++) {
        x[p * 4 + r] = a[(i + r) * n + k0 + p] as number;
        a[(i + r) * n + k0 + p] = 0;
      }
    }
    subtractProduct4(a, w, x, i * n, n, kb);
  }
  for (; i < to; i++) {
    const row = a.subarray(i * n, i * n + n);
    for (let p = 0; p < kb; p++) {
      x[p] = row[k0 + p] as number;
      row[k0 + p] = 0;
    }
    for (let p = 0; p < kb; p++) {
      const f = x[p] as number;
      if (f !== 0) eliminate(row, w.subarray(p * n, p * n + n), f, n);
    }
  }
}

/** Rows r0…r0+3 of a (row length n) −= x (4 × kb, packed by p) · W (kb × n); two columns at a time. */
function subtractProduct4(
  a: Float64Array,
  w: Float64Array,
  x: Float64Array,
  r0: number,
  n: number,
  kb: number,
) {
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  let j = 0;
  for (; j + 1 < n; j += 2) {
    let c00 = a[r0 + j] as number;
    let c01 = a[r0 + j + 1] as number;
    let c10 = a[r1 + j] as number;
    let c11 = a[r1 + j + 1] as number;
    let c20 = a[r2 + j] as number;
    let c21 = a[r2 + j + 1] as number;
    let c30 = a[r3 + j] as number;
    let c31 = a[r3 + j + 1] as number;
    for (let p = 0, wp = j, xp = 0; p < kb; p++, wp += n, xp += 4) {
      const w0 = w[wp] as number;
      const w1 = w[wp + 1] as number;
      const x0 = x[xp] as number;
      const x1 = x[xp + 1] as number;
      const x2 = x[xp + 2] as number;
      const x3 = x[xp + 3] as number;
      c00 -= x0 * w0;
      c01 -= x0 * w1;
      c10 -= x1 * w0;
      c11 -= x1 * w1;
      c20 -= x2 * w0;
      c21 -= x2 * w1;
      c30 -= x3 * w0;
      c31 -= x3 * w1;
    }
    a[r0 + j] = c00;
    a[r0 + j + 1] = c01;
    a[r1 + j] = c10;
    a[r1 + j + 1] = c11;
    a[r2 + j] = c20;
    a[r2 + j + 1] = c21;
    a[r3 + j] = c30;
    a[r3 + j + 1] = c31;
  }
  for (; j < n; j++) {
    let c0 = a[r0 + j] as number;
    let c1 = a[r1 + j] as number;
    let c2 = a[r2 + j] as number;
    let c3 = a[r3 + j] as number;
    for (let p = 0, wp = j, xp = 0; p < kb; p++, wp += n, xp += 4) {
      const w0 = w[wp] as number;
      c0 -= (x[xp] as number) * w0;
      c1 -= (x[xp + 1] as number) * w0;
      c2 -= (x[xp + 2] as number) * w0;
      c3 -= (x[xp + 3] as number) * w0;
    }
    a[r0 + j] = c0;
    a[r1 + j] = c1;
    a[r2 + j] = c2;
    a[r3 + j] = c3;
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
