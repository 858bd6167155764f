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
import { invert } from './inverse.ts';
import { get, identityMinus, type Matrix, matrix, multiply } from './matrix.ts';

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
