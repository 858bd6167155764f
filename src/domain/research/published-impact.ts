/**
 * Shock impacts read straight off a published industry-by-commodity total requirements table (BEA IxC_TR),
 * without rebuilding the model: the table is the model's answer already.
 *
 * Demand (Leontief): final demand for commodity j changes by `fraction` of j's commodity output q_j; industry
 * i's output changes by TR[i, j] · fraction · q_j (the definition of the total requirements table).
 *
 * Supply (Ghosh, 1958): the Ghosh inverse is the Leontief inverse seen from the other side, (I − G)⁻¹ =
 * ĝ⁻¹ (I − A)⁻¹ ĝ (Dietzenbacher, "In vindication of the Ghosh model", J. Regional Science 37, 1997), so a
 * change of `fraction` of industry k's output in its primary inputs changes industry j's output by
 * fraction · L[k, j] · g_j, with L the industry-by-industry inverse.
 *
 * The BEA publishes no industry-by-industry table at these levels, and no make table is loaded; L is still
 * exact from two published tables. In BEA's derivation (io.ts) TR = W (I − B W)⁻¹ and L = (I − W B)⁻¹, so
 * TR · B = W (I − B W)⁻¹ B = (I − W B)⁻¹ W B = L − I (push-through identity), that is L = I + TR · B, with B
 * the direct requirements (use ÷ industry output). On the 1997 benchmark, where both are after
 * redefinitions, I + Table 7 · Table 5 equals the inverse Keel rebuilds from the make table to the published
 * rounding (research-io-levels.test.ts). The annual tables pair a TR after redefinitions with a use table
 * before them; that mismatch shows as small negative entries of L, which `industryInverse` measures and the
 * report states.
 */
import { invariant } from '../errors.ts';
import type { SectorImpact } from './io.ts';
import { type Matrix, matrix } from './matrix.ts';

export interface PublishedTable {
  industries: readonly string[];
  commodities: readonly string[];
  /** cells[i][j]: output of industry i per dollar of final demand for commodity j. */
  cells: readonly (readonly number[])[];
  /** Industry output g and commodity output q, millions of dollars, by code. */
  industryOutput: ReadonlyMap<string, number>;
  commodityOutput: ReadonlyMap<string, number>;
}

export interface PublishedImpact {
  /** The shock in millions of dollars: of final demand (demand) or of primary inputs (supply). */
  shock: number;
  impacts: SectorImpact[];
}

export interface IndustryInverse {
  /** L = I + TR · B, industries × industries in the table's order. */
  leontief: Matrix;
  /** The smallest entry of L: below 0 only where TR and B come from tables on different bases. */
  smallestEntry: number;
}

/**
 * L = I + TR · B from a published industry-by-commodity total requirements table and the commodity-by-industry
 * direct requirements B, whose rows are the table's commodities and columns its industries.
 */
export function industryInverse(
  table: Pick<PublishedTable, 'industries' | 'commodities' | 'cells'>,
  direct: Matrix,
): IndustryInverse {
  const n = table.industries.length;
  const nc = table.commodities.length;
  invariant(direct.rows === nc && direct.cols === n, 'direct requirements do not match the table');
  const l = matrix(n, n);
  const b = direct.data;
  for (let i = 0; i < n; i++) {
    const tr = table.cells[i] as readonly number[];
    const out = i * n;
    for (let c = 0; c < nc; c++) {
      const t = tr[c] as number;
      if (t === 0) continue;
      const row = c * n;
      for (let j = 0; j < n; j++) l.data[out + j] = (l.data[out + j] as number) + t * (b[row + j] as number);
    }
    l.data[out + i] = (l.data[out + i] as number) + 1;
  }
  let smallestEntry = Number.POSITIVE_INFINITY;
  for (const v of l.data) if (v < smallestEntry) smallestEntry = v;
  return { leontief: l, smallestEntry };
}

export function publishedShockImpact(
  table: PublishedTable,
  code: string,
  fraction: number,
  kind: 'demand' | 'supply',
  /** The industry inverse of the same table (needed for a supply shock). */
  inverse?: IndustryInverse,
): PublishedImpact {
  invariant(Number.isFinite(fraction) && fraction >= -1 && fraction <= 1, 'fraction must lie in [−1, 1]');
  const output = (i: number) => table.industryOutput.get(table.industries[i] as string) ?? 0;
  const n = table.industries.length;
  const change = new Float64Array(n);
  let shock: number;
  if (kind === 'demand') {
    const j = table.commodities.indexOf(code);
    invariant(j >= 0, `no commodity "${code}" in the table`);
    shock = fraction * (table.commodityOutput.get(code) ?? 0);
    for (let i = 0; i < n; i++) change[i] = (table.cells[i]?.[j] as number) * shock;
  } else {
    const k = table.industries.indexOf(code);
    invariant(k >= 0, `no industry "${code}" in the table`);
    invariant(
      inverse !== undefined && inverse.leontief.rows === n,
      'a supply shock needs the industry inverse',
    );
    shock = fraction * output(k);
    const row = k * n;
    for (let j = 0; j < n; j++) change[j] = fraction * (inverse.leontief.data[row + j] as number) * output(j);
  }
  const impacts = table.industries
    .map((industry, i) => ({
      industry,
      change: change[i] as number,
      relative: output(i) > 0 ? (change[i] as number) / output(i) : 0,
    }))
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
  return { shock, impacts };
}
