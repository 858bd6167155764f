/**
 * The supply-chain dependency graph: materials → processed materials and components → sub-areas →
 * companies. An edge weight w from i to j says: when i is short by a fraction s, j loses w·s of its output.
 * Nodes keep their data (shares by country, import reliance, sources) so every score can be traced back.
 */
import { z } from 'zod';
import { invariant } from '../errors.ts';

export const NODE_KINDS = ['material', 'processed', 'sub_area', 'company'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

const nodeId = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9][a-z0-9:-]*$/, 'lower-case letters, digits, "-" and ":" only');
const share = z.number().min(0).max(1);
/** Country code (ISO 3166 alpha-2) or OTHER → share of the stage; shares may not add up above 100%. */
export const sharesSchema = z
  .record(z.string().regex(/^([A-Z]{2}|OTHER)$/, 'ISO 3166 alpha-2 code or OTHER'), share)
  .refine((s) => Object.values(s).reduce((a, b) => a + b, 0) <= 1.005, 'shares add up to more than 100%');
export type Shares = z.infer<typeof sharesSchema>;

export const nodeSchema = z.object({
  id: nodeId,
  kind: z.enum(NODE_KINDS),
  name: z.string().min(1).max(200),
  worldShares: sharesSchema.optional(),
  importSources: sharesSchema.optional(),
  usNetImportReliance: share.optional(),
  domesticProducers: z.number().int().min(0).max(10_000).optional(),
  substitutability: share.optional(),
  eolRecyclingInputRate: share.optional(),
  exportRestrictedBy: z
    .array(z.string().regex(/^[A-Z]{2}$/))
    .max(50)
    .optional(),
  source: z.string().min(1).max(2000),
});
export type GraphNode = z.infer<typeof nodeSchema>;

export const edgeSchema = z.object({
  from: nodeId,
  to: nodeId,
  weight: z.number().gt(0).max(1),
  source: z.string().min(1).max(2000),
});
export type GraphEdge = z.infer<typeof edgeSchema>;

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Edits an analyst can make; each one makes a new version of the graph. */
export const graphEditSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('put_node'), node: nodeSchema }),
  z.object({ op: z.literal('remove_node'), id: nodeId }),
  z.object({ op: z.literal('put_edge'), edge: edgeSchema }),
  z.object({ op: z.literal('remove_edge'), from: nodeId, to: nodeId }),
]);
export type GraphEdit = z.infer<typeof graphEditSchema>;

export function assertGraphIsSound(graph: Graph): void {
  const ids = new Set<string>();
  for (const node of graph.nodes) {
    invariant(!ids.has(node.id), `node "${node.id}" appears twice`);
    ids.add(node.id);
  }
  const pairs = new Set<string>();
  for (const edge of graph.edges) {
    invariant(ids.has(edge.from), `edge from unknown node "${edge.from}"`);
    invariant(ids.has(edge.to), `edge to unknown node "${edge.to}"`);
    invariant(edge.from !== edge.to, `edge from "${edge.from}" to itself`);
    const pair = `${edge.from}→${edge.to}`;
    invariant(!pairs.has(pair), `edge ${pair} appears twice`);
    pairs.add(pair);
  }
}

export function applyEdit(graph: Graph, edit: GraphEdit): Graph {
  const nodes = [...graph.nodes];
  let edges = [...graph.edges];
  switch (edit.op) {
    case 'put_node': {
      const at = nodes.findIndex((n) => n.id === edit.node.id);
      if (at >= 0) nodes[at] = edit.node;
      else nodes.push(edit.node);
      break;
    }
    case 'remove_node': {
      const at = nodes.findIndex((n) => n.id === edit.id);
      invariant(at >= 0, `no node "${edit.id}"`);
      nodes.splice(at, 1);
      edges = edges.filter((e) => e.from !== edit.id && e.to !== edit.id);
      break;
    }
    case 'put_edge': {
      edges = edges.filter((e) => !(e.from === edit.edge.from && e.to === edit.edge.to));
      edges.push(edit.edge);
      break;
    }
    case 'remove_edge': {
      const before = edges.length;
      edges = edges.filter((e) => !(e.from === edit.from && e.to === edit.to));
      invariant(edges.length < before, `no edge ${edit.from}→${edit.to}`);
      break;
    }
  }
  const next = { nodes, edges };
  assertGraphIsSound(next);
  return next;
}

/**
 * Compressed sparse rows of the graph by *target* (for each node, its inputs), so that propagation pulls
 * from its inputs in one pass. Index order is the node order given.
 */
export interface Csr {
  size: number;
  /** inputStart[j]..inputStart[j+1] index into inputs/weights for node j. */
  inputStart: Int32Array;
  inputs: Int32Array;
  weights: Float64Array;
}

export function csrByTarget(size: number, from: Int32Array, to: Int32Array, weight: Float64Array): Csr {
  invariant(from.length === to.length && to.length === weight.length, 'edge arrays differ in length');
  const inputStart = new Int32Array(size + 1);
  for (let e = 0; e < to.length; e++) {
    const slot = (to[e] as number) + 1;
    inputStart[slot] = (inputStart[slot] as number) + 1;
  }
  for (let j = 0; j < size; j++)
    inputStart[j + 1] = (inputStart[j + 1] as number) + (inputStart[j] as number);
  const fill = inputStart.slice(0, size);
  const inputs = new Int32Array(to.length);
  const weights = new Float64Array(to.length);
  for (let e = 0; e < to.length; e++) {
    const j = to[e] as number;
    const at = (fill[j] as number) + 0;
    fill[j] = at + 1;
    inputs[at] = from[e] as number;
    weights[at] = weight[e] as number;
  }
  return { size, inputStart, inputs, weights };
}

export function graphCsr(graph: Graph): { csr: Csr; index: Map<string, number> } {
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const from = new Int32Array(graph.edges.length);
  const to = new Int32Array(graph.edges.length);
  const weight = new Float64Array(graph.edges.length);
  graph.edges.forEach((e, k) => {
    from[k] = index.get(e.from) as number;
    to[k] = index.get(e.to) as number;
    weight[k] = e.weight;
  });
  return { csr: csrByTarget(graph.nodes.length, from, to, weight), index };
}
