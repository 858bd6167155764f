/** The dependency graph in the database: one version per change, edited only through audited writes. */
import { z } from 'zod';
import {
  graphVersionList,
  graphVersionRow,
  insertGraphVersion,
  lockLatestGraphVersion,
} from '../../db/research-repo.ts';
import { KeelError } from '../../domain/errors.ts';
import { applyEdit, assertGraphIsSound, type Graph, graphEditSchema } from '../../domain/research/graph.ts';
import { authorize } from '../../domain/roles.ts';
import { camelCased } from '../camel-case.ts';
import type { Actor, AppContext } from '../context.ts';
import { runWrite, type WriteResult } from '../write.ts';
import { referenceGraph } from './reference-data.ts';

export interface GraphVersion {
  version: number;
  graph: Graph;
  note: string;
  createdBy: string;
  createdAt: string;
}

export const graphEditInputSchema = z.object({
  /** The version the edits were made against: refused if someone saved another version since. */
  baseVersion: z.number().int().min(1),
  edits: z.array(graphEditSchema).min(1).max(500),
  note: z.string().min(1).max(2000),
});

export async function graphVersion(ctx: AppContext, actor: Actor, version?: number): Promise<GraphVersion> {
  authorize(actor, 'research.read');
  const row = await graphVersionRow(ctx.database.db, version);
  if (!row) {
    throw version === undefined
      ? new KeelError('not_initialised', 'no research graph yet: run `keel init`')
      : new KeelError('not_found', `no graph version ${version}`);
  }
  return {
    version: row.version,
    graph: row.graph as Graph,
    note: row.note,
    createdBy: row.created_by,
    createdAt: String(row.created_at),
  };
}

export async function graphHistory(ctx: AppContext, actor: Actor) {
  authorize(actor, 'research.read');
  return (await graphVersionList(ctx.database.db)).map(camelCased);
}

export async function editGraph(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: z.infer<typeof graphEditInputSchema>,
): Promise<WriteResult<{ version: number; nodes: number; edges: number }>> {
  authorize(actor, 'research.write');
  const written = await runWrite(
    ctx,
    { actor, action: 'research.graph.edit', key, request: input, subject: 'research:graph' },
    async (tx) => {
      const latest = await lockLatestGraphVersion(tx);
      if (!latest) throw new KeelError('not_initialised', 'no research graph yet: run `keel init`');
      if (latest.version !== input.baseVersion) {
        throw new KeelError(
          'stale_version',
          `the graph is at version ${latest.version}, not ${input.baseVersion}: reload and apply the edits again`,
        );
      }
      let graph = latest.graph as Graph;
      for (const [n, edit] of input.edits.entries()) {
        try {
          graph = applyEdit(graph, edit);
        } catch (error) {
          const reason = (error as Error).message.replace(/^invariant violated: /, '');
          throw new KeelError('invalid_graph_edit', `edit ${n + 1}: ${reason}`);
        }
      }
      const version = latest.version + 1;
      await insertGraphVersion(tx, { version, graph, note: input.note, createdBy: actor.id });
      return { result: { version, nodes: graph.nodes.length, edges: graph.edges.length } };
    },
  );
  return written;
}

/** First version from data/ when the database has none (part of `keel init`; idempotent). */
export async function seedReferenceGraph(ctx: AppContext, actor: Actor): Promise<number> {
  const graph = referenceGraph();
  assertGraphIsSound(graph);
  await insertGraphVersion(
    ctx.database.db,
    {
      version: 1,
      graph,
      note: 'reference graph from data/research (USGS MCS 2025, Keel research estimates)',
      createdBy: actor.id,
    },
    { ifAbsent: true },
  );
  return graph.nodes.length;
}
