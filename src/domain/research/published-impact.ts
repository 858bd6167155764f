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
 * fraction · L[k, j] · g_j. The BEA publishes no industry-by-industry table at these levels; Keel takes L[k, j]
 * from the industry-by-commodity table's column for the commodity with j's code (the industry's own
 * product). That reads commodity j's requirements as industry j's, which holds as far as industries make
 * their own commodity (market shares close to the identity); industries without a same-coded commodity are
 * left out, and the report says how many.
 */
import { invariant } from '../errors.ts';
import type { SectorImpact } from './io.ts';

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
  /** Industries with no same-coded commodity, left out of a supply impact. */
  leftOut: string[];
}

export function publishedShockImpact(
  table: PublishedTable,
  code: string,
  fraction: number,
  kind: 'demand' | 'supply',
): PublishedImpact {
  invariant(Number.isFinite(fraction) && fraction >= -1 && fraction <= 1, 'fraction must lie in [−1, 1]');
  const output = (i: number) => table.industryOutput.get(table.industries[i] as string) ?? 0;
  const column = new Map(table.commodities.map((c, j) => [c, j]));
  const n = table.industries.length;
  const change = new Float64Array(n);
  const leftOut: string[] = [];
  let shock: number;
  if (kind === 'demand') {
    const j = column.get(code);
    invariant(j !== undefined, `no commodity "${code}" in the table`);
    shock = fraction * (table.commodityOutput.get(code) ?? 0);
    for (let i = 0; i < n; i++) change[i] = (table.cells[i]?.[j] as number) * shock;
  } else {
    const k = table.industries.indexOf(code);
    invariant(k >= 0, `no industry "${code}" in the table`);
    shock = fraction * output(k);
    const row = table.cells[k] as readonly number[];
    for (let i = 0; i < n; i++) {
      const j = column.get(table.industries[i] as string);
      if (j === undefined) leftOut.push(table.industries[i] as string);
      else change[i] = fraction * (row[j] as number) * output(i);
    }
  }
  const impacts = table.industries
    .map((industry, i) => ({
      industry,
      change: change[i] as number,
      relative: output(i) > 0 ? (change[i] as number) / output(i) : 0,
    }))
    .filter((x) => !leftOut.includes(x.industry))
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
  return { shock, impacts, leftOut };
}
