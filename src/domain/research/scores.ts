/** Criticality of every node of the graph: its own indicators and what it inherits from its inputs. */
import {
  type Countries,
  concernShare,
  euEconomicImportance,
  euHhiWgiT,
  euSupplyRisk,
  hhi,
  type UsgsSupplyRisk,
  usgsSupplyRisk,
} from './criticality.ts';
import { type Graph, type GraphNode, graphCsr } from './graph.ts';
import { propagate } from './propagation.ts';

export interface NodeScore {
  id: string;
  kind: GraphNode['kind'];
  name: string;
  hhi: number | null;
  concernShare: number | null;
  importReliance: number | null;
  domesticProducers: number | null;
  /** No more than one domestic producer and most supply imported. */
  singlePointOfFailure: boolean;
  substitutability: number | null;
  usgs: UsgsSupplyRisk | null;
  eu: {
    hhiGlobal: number;
    hhiSourcing: number;
    supplyRisk: number;
    economicImportance: number | null;
  } | null;
  /** Largest reach × USGS supply risk over the materials upstream, and which material it is. */
  inherited: { risk: number; material: string | null; reach: number };
  /** Materials upstream with how much of this node a full loss of each would stop. */
  exposures: { material: string; reach: number }[];
  /** How this node's missing inputs were treated, in words (empty when nothing was missing). */
  missing: string[];
}

/** How every score treats a missing value, never by inventing a figure (shown with the scores). */
export const SCORING_RULES: readonly string[] = [
  'No world production shares (USGS withholds them, or the release has none): HHI, concern share and both supply risks are not computed.',
  'No US net import reliance figure ("NA", or not in the release): both supply risks are not computed. A printed bound (">75", "<25") is scored at the bound; "E" (net exporter) as 0.',
  "Shares are of USGS's world total; where the itemised rows add up to more than USGS's rounded total they are taken of the rows' sum. Where US production is withheld (\"W\"), it is excluded, as in USGS's total.",
  'No US import shares (USGS publishes the order of the sources only): the EU sourcing term uses world supply.',
  'No substitution index or end-of-life recycling input rate in the shipped data: the EU formula uses SI = 1 and EoL-RIR = 0 (its upper bound for that supply).',
  'A producer without a WGI figure (USGS\'s "Other countries", New Caledonia) is scored at the median WGI of the 213 economies.',
  'No producer count (USGS counts none): single point of failure is flagged only where USGS prints US primary production as 0.',
  'No path from a material to any sub-area in the graph: economic vulnerability 0, so USGS supply risk 0.',
];

/** The rules above that apply to one node, in words. */
export function missingInputs(node: GraphNode): string[] {
  if (node.kind !== 'material' && node.kind !== 'processed') return [];
  const out: string[] = [];
  if (!node.worldShares) {
    out.push(
      'no world production shares (withheld by USGS or not in the release): HHI, concern share and supply risks not computed',
    );
  }
  if (node.kind === 'material' && node.usNetImportReliance === undefined) {
    out.push('no US net import reliance figure: supply risks not computed');
  }
  if (node.worldShares && node.usNetImportReliance !== undefined) {
    if (!node.importSources)
      out.push('EU sourcing term uses world supply: US import shares are not published');
    if (node.substitutability === undefined) out.push('EU SI(SR) taken as 1 (not in the shipped data)');
    if (node.eolRecyclingInputRate === undefined) out.push('EU EoL-RIR taken as 0 (not in the shipped data)');
  }
  if (node.kind === 'material' && node.domesticProducers === undefined) {
    out.push('no producer count: single point of failure not assessed');
  }
  return out;
}

export interface ScoreOptions {
  /** Value added of the IO sector mapped to each sub-area (EU economic importance); optional. */
  subAreaValueAdded?: ReadonlyMap<string, number>;
}

