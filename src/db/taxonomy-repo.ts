/** The taxonomy: areas and their sub-areas. Ids are stable, so a reload updates names in place. */
import type { Kysely, Transaction } from 'kysely';
import type { SubArea, TaxonomyFile } from '../domain/taxonomy.ts';
import type { Schema } from './schema.ts';

/** Adds an area, or renames and redescribes the one with its id. */
export async function upsertArea(
  tx: Transaction<Schema>,
  area: TaxonomyFile['areas'][number],
): Promise<void> {
  const values = { name: area.name, description: area.description };
  await tx
    .insertInto('areas')
    .values({ id: area.id, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

/** Adds a sub-area, or updates the one with its id (its deals keep pointing at it). */
export async function upsertSubArea(tx: Transaction<Schema>, sub: SubArea): Promise<void> {
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

/** Sub-areas with their area's name, by area and id. */
export const subAreaList = (db: Kysely<Schema>) =>
  db
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
    .execute();

/** Every sub-area's id and name. */
export const subAreaNames = (db: Kysely<Schema>) =>
  db.selectFrom('sub_areas').select(['id', 'name']).execute();

/** Every area's id and name. */
export const areaNames = (db: Kysely<Schema>) => db.selectFrom('areas').select(['id', 'name']).execute();
