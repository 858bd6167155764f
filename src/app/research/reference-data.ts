/** Reads the research engine's reference files in data/ (each carries its source) into domain types. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Country } from '../../domain/research/criticality.ts';
import {
  assertGraphIsSound,
  type Graph,
  type GraphNode,
  nodeSchema,
  sharesSchema,
} from '../../domain/research/graph.ts';
import { setSweepHelper } from '../../domain/research/inverse.ts';
import { buildIoModel, denseFromCells, type IoModel, parseBeaCells } from '../../domain/research/io.ts';
import { countryName } from '../../domain/research/release/country-codes.ts';
import {
  deriveMaterial,
  materialSelectorSchema,
  type ReleaseMaterial,
  sharesForScoring,
  WITHHELD,
} from '../../domain/research/release/materials.ts';
import { relianceForScoring } from '../../domain/research/release/usgs-mcs.ts';
import { type Scenario, scenarioSchema } from '../../domain/research/scenario.ts';
import { taxonomyFileSchema } from '../../domain/taxonomy.ts';
import { DATA_DIR, REFERENCE_TAXONOMY, readJson } from '../data-files.ts';
import { euRelease, governanceRelease, RELEASES, usgsRelease } from './release.ts';
import { createSweepHelper } from './sweep-helper.ts';

// Inverses of tables of 256 sectors or more share their work with a second thread, created on first use.
setSweepHelper(createSweepHelper());

const RESEARCH = join(DATA_DIR, 'research');
const BEA = join(DATA_DIR, 'io', 'bea-1997-summary');

const catalogueFile = z.object({
  source: z.string(),
  exportRestrictionsSource: z.string(),
  materials: z.array(materialSelectorSchema),
});

const countriesFile = z.object({
  alignmentRules: z.record(z.enum(['domestic', 'ally', 'partner', 'neutral', 'concern']), z.string()),
  countries: z.array(
    z.object({
      code: z.string().regex(/^[A-Z]{2}$/),
      alignment: z.enum(['domestic', 'ally', 'partner', 'neutral', 'concern']),
      note: z.string().optional(),
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

export const materialCatalogue = () => catalogueFile.parse(readJson(join(RESEARCH, 'materials.json')));

let materials: ReleaseMaterial[] | undefined;
/** Every material of the catalogue with its figures derived from the shipped releases (once per process). */
export function referenceMaterials(): ReleaseMaterial[] {
  if (materials) return materials;
  const { world, fig2, salient, applications } = usgsRelease();
  const release = { world, fig2, salient, applications, eu: euRelease() };
  materials = materialCatalogue().materials.map((sel) => deriveMaterial(sel, release));
  return materials;
}

export interface ReferenceCountry extends Country {
  alignmentBasis: string;
  /** Where the governance figure comes from (the WGI file's row, or the rule for a missing figure). */
  wgiSource: string;
}

/**
 * Governance from the WGI file, alignment by rule from countries.json. A producer without a WGI figure
 * (USGS's "Other countries", New Caledonia) is scored at the median WGI of the 213 economies: neither the
 * best nor the worst case, and the country's `wgiSource` says so.
 */
export function referenceCountries(): ReadonlyMap<string, ReferenceCountry> {
  const file = countriesFile.parse(readJson(join(RESEARCH, 'countries.json')));
  const alignment = new Map(file.countries.map((c) => [c.code, c]));
  const wgi = governanceRelease();
  const sorted = wgi.map((g) => g.wgi).sort((a, b) => a - b);
  const median = ((sorted[(sorted.length - 1) >> 1] as number) + (sorted[sorted.length >> 1] as number)) / 2;
  const countries = new Map<string, ReferenceCountry>();
  const classOf = (code: string) => {
    const a = alignment.get(code);
    const cls = a?.alignment ?? 'neutral';
    return { alignment: cls, alignmentBasis: a?.note ?? file.alignmentRules[cls] ?? cls };
  };
  for (const g of wgi) {
    countries.set(g.code, {
      code: g.code,
      name: countryName(g.code) ?? g.name,
      wgi: g.wgi,
      wgiSource: `${RELEASES.wgi}, ${g.at.file} row ${g.at.row} (${g.printed} on the 0–1 scale)`,
      ...classOf(g.code),
    });
  }
  const missing = new Set(['OTHER']);
  for (const m of referenceMaterials())
    for (const p of m.production) for (const s of p.shares) missing.add(s.code);
  for (const code of missing) {
    if (countries.has(code)) continue;
    countries.set(code, {
      code,
      name: code === 'OTHER' ? 'Other countries (not itemised by USGS)' : (countryName(code) ?? code),
      wgi: median,
      wgiSource: `no WGI figure: scored at the median of the ${wgi.length} economies (${median.toFixed(2)})`,
      ...classOf(code),
    });
  }
  return countries;
}

