/** Reads the research engine's reference files in data/ (each carries its source) into domain types. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Countries, Country } from '../../domain/research/criticality.ts';
import {
  assertGraphIsSound,
  type Graph,
  type GraphNode,
  nodeSchema,
  sharesSchema,
} from '../../domain/research/graph.ts';
import { setSweepHelper } from '../../domain/research/inverse.ts';
import { buildIoModel, denseFromCells, type IoModel, parseBeaCells } from '../../domain/research/io.ts';
import { type Scenario, scenarioSchema } from '../../domain/research/scenario.ts';
import { taxonomyFileSchema } from '../../domain/taxonomy.ts';
import { DATA_DIR, REFERENCE_TAXONOMY, readJson } from '../data-files.ts';
import { createSweepHelper } from './sweep-helper.ts';

// Inverses of tables of 256 sectors or more share their work with a second thread, created on first use.
setSweepHelper(createSweepHelper());

const RESEARCH = join(DATA_DIR, 'research');
const BEA = join(DATA_DIR, 'io', 'bea-1997-summary');

const mineralsFile = z.object({
  source: z.string(),
  materials: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      stage: z.string(),
      year: z.number().int(),
      usNetImportReliance: z.number(),
      domesticProducers: z.number().int(),
      worldShares: sharesSchema,
      importSources: sharesSchema,
      substitutability: z.number(),
      eolRecyclingInputRate: z.number(),
      exportRestrictedBy: z.array(z.string()),
      euPublished: z
        .object({ material: z.string(), supplyRisk: z.number(), economicImportance: z.number() })
        .optional(),
      checked: z.boolean(),
      sourceNote: z.string(),
    }),
  ),
});
export type ReferenceMaterial = z.infer<typeof mineralsFile>['materials'][number];

const countriesFile = z.object({
  countries: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      wgi: z.number().min(-2.5).max(2.5),
      alignment: z.enum(['domestic', 'ally', 'partner', 'neutral', 'concern']),
      alignmentBasis: z.string(),
    }),
  ),
});

const graphFile = z.object({
  source: z.string(),
  processed: z.array(
    z.object({ id: z.string(), name: z.string(), worldShares: sharesSchema.nullable(), source: z.string() }),
  ),
  edges: z.array(z.object({ from: z.string(), to: z.string(), weight: z.number(), source: z.string() })),
});

export function referenceMaterials(): ReferenceMaterial[] {
  return mineralsFile.parse(readJson(join(RESEARCH, 'minerals.json'))).materials;
}

export function referenceCountries(): Countries & ReadonlyMap<string, Country & { alignmentBasis: string }> {
  const file = countriesFile.parse(readJson(join(RESEARCH, 'countries.json')));
  return new Map(file.countries.map((c) => [c.code, c]));
}

/** Version 1 of the graph: materials, processed materials, the 27 sub-areas, and the edges. */
export function referenceGraph(): Graph {
  const file = graphFile.parse(readJson(join(RESEARCH, 'graph.json')));
  const taxonomy = taxonomyFileSchema.parse(readJson(REFERENCE_TAXONOMY));
  const nodes: GraphNode[] = [
    ...referenceMaterials().map((m) =>
      nodeSchema.parse({
        id: m.id,
        kind: 'material',
        name: m.name,
        worldShares: m.worldShares,
        importSources: m.importSources,
        usNetImportReliance: m.usNetImportReliance,
        domesticProducers: m.domesticProducers,
        substitutability: m.substitutability,
        eolRecyclingInputRate: m.eolRecyclingInputRate,
        exportRestrictedBy: m.exportRestrictedBy,
        source: `${m.sourceNote}${m.checked ? '' : ' [figures not yet checked against the publication]'}`,
      }),
    ),
    ...file.processed.map((p) =>
      nodeSchema.parse({
        id: p.id,
        kind: 'processed',
        name: p.name,
        ...(p.worldShares ? { worldShares: p.worldShares } : {}),
        source: p.source,
      }),
    ),
    ...taxonomy.areas.flatMap((a) =>
      a.subAreas.map((s) => ({ id: s.id, kind: 'sub_area' as const, name: s.name, source: 'Keel taxonomy' })),
    ),
  ];
  const graph = { nodes, edges: file.edges };
  assertGraphIsSound(graph);
  return graph;
}

export function shippedScenarios(): Scenario[] {
  const file = z
    .object({ scenarios: z.array(scenarioSchema) })
    .parse(readJson(join(RESEARCH, 'scenarios.json')));
  return file.scenarios;
}

export const readBea = (name: string) => readFileSync(join(BEA, name), 'utf8');

export interface BeaTable {
  model: IoModel;
  names: Map<string, string>;
  /** Value added (compensation, taxes, other value added) per industry, millions of dollars. */
  valueAdded: Map<string, number>;
  /** Sub-area → industry code. */
  sectorOf: Map<string, string>;
}

let bea: BeaTable | undefined;

/** The BEA 1997 summary tables and the model built from them (computed once per process). */
export function beaTable(): BeaTable {
  if (bea) return bea;
  const published = parseBeaCells(readBea('IndbyComTRSum.txt'));
  const industries = [...new Set(published.map((c) => c.row))].sort();
  const commodities = [...new Set(published.map((c) => c.col))].sort();
  const model = buildIoModel({
    industries,
    commodities,
    make: denseFromCells(parseBeaCells(readBea('IOMakeSummary.txt')), industries, commodities),
    direct: denseFromCells(parseBeaCells(readBea('IODirectRequirements.txt')), commodities, industries),
    scrapCommodity: 'S004',
  });
  const names = new Map(parseCodeNames(readBea('IO-CodeSummary.txt')));
  const valueAdded = new Map<string, number>();
  for (const cell of parseBeaCells(readBea('iousesummary.txt'), 4)) {
    if (cell.row.startsWith('V00')) valueAdded.set(cell.col, (valueAdded.get(cell.col) ?? 0) + cell.value);
  }
  const map = z
    .object({ map: z.record(z.string(), z.string()) })
    .parse(readJson(join(RESEARCH, 'io-sector-map.json'))).map;
  bea = { model, names, valueAdded, sectorOf: new Map(Object.entries(map)) };
  return bea;
}

function parseCodeNames(text: string): [string, string][] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = /^"([^"]+)","([^"]*)"/.exec(l.trim());
      if (!m) throw new Error(`IO-CodeSummary.txt: cannot read "${l}"`);
      return [m[1] as string, m[2] as string];
    });
}
