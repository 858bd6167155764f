/**
 * Shock scenarios: export restrictions, plant outages and price spikes, softened by buffers (stockpiles,
 * substitution, allied supply that ramps up), propagated through the graph to components, sub-areas,
 * companies and the deals that hold capital in them.
 *
 * Model (Keel's, stated so it can be argued with):
 * - an export restriction by country X of fraction f removes from US supply of a node
 *   f · NIR · max(share of US imports from X, share of world output from X): third countries largely
 *   re-export X's material, so the larger of the two shares is the exposure. A node without an import
 *   reliance figure is taken as fully imported, and the result says so;
 * - a plant outage removes fraction f of the node's supply;
 * - month by month, allied supply covers up to `fraction · min(1, month / byMonth)`, substitution covers a
 *   share of what remains, and a stockpile (in months of full consumption) covers the rest until spent;
 * - the uncovered shortfall's mean over the horizon and its peak are propagated through the graph.
 * Amounts at risk are analytics (floats rounded to cents), not ledger amounts.
 */
import { z } from 'zod';
import { notchMappingSchema } from '../credit/stress.ts';
import { invariant, KeelError } from '../errors.ts';
import { slug } from '../fields.ts';
import { type Graph, graphCsr } from './graph.ts';
import { explainPath, propagate } from './propagation.ts';

const nodeRef = z.string().min(1).max(80);
const fraction = z.number().min(0).max(1);
const months = z.number().gt(0).max(120);

export const shockSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('export_restriction'),
    country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2 code'),
    materials: z.array(nodeRef).min(1).max(50),
    fraction,
    months,
  }),
  z.object({ kind: z.literal('plant_outage'), node: nodeRef, fraction, months }),
  z.object({ kind: z.literal('price_spike'), node: nodeRef, percent: z.number().gt(0).max(10_000), months }),
]);
export type Shock = z.infer<typeof shockSchema>;

export const bufferSchema = z.object({
  node: nodeRef,
  stockpileMonths: z.number().min(0).max(120).default(0),
  substitution: fraction.default(0),
  alliedRamp: z.object({ fraction, byMonth: months }).optional(),
  note: z.string().max(2000).optional(),
});

