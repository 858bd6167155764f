/** Criticality scores of the graph and economy-wide impact from the input–output model. */
import { z } from 'zod';
import { KeelError } from '../../domain/errors.ts';
import { type SectorImpact, sectorShockImpact } from '../../domain/research/io.ts';
import { publishedShockImpact } from '../../domain/research/published-impact.ts';
import { type NodeScore, SCORING_RULES, scoreGraph } from '../../domain/research/scores.ts';
import { authorize } from '../../domain/roles.ts';
import { throwIfCancelled } from '../cancellation.ts';
import type { Actor, AppContext } from '../context.ts';
import {
  DETAIL_YEAR,
  industryInverseOf,
  publishedTables,
  subAreaValueAdded,
  VALUE_ADDED_YEAR,
} from './bea-annual.ts';
import { graphVersion } from './graph.ts';
import { beaTable, referenceCountries, sectorMaps } from './reference-data.ts';

/** Scores of a graph version; the EU economic importance weighs end uses by one year's value added (1997–2015). */
export async function researchScores(
  ctx: AppContext,
  actor: Actor,
  version?: number,
  valueAddedYear: number = VALUE_ADDED_YEAR,
) {
  authorize(actor, 'research.read');
  const current = await graphVersion(ctx, actor, version);
  const va = await subAreaValueAdded(valueAddedYear);
  const scores: NodeScore[] = scoreGraph(current.graph, referenceCountries(), {
    subAreaValueAdded: new Map([...va.bySubArea].map(([subArea, cell]) => [subArea, cell.value] as const)),
  });
  return {
    version: current.version,
    scores,
    scoringRules: SCORING_RULES,
    // Where the economic-importance weights were read, per sub-area (file, sheet, row, column).
    valueAdded: {
      year: va.year,
      table: va.table,
      bySubArea: [...va.bySubArea].map(([subArea, c]) => ({
        subArea,
        industry: c.industry,
        value: c.value,
        file: c.file,
        sheet: c.sheet,
        row: c.row,
        column: c.column,
      })),
    },
  };
}

export const ioImpactSchema = z
  .object({
    sector: z
      .string()
      .regex(
        /^[0-9A-Za-z]{2,6}$/,
        'a BEA industry code: 334 (summary), 334413 (2007 detail) or 3344 (1997 benchmark)',
      )
      .optional(),
    subArea: z.string().min(1).max(80).optional(),
    change: z.coerce.number().min(-1).max(1),
    model: z.enum(['demand', 'supply']).default('supply'),
    top: z.coerce.number().int().min(1).max(200).default(15),
    /** summary: the annual tables 1997–2015; detail: the 2007 benchmark at 389 industries; benchmark-1997: Keel's rebuild. */
    level: z.enum(['summary', 'detail', 'benchmark-1997']).default('summary'),
    year: z.coerce.number().int().min(1997).max(2015).optional(),
  })
  .refine((q) => (q.sector === undefined) !== (q.subArea === undefined), 'give either a sector or a sub-area')
  .refine((q) => q.level !== 'detail' || q.year === undefined || q.year === DETAIL_YEAR, {
    message: `the detail tables exist for ${DETAIL_YEAR} only`,
    path: ['year'],
  })
  .refine((q) => q.level !== 'benchmark-1997' || q.year === undefined || q.year === 1997, {
    message: 'the 1997 benchmark is for 1997 only',
    path: ['year'],
  });

export interface IoImpactReport {
  level: z.infer<typeof ioImpactSchema>['level'];
  year: number;
  table: string;
  /** How the impact is computed from the table, in words. */
  method: string;
  sector: string;
  sectorName: string;
  subArea: string | null;
  model: 'demand' | 'supply';
  change: number;
  /** The shock in millions of dollars (final demand or primary inputs). */
  shock: number;
  totalChange: number;
  impacts: (SectorImpact & { name: string })[];
}

const DEMAND_METHOD =
  'Leontief demand: final demand for the commodity changes by the fraction of its commodity output (use table); each industry changes by the published total requirement × that change';
