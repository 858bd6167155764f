import { createHash } from 'node:crypto';
import { subAreaList, upsertArea, upsertSubArea } from '../db/taxonomy-repo.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { authorize } from '../domain/roles.ts';
import { parseTaxonomy } from '../domain/taxonomy.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { runWrite } from './write.ts';
import { serverKey } from './write-key.ts';

/** Loads or updates areas and sub-areas. Ids are stable: a renamed sub-area keeps its deals. */
export async function loadTaxonomy(ctx: AppContext, actor: Actor, document: unknown) {
  authorize(actor, 'programme.load');
  const taxonomy = parseTaxonomy(document);
  const sha256 = createHash('sha256').update(canonicalJson(document)).digest('hex');
  return runWrite(
    ctx,
    {
      actor,
      action: 'taxonomy.load',
      key: serverKey('taxonomy', sha256),
      request: { sha256 },
      subject: 'taxonomy',
    },
    async (tx) => {
      for (const area of taxonomy.areas) await upsertArea(tx, area);
      for (const sub of taxonomy.subAreas) await upsertSubArea(tx, sub);
      return {
        result: { areas: taxonomy.areas.length, subAreas: taxonomy.subAreas.length },
        audit: { sha256 },
      };
    },
  );
}

export async function listSubAreas(ctx: AppContext, actor: Actor) {
  authorize(actor, 'taxonomy.read');
  return (await subAreaList(ctx.database.db)).map(camelCased);
}