export const scenarioSchema = z.object({
  id: slug,
  name: z.string().min(1).max(200),
  basis: z.string().max(4000).default(''),
  horizonMonths: z.number().int().min(1).max(120),
  shocks: z.array(shockSchema).min(1).max(100),
  buffers: z.array(bufferSchema).max(200).default([]),
  /**
   * How the credit stress turns a borrower's shortfall under this scenario into rating notches; without it,
   * the programme's default mapping applies (data/credit/shortfall-notches.json).
   */
  creditNotches: notchMappingSchema.optional(),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

export interface Holding {
  dealId: string;
  companyId: string;
  subAreaId: string;
  /** Net committed amount in cents (from the ledger). */
  committedCents: bigint;
}

export interface Exposure {
  id: string;
  kind: string;
  name: string;
  meanShortfall: number;
  peakShortfall: number;
  costIncrease: number;
  /** Largest-contributor chain from a shocked node to this one. */
  path: string[];
}

export interface ScenarioResult {
  scenarioId: string;
  horizonMonths: number;
  exposures: Exposure[];
  deals: (Holding & { shortfall: number; atRiskCents: bigint; path: string[] })[];
  capitalAtRiskCents: bigint;
  committedCents: bigint;
  warnings: string[];
}

type Stage = 'shocks' | 'propagation' | 'holdings';
type OnStage = (stage: Stage, done: number, total: number) => void;
/** A node's index in the graph, or the scenario's error naming the node it does not have. */
type IndexOf = (id: string) => number;

export function runScenario(
  graph: Graph,
  scenario: Scenario,
  holdings: readonly Holding[],
  onStage: OnStage = () => {},
): ScenarioResult {
  const warnings: string[] = [];
  const { nodes, edges } = withHoldingCompanies(graph, holdings);
  const { csr, index } = graphCsr({ nodes, edges });
  const at: IndexOf = (id) => {
    const i = index.get(id);
    if (i === undefined)
      throw new KeelError('invalid_scenario', `scenario ${scenario.id}: no node "${id}" in the graph`);
    return i;
  };

  const { monthlyLoss, price } = shockLosses(scenario, nodes, at, warnings, onStage);
  const { meanSeed, peakSeed } = uncoveredShortfalls(scenario, nodes, monthlyLoss);
  for (const b of scenario.buffers) at(b.node);

  onStage('propagation', 0, 3);
  const mean = propagate(csr, meanSeed);
  onStage('propagation', 1, 3);
  const peak = propagate(csr, peakSeed);
  onStage('propagation', 2, 3);
  const cost = propagate(
    csr,
    price.map((p) => Math.min(1, p)),
  );
  onStage('propagation', 3, 3);
  for (const [name, run] of [
    ['mean shortfall', mean],
    ['peak shortfall', peak],
    ['cost increase', cost],
  ] as const) {
    if (!run.converged)
      warnings.push(
        `${name}: the graph has a cycle and its propagation did not settle within ${run.rounds} rounds (last change ${run.lastChange.toExponential(2)}); the figures are those of the last round`,
      );
  }
  const pathOf = (i: number) => explainPath(mean.via, i).map((k) => nodes[k]?.id as string);

  const exposures: Exposure[] = nodes
    .map((node, i) => ({
      id: node.id,
      kind: node.kind,
      name: node.name,
      meanShortfall: mean.shortfall[i] as number,
      peakShortfall: peak.shortfall[i] as number,
      costIncrease: cost.shortfall[i] as number,
      path: pathOf(i),
    }))
    .filter((e) => e.meanShortfall > 1e-9 || e.peakShortfall > 1e-9 || e.costIncrease > 1e-9)
    .sort(
      (a, b) =>
        b.meanShortfall - a.meanShortfall || b.peakShortfall - a.peakShortfall || a.id.localeCompare(b.id),
    );
  return {
    scenarioId: scenario.id,
    horizonMonths: scenario.horizonMonths,
    exposures,
    ...capitalAtRisk(holdings, (h) => at(`company:${h.companyId}`), mean.shortfall, pathOf, onStage),
    warnings: [...new Set(warnings)],
  };
}

/** Companies not drawn in the graph hang off their deal's sub-area: they lose what the sub-area loses. */
function withHoldingCompanies(graph: Graph, holdings: readonly Holding[]): Graph {
  const nodes = [...graph.nodes];
  const edges = [...graph.edges];
  const known = new Set(nodes.map((n) => n.id));
  for (const h of holdings) {
    const id = `company:${h.companyId}`;
    if (known.has(id)) continue;
    known.add(id);
    nodes.push({ id, kind: 'company', name: h.companyId, source: 'deal in the pipeline' });
    if (known.has(h.subAreaId)) edges.push({ from: h.subAreaId, to: id, weight: 1, source: 'deal sub-area' });
  }
  return { nodes, edges };
}

/** Each shocked node's supply lost month by month (before buffers), and price rises as fractions. */
function shockLosses(
  scenario: Scenario,
  nodes: Graph['nodes'],
  at: IndexOf,
  warnings: string[],
  onStage: OnStage,
) {
  const H = scenario.horizonMonths;
  const monthlyLoss = new Map<number, Float64Array>();
  const price = new Float64Array(nodes.length);
  const lossOf = (i: number) => {
    let row = monthlyLoss.get(i);
    if (!row) {
      row = new Float64Array(H);
      monthlyLoss.set(i, row);
    }
    return row;
  };
  scenario.shocks.forEach((shock, k) => {
    onStage('shocks', k, scenario.shocks.length);
    const span = Math.min(H, Math.ceil(shock.months));
    if (shock.kind === 'price_spike') {
      price[at(shock.node)] = (price[at(shock.node)] as number) + shock.percent / 100;
      return;
    }
    const targets =
      shock.kind === 'plant_outage'
        ? [{ i: at(shock.node), loss: shock.fraction }]
        : shock.materials.map((id) => {
            const i = at(id);
            const node = nodes[i];
            invariant(node !== undefined, 'node index out of range');
            if (node.usNetImportReliance === undefined) {
              warnings.push(`${id}: no US import-reliance figure, taken as fully imported`);
            }
            const nir = node.usNetImportReliance ?? 1;
            const fromImports = node.importSources?.[shock.country] ?? 0;
            const fromWorld = node.worldShares?.[shock.country] ?? 0;
            if (!node.importSources && !node.worldShares)
              warnings.push(`${id}: no country shares; nothing restricted`);
            return { i, loss: shock.fraction * nir * Math.max(fromImports, fromWorld) };
          });
    for (const { i, loss } of targets) {
      const row = lossOf(i);
      for (let t = 0; t < span; t++) row[t] = Math.min(1, (row[t] as number) + loss);
    }
  });
  return { monthlyLoss, price };
}

/**
 * What the buffers leave uncovered of each node's monthly loss (allied ramp, then substitution, then the
 * stockpile until spent): its mean over the horizon and its peak, the seeds of the propagation.
 */
function uncoveredShortfalls(
  scenario: Scenario,
  nodes: Graph['nodes'],
  monthlyLoss: ReadonlyMap<number, Float64Array>,
) {
  const H = scenario.horizonMonths;
  const meanSeed = new Float64Array(nodes.length);
  const peakSeed = new Float64Array(nodes.length);
  for (const [i, row] of monthlyLoss) {
    const id = nodes[i]?.id;
    const buffer = scenario.buffers.find((b) => b.node === id);
    let stock = buffer?.stockpileMonths ?? 0;
    let sum = 0;
    let peak = 0;
    for (let t = 0; t < H; t++) {
      const ramp = buffer?.alliedRamp
        ? buffer.alliedRamp.fraction * Math.min(1, (t + 1) / buffer.alliedRamp.byMonth)
        : 0;
      const gap = Math.max(0, (row[t] as number) - ramp) * (1 - (buffer?.substitution ?? 0));
      const drawn = Math.min(stock, gap);
      stock -= drawn;
      const uncovered = gap - drawn;
      sum += uncovered;
      if (uncovered > peak) peak = uncovered;
    }
    meanSeed[i] = sum / H;
    peakSeed[i] = peak;
  }
  return { meanSeed, peakSeed };
}

/** Each holding's committed capital times its company's mean shortfall, largest first, and the totals. */
function capitalAtRisk(
  holdings: readonly Holding[],
  companyIndex: (h: Holding) => number,
  shortfalls: Float64Array,
  pathOf: (i: number) => string[],
  onStage: OnStage,
) {
  let capitalAtRiskCents = 0n;
  let committedCents = 0n;
  const deals = holdings.map((h, k) => {
    onStage('holdings', k, holdings.length);
    const i = companyIndex(h);
    const shortfall = shortfalls[i] as number;
    const atRiskCents = BigInt(Math.round(Number(h.committedCents) * shortfall));
    capitalAtRiskCents += atRiskCents;
    committedCents += h.committedCents;
    return { ...h, shortfall, atRiskCents, path: pathOf(i) };
  });
  deals.sort((a, b) => (b.atRiskCents > a.atRiskCents ? 1 : b.atRiskCents < a.atRiskCents ? -1 : 0));
  invariant(capitalAtRiskCents <= committedCents, 'capital at risk exceeds what is committed');
  return { deals, capitalAtRiskCents, committedCents };
}