const SUPPLY_METHOD =
  "Ghosh supply: primary inputs of the industry change by the fraction of its output (use table); industry j changes by fraction × L[k, j] × g_j, since the Ghosh inverse is ĝ⁻¹ L ĝ (Dietzenbacher 1997), with the industry-by-industry inverse L = I + TR · B from the published total requirements TR and the use table's direct requirements B (exact where both tables share a basis; BEA derivation, Table 7 = W(I − BW)⁻¹)";

export async function ioImpact(
  actor: Actor,
  query: z.infer<typeof ioImpactSchema>,
  options: { signal?: AbortSignal } = {},
): Promise<IoImpactReport> {
  authorize(actor, 'research.read');
  // One synchronous computation: it is checked before it starts (it cannot be interrupted once it runs).
  throwIfCancelled(options.signal, 'input–output impact');
  const map = sectorMaps()[query.level];
  const sector = query.sector ?? map.sectorOf.get(query.subArea ?? '');
  if (!sector)
    throw new KeelError(
      'not_found',
      `no I-O sector mapped to sub-area "${query.subArea}" at the ${query.level} level`,
    );
  const base = {
    level: query.level,
    sector,
    subArea: query.subArea ?? null,
    model: query.model,
    change: query.change,
  };
  if (query.level === 'benchmark-1997') {
    const bea = beaTable();
    if (!bea.model.industries.includes(sector))
      throw new KeelError('not_found', `no industry "${sector}" in the BEA 1997 benchmark table`);
    const impacts = sectorShockImpact(bea.model, sector, query.change, query.model);
    const k = bea.model.industries.indexOf(sector);
    return {
      ...base,
      year: 1997,
      table:
        'BEA 1997 benchmark, summary level (millions of 1997 dollars), rebuilt by Keel from the make and direct requirements tables',
      method: `${query.model === 'demand' ? 'Leontief demand' : 'Ghosh supply'} on Keel's industry-by-industry model (A = W·B); the shock is the fraction of the industry's output`,
      sectorName: bea.names.get(sector) ?? sector,
      shock: query.change * (bea.model.industryOutput[k] as number),
      totalChange: impacts.reduce((s, i) => s + i.change, 0),
      impacts: impacts
        .slice(0, query.top)
        .map((i) => ({ ...i, name: bea.names.get(i.industry) ?? i.industry })),
    };
  }
  const year = query.year ?? (query.level === 'detail' ? DETAIL_YEAR : 2015);
  const tables = await publishedTables(query.level, year);
  throwIfCancelled(options.signal, 'input–output impact');
  const { total, use } = tables;
  const names = new Map([
    ...total.commodities.map((c) => [c.code, c.name] as const),
    ...total.industries.map((i) => [i.code, i.name] as const),
  ]);
  const has =
    query.model === 'demand'
      ? total.commodities.some((c) => c.code === sector)
      : total.industries.some((i) => i.code === sector);
  if (!has)
    throw new KeelError(
      'not_found',
      `no ${query.model === 'demand' ? 'commodity' : 'industry'} "${sector}" in the ${tables.title.split(',')[0]} table`,
    );
  const inverse = query.model === 'supply' ? await industryInverseOf(query.level, year) : undefined;
  throwIfCancelled(options.signal, 'input–output impact');
  const result = publishedShockImpact(
    {
      industries: total.industries.map((i) => i.code),
      commodities: total.commodities.map((c) => c.code),
      cells: total.cells,
      industryOutput: use.industryOutput,
      commodityOutput: use.commodityOutput,
    },
    sector,
    query.change,
    query.model,
    inverse,
  );
  // The use table is before redefinitions, the total requirements after them: the mismatch, as measured.
  const basis =
    inverse && inverse.smallestEntry < 0
      ? `; the total requirements are after redefinitions and the use table before them, so L is approximate here: its smallest entry is ${inverse.smallestEntry.toFixed(4)} where it cannot be below 0`
      : '';
  return {
    ...base,
    year,
    table: tables.title,
    method: query.model === 'demand' ? DEMAND_METHOD : `${SUPPLY_METHOD}${basis}`,
    sectorName: names.get(sector) ?? sector,
    shock: result.shock,
    totalChange: result.impacts.reduce((s, i) => s + i.change, 0),
    impacts: result.impacts
      .slice(0, query.top)
      .map((i) => ({ ...i, name: names.get(i.industry) ?? i.industry })),
  };
}