/** The graph node of a material: figures for scoring and, in words, where each came from and what is missing. */
function materialNode(m: ReleaseMaterial, restrictionsSource: string): GraphNode {
  const shares = sharesForScoring(m);
  const nir = m.latestNetImportReliance;
  const reliance = nir ? relianceForScoring(nir.text) : null;
  const production = m.usPrimaryProduction.at(-1);
  const lines = [
    `${RELEASES.usgs}.`,
    shares
      ? `World ${m.stage}: ${shares.reading} (${m.production.find((p) => p.status === 'reported')?.worldTotal.at.file}).`
      : '',
    nir && reliance
      ? `US net import reliance ${nir.year}: "${nir.text}" (${nir.at.file} row ${nir.at.row}, ${nir.at.column}); ${reliance.reading}.`
      : '',
    m.importSources
      ? `Major import sources ${m.importSources.period}, in order (USGS gives no shares): ${m.importSources.sources
          .map((s) => s.country)
          .join(', ')}.`
      : '',
    production
      ? `US primary production ${production.year}: "${production.text}"${production.text === 'W' ? ` (${WITHHELD})` : ''}.`
      : '',
    m.exportRestrictedBy.length > 0 ? `Export controls: ${restrictionsSource}` : '',
    m.missing.length > 0 ? `Not in the release: ${m.missing.join('; ')}.` : '',
  ];
  return nodeSchema.parse({
    id: m.id,
    kind: 'material',
    name: m.name,
    ...(shares ? { worldShares: shares.shares } : {}),
    ...(reliance?.fraction !== null && reliance !== null
      ? { usNetImportReliance: Math.max(0, Math.min(1, reliance.fraction)) }
      : {}),
    // USGS counts no producers; "0" printed for US primary production means none, anything else is unknown.
    ...(production?.text === '0' ? { domesticProducers: 0 } : {}),
    exportRestrictedBy: m.exportRestrictedBy,
    source: lines
      .filter((l) => l !== '')
      .join(' ')
      .slice(0, 2000),
  });
}

/** Version 1 of the graph: materials, processed materials, the 27 sub-areas, and the edges. */
export function referenceGraph(): Graph {
  const file = graphFile.parse(readJson(join(RESEARCH, 'graph.json')));
  const catalogue = materialCatalogue();
  const taxonomy = taxonomyFileSchema.parse(readJson(REFERENCE_TAXONOMY));
  const nodes: GraphNode[] = [
    ...referenceMaterials().map((m) => materialNode(m, catalogue.exportRestrictionsSource)),
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
  bea = { model, names, sectorOf: sectorMaps()['benchmark-1997'].sectorOf };
  return bea;
}

export type IoLevel = 'benchmark-1997' | 'summary' | 'detail';

const levelMap = z.object({
  table: z.string(),
  map: z.record(z.string(), z.string()),
  notes: z.record(z.string(), z.string()).optional(),
});
const sectorMapFile = z.object({
  source: z.string(),
  levels: z.object({ 'benchmark-1997': levelMap, summary: levelMap, detail: levelMap }),
});

export interface SectorMap {
  table: string;
  /** Sub-area → industry (and commodity) code at this level. */
  sectorOf: Map<string, string>;
  notes: Map<string, string>;
}

/** The analyst's sub-area → industry maps of data/research/io-sector-map.json, one per table level. */
export function sectorMaps(): Record<IoLevel, SectorMap> & { source: string } {
  const file = sectorMapFile.parse(readJson(join(RESEARCH, 'io-sector-map.json')));
  const level = (l: z.infer<typeof levelMap>): SectorMap => ({
    table: l.table,
    sectorOf: new Map(Object.entries(l.map)),
    notes: new Map(Object.entries(l.notes ?? {})),
  });
  return {
    source: file.source,
    'benchmark-1997': level(file.levels['benchmark-1997']),
    summary: level(file.levels.summary),
    detail: level(file.levels.detail),
  };
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
