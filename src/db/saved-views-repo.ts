/** The saved views aggregate: each row is one user's, and every query here is scoped to its owner. */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { SavedViewInput, SavedViewPage } from '../domain/saved-views.ts';
import type { Schema } from './schema.ts';

export const savedViewsOf = (db: Kysely<Schema>, owner: string, page?: SavedViewPage) => {
  let query = db
    .selectFrom('saved_views')
    .select(['id', 'page', 'name', 'query', 'saved_at'])
    .where('owner', '=', owner);
  if (page) query = query.where('page', '=', page);
  return query.orderBy('page').orderBy('name').execute();
};

/**
 * How many views the owner keeps on the page, counted under a lock on the owner's views of that page (to
 * the end of the transaction), so two saves at once cannot both pass the limit.
 */
export async function countSavedViews(tx: Transaction<Schema>, owner: string, page: SavedViewPage) {
  const lockKey = JSON.stringify(['saved_views', owner, page]);
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`.execute(tx);
  const row = await tx
    .selectFrom('saved_views')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('owner', '=', owner)
    .where('page', '=', page)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Saves the view under its name, replacing the query of a view of the same name; its id either way. */
export async function upsertSavedView(tx: Transaction<Schema>, owner: string, view: SavedViewInput) {
  const row = await tx
    .insertInto('saved_views')
    .values({ owner, page: view.page, name: view.name, query: view.query })
    .onConflict((oc) =>
      oc
        .columns(['owner', 'page', 'name'])
        .doUpdateSet({ query: view.query, saved_at: new Date().toISOString() }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Deletes the owner's view; false when the owner has no view of that id (another's is not theirs). */
export async function deleteSavedView(tx: Transaction<Schema>, owner: string, id: bigint) {
  const result = await tx
    .deleteFrom('saved_views')
    .where('owner', '=', owner)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export const savedViewExists = async (
  tx: Transaction<Schema>,
  owner: string,
  page: SavedViewPage,
  name: string,
) =>
  Boolean(
    await tx
      .selectFrom('saved_views')
      .select('id')
      .where('owner', '=', owner)
      .where('page', '=', page)
      .where('name', '=', name)
      .executeTakeFirst(),
  );
