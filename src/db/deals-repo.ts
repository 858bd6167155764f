/**
 * The deals aggregate: a deal row and its stage history move together (every deal opens with a first stage
 * move, every stage change records one), so stage histories and month-end pipelines see every deal.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Stage } from '../domain/stages.ts';
import type { DealsTable, Schema } from './schema.ts';

/** Inserts deals with their opening stage moves; returns each deal's opening move id (its first cycle). */
export async function insertDeals(
  tx: Transaction<Schema>,
  deals: readonly Insertable<DealsTable>[],
  openedBy: string,
): Promise<Map<string, bigint>> {
  if (deals.length === 0) return new Map();
  await tx.insertInto('deals').values(deals).execute();
  const moves = await tx
    .insertInto('deal_stage_moves')
    .values(deals.map((d) => ({ deal_id: d.id, from_stage: null, to_stage: d.stage, moved_by: openedBy })))
    .returning(['id', 'deal_id'])
    .execute();
  return new Map(moves.map((m) => [m.deal_id, m.id]));
}

/** Locks one deal's row for the rest of the transaction (stage changes serialise on it); undefined if none. */
export function lockDealRow(tx: Transaction<Schema>, dealId: string) {
  return tx
    .selectFrom('deals')
    .select(['id', 'stage'])
    .where('id', '=', dealId)
    .forUpdate()
    .executeTakeFirst();
}

/** Moves a deal (locked by the caller) to `to` and records the move. */
export async function recordStageMove(
  tx: Transaction<Schema>,
  deal: { id: string; stage: Stage },
  to: Stage,
  movedBy: string,
): Promise<void> {
  await tx.updateTable('deals').set({ stage: to }).where('id', '=', deal.id).execute();
  await tx
    .insertInto('deal_stage_moves')
    .values({ deal_id: deal.id, from_stage: deal.stage, to_stage: to, moved_by: movedBy })
    .execute();
}

/** Deals with their company's name and area, filtered by stage, sub-area and instrument, by id. */
export function dealList(
  db: Kysely<Schema>,
  filter: {
    stage?: Stage | undefined;
    subAreaId?: string | undefined;
    instrument?: DealsTable['instrument'] | undefined;
  },
) {
  let query = db
    .selectFrom('deals')
    .innerJoin('companies', 'companies.id', 'deals.company_id')
    .innerJoin('sub_areas', 'sub_areas.id', 'deals.sub_area_id')
    .select([
      'deals.id',
      'deals.name',
      'companies.name as company',
      'deals.company_id',
      'deals.sub_area_id',
      'sub_areas.area_id',
      'deals.instrument',
      'deals.amount_cents',
      'deals.stage',
      'deals.classification',
      'deals.team',
      'deals.synthetic',
    ])
    .orderBy('deals.id');
  if (filter.stage) query = query.where('deals.stage', '=', filter.stage);
  if (filter.subAreaId) query = query.where('deals.sub_area_id', '=', filter.subAreaId);
  if (filter.instrument) query = query.where('deals.instrument', '=', filter.instrument);
  return query.execute();
}

/** Deals and their amounts by stage (numeric sums, as text). */
export const dealsByStage = (db: Kysely<Schema>) =>
  db
    .selectFrom('deals')
    .select((eb) => [
      'stage',
      eb.fn.countAll<bigint>().as('deals'),
      eb.fn.sum<string>('amount_cents').as('amount'),
    ])
    .groupBy('stage')
    .execute();
