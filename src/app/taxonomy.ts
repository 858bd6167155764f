import { createHash } from 'node:crypto';
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
      for (const area of taxonomy.areas) {
        await tx
          .insertInto('areas')
          .values({ id: area.id, name: area.name, description: area.description })
          .onConflict((oc) => oc.column('id').doUpdateSet({ name: area.name, description: area.description }))
          .execute();
      }
      for (const sub of taxonomy.subAreas) {
        const values = {
          area_id: sub.areaId,
          name: sub.name,
          description: sub.description,
          publicly_named: sub.publiclyNamed,
          source_note: sub.sourceNote,
        };
        await tx
          .insertInto('sub_areas')
          .values({ id: sub.id, ...values })
          .onConflict((oc) => oc.column('id').doUpdateSet(values))
          .execute();
      }
      return {
        result: { areas: taxonomy.areas.length, subAreas: taxonomy.subAreas.length },
        audit: { sha256 },
      };
    },
  );
}

export async function listSubAreas(ctx: AppContext, actor: Actor) {
  authorize(actor, 'taxonomy.read');
  return ctx.database.db
    .selectFrom('sub_areas')
    .innerJoin('areas', 'areas.id', 'sub_areas.area_id')
    .select([
      'sub_areas.id',
      'sub_areas.name',
      'sub_areas.area_id',
      'areas.name as area_name',
      'sub_areas.publicly_named',
    ])
    .orderBy('sub_areas.area_id')
    .orderBy('sub_areas.id')
    .execute()
    .then((rows) => rows.map(camelCased));
}
