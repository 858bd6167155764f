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
 * Inverse by Gauss–Jordan elimination in place (n³ multiply–adds, half what an augmented [A | I] costs),
 * with partial pivoting: rows swapped during elimination are undone as column swaps, in reverse order, at
 * the end. Fails loudly on a singular matrix (an economy whose industries need more than they make).
 */
export function invert(m: Matrix): Matrix {
  invariant(m.rows === m.cols, 'only square matrices have inverses');
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
