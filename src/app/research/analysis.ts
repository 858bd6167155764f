/** Criticality scores of the graph and economy-wide impact from the input–output model. */
import { z } from 'zod';
import { KeelError } from '../../domain/errors.ts';
import { type SectorImpact, sectorShockImpact } from '../../domain/research/io.ts';
import { type NodeScore, SCORING_RULES, scoreGraph } from '../../domain/research/scores.ts';
import { authorize } from '../../domain/roles.ts';
import { throwIfCancelled } from '../cancellation.ts';
import type { Actor, AppContext } from '../context.ts';
import { graphVersion } from './graph.ts';
import { beaTable, referenceCountries } from './reference-data.ts';

export async function researchScores(ctx: AppContext, actor: Actor, version?: number) {
  authorize(actor, 'research.read');
  const current = await graphVersion(ctx, actor, version);
  const bea = beaTable();
  const subAreaValueAdded = new Map(
    [...bea.sectorOf].map(([subArea, code]) => [subArea, bea.valueAdded.get(code) ?? 0] as const),
  );
  const scores: NodeScore[] = scoreGraph(current.graph, referenceCountries(), { subAreaValueAdded });
  return { version: current.version, scores, scoringRules: SCORING_RULES };
}

export const ioImpactSchema = z
  .object({
    sector: z
      .string()
      .regex(/^[0-9A-Z]{4}$/, 'a BEA summary I-O code such as 3344')
      .optional(),
    subArea: z.string().min(1).max(80).optional(),
    change: z.coerce.number().min(-1).max(1),
    model: z.enum(['demand', 'supply']).default('supply'),
    top: z.coerce.number().int().min(1).max(200).default(15),
  })
  .refine(
    (q) => (q.sector === undefined) !== (q.subArea === undefined),
    'give either a sector or a sub-area',
  );

export interface IoImpactReport {
  table: string;
  sector: string;
  sectorName: string;
  model: 'demand' | 'supply';
  change: number;
  totalChange: number;
  impacts: (SectorImpact & { name: string })[];
}

export function ioImpact(
  actor: Actor,
  query: z.infer<typeof ioImpactSchema>,
  options: { signal?: AbortSignal } = {},
): IoImpactReport {
  authorize(actor, 'research.read');
  // One synchronous computation: it is checked before it starts (it cannot be interrupted once it runs).
  throwIfCancelled(options.signal, 'input–output impact');
  const bea = beaTable();
  const sector = query.sector ?? bea.sectorOf.get(query.subArea ?? '');
  if (!sector) throw new KeelError('not_found', `no I-O sector mapped to sub-area "${query.subArea}"`);
  if (!bea.model.industries.includes(sector))
    throw new KeelError('not_found', `no industry "${sector}" in the BEA table`);
  const impacts = sectorShockImpact(bea.model, sector, query.change, query.model);
  return {
    table: 'BEA 1997 benchmark, summary level (millions of 1997 dollars)',
    sector,
    sectorName: bea.names.get(sector) ?? sector,
    model: query.model,
    change: query.change,
    totalChange: impacts.reduce((s, i) => s + i.change, 0),
    impacts: impacts
      .slice(0, query.top)
      .map((i) => ({ ...i, name: bea.names.get(i.industry) ?? i.industry })),
  };
}