export function scoreGraph(graph: Graph, countries: Countries, options: ScoreOptions = {}): NodeScore[] {
  const { csr } = graphCsr(graph);
  const subAreas = graph.nodes.flatMap((n, i) => (n.kind === 'sub_area' ? [i] : []));
  const reachByMaterial = new Map<number, Float64Array>();
  const unsettled = new Map<number, number>();
  graph.nodes.forEach((node, m) => {
    if (node.kind !== 'material') return;
    const seed = new Float64Array(graph.nodes.length);
    seed[m] = 1;
    const reach = propagate(csr, seed);
    reachByMaterial.set(m, reach.shortfall);
    if (!reach.converged) unsettled.set(m, reach.rounds);
  });

  const materialRisk = new Map<number, UsgsSupplyRisk>();
  const own = graph.nodes.map((node, i) => {
    const reach = reachByMaterial.get(i);
    const ev =
      reach && subAreas.length > 0
        ? subAreas.reduce((s, j) => s + (reach[j] as number), 0) / subAreas.length
        : 0;
    const usgs =
      node.worldShares && node.usNetImportReliance !== undefined
        ? usgsSupplyRisk(node.worldShares, node.usNetImportReliance, Math.min(1, ev), countries)
        : null;
    if (usgs && node.kind === 'material') materialRisk.set(i, usgs);
    return { node, usgs, reach };
  });
  const largestValueAdded = Math.max(0, ...(options.subAreaValueAdded?.values() ?? []));

  return own.map(({ node, usgs, reach }, j) => {
    const exposures = [...reachByMaterial.entries()]
      .map(([m, r]) => ({ material: graph.nodes[m]?.id as string, reach: r[j] as number, m }))
      .filter((e) => e.reach > 1e-12 && e.m !== j)
      .sort((a, b) => b.reach - a.reach);
    let inherited = { risk: 0, material: null as string | null, reach: 0 };
    for (const e of exposures) {
      const risk = e.reach * (materialRisk.get(e.m)?.supplyRisk ?? 0);
      if (risk > inherited.risk) inherited = { risk, material: e.material, reach: e.reach };
    }
    const eu =
      node.worldShares && node.usNetImportReliance !== undefined
        ? (() => {
            const hhiGlobal = euHhiWgiT(node.worldShares, countries, node.exportRestrictedBy);
            const hhiSourcing = euHhiWgiT(
              node.importSources ?? node.worldShares,
              countries,
              node.exportRestrictedBy,
            );
            const si = node.substitutability ?? 1;
            const uses =
              reach && largestValueAdded > 0
                ? graph.nodes.flatMap((n, k) =>
                    n.kind === 'sub_area' && (reach[k] as number) > 0
                      ? [{ share: reach[k] as number, valueAdded: options.subAreaValueAdded?.get(n.id) ?? 0 }]
                      : [],
                  )
                : [];
            return {
              hhiGlobal,
              hhiSourcing,
              supplyRisk: euSupplyRisk({
                hhiGlobal,
                hhiSourcing,
                importReliance: node.usNetImportReliance ?? 0,
                eolRecyclingInputRate: node.eolRecyclingInputRate ?? 0,
                substitutionIndex: si,
              }),
              economicImportance: uses.length > 0 ? euEconomicImportance(uses, largestValueAdded, si) : null,
            };
          })()
        : null;
    return {
      id: node.id,
      kind: node.kind,
      name: node.name,
      hhi: node.worldShares ? hhi(node.worldShares) : null,
      concernShare: node.worldShares ? concernShare(node.worldShares, countries) : null,
      importReliance: node.usNetImportReliance ?? null,
      domesticProducers: node.domesticProducers ?? null,
      singlePointOfFailure:
        node.domesticProducers !== undefined &&
        node.domesticProducers <= 1 &&
        (node.usNetImportReliance ?? 0) >= 0.5,
      substitutability: node.substitutability ?? null,
      usgs,
      eu,
      inherited,
      exposures: exposures.slice(0, 10).map(({ material, reach: r }) => ({ material, reach: r })),
      missing: [
        ...missingInputs(node),
        ...(node.kind === 'material' && usgs && usgs.economicVulnerability === 0
          ? ['no path to any sub-area in the graph: economic vulnerability 0, so USGS supply risk 0']
          : []),
        ...(unsettled.has(j)
          ? [
              `its reach through a cycle of the graph did not settle within ${unsettled.get(j)} rounds: reach is that of the last round`,
            ]
          : []),
      ],
    };
  });
}
