/**
 * The deals aggregate: a deal row and its stage history move together (every deal opens with a first stage
 * move, every stage change records one), so stage histories and month-end pipelines see every deal.
 */
import { type Insertable, type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { Instrument } from '../domain/instruments.ts';
import { OPEN_STAGES, type Stage } from '../domain/stages.ts';
import { dealNetCommitted } from './commitments-repo.ts';
import type { DealAmendmentsTable, DealsTable, Schema } from './schema.ts';
import { anyOf, settleAll } from './sql-helpers.ts';

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
    .select(['id', 'stage', 'amount_cents'])
    .where('id', '=', dealId)
    .forUpdate()
    .executeTakeFirst();
}

/** Locks one deal's whole row for an edit; undefined if none. */
export const lockDealForEdit = (tx: Transaction<Schema>, dealId: string) =>
  tx.selectFrom('deals').selectAll().where('id', '=', dealId).forUpdate().executeTakeFirst();

/** Writes an edit of a deal (locked by the caller) and its amendment rows, one per changed field. */
export async function amendDealRow(
  tx: Transaction<Schema>,
  dealId: string,
  set: Updateable<DealsTable>,
  amendments: readonly Insertable<DealAmendmentsTable>[],
): Promise<void> {
  await tx.updateTable('deals').set(set).where('id', '=', dealId).execute();
  if (amendments.length) await tx.insertInto('deal_amendments').values(amendments).execute();
}

/** A deal's amendment history, oldest first. */
export const dealAmendments = (db: Kysely<Schema>, dealId: string) =>
  db.selectFrom('deal_amendments').selectAll().where('deal_id', '=', dealId).orderBy('id').execute();

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

/** Every deal's stage, sub-area and amount (the figures public aggregates are built from). */
export const dealFigures = (db: Kysely<Schema>) =>
  db.selectFrom('deals').select(['id', 'stage', 'sub_area_id', 'amount_cents']).execute();

/** Every deal's row, by id. */
export const allDeals = (db: Kysely<Schema>) => db.selectFrom('deals').selectAll().orderBy('id').execute();

/**
 * Deals with what places them on the map: their net commitment, their company's head office and the
 * counties of its facilities (in the order they were added; null when none has a county).
 */
export const dealPlacements = (
  db: Kysely<Schema>,
  filter: {
    areaId?: string | undefined;
    subAreaId?: string | undefined;
    instrument?: Instrument | undefined;
  },
) => {
  let query = db
    .selectFrom('deals')
    .innerJoin('companies', 'companies.id', 'deals.company_id')
    .innerJoin('sub_areas', 'sub_areas.id', 'deals.sub_area_id')
    .select((eb) => [
      'deals.id',
      'deals.stage',
      'deals.amount_cents',
      'companies.hq_county_fips',
      'companies.hq_state_fips',
      dealNetCommitted(eb).as('net'),
      eb
        .selectFrom('facilities')
        .whereRef('facilities.company_id', '=', 'deals.company_id')
        .where('facilities.county_fips', 'is not', null)
        // Kysely's array_agg has no ORDER BY: the aggregate is a typed SQL expression.
        .select(sql<string[]>`array_agg(facilities.county_fips ORDER BY facilities.id)`.as('counties'))
        .as('counties'),
    ]);
  if (filter.areaId !== undefined) query = query.where('sub_areas.area_id', '=', filter.areaId);
  if (filter.subAreaId !== undefined) query = query.where('deals.sub_area_id', '=', filter.subAreaId);
  if (filter.instrument !== undefined) query = query.where('deals.instrument', '=', filter.instrument);
  return query.execute();
};

/** Open deals with what the optimiser weighs them by: place, instrument, amount, scores; by id. */
export const openDealCandidates = (db: Kysely<Schema>) =>
  db
    .selectFrom('deals')
    .innerJoin('sub_areas', 'sub_areas.id', 'deals.sub_area_id')
    .innerJoin('companies', 'companies.id', 'deals.company_id')
    .select([
      'deals.id',
      'deals.company_id',
      'deals.sub_area_id',
      'sub_areas.area_id',
      'companies.hq_state_fips',
      'deals.instrument',
      'deals.amount_cents',
      'deals.resilience_score',
      'deals.expected_return',
    ])
    .where('deals.stage', 'in', OPEN_STAGES)
    .orderBy('deals.id')
    .execute();

/** One deal's row; undefined if none. */
export const dealRow = (db: Kysely<Schema>, id: string) =>
  db.selectFrom('deals').selectAll().where('id', '=', id).executeTakeFirst();

/** One deal's stage moves, oldest first. */
export const dealStageMoves = (db: Kysely<Schema>, dealId: string) =>
  db.selectFrom('deal_stage_moves').selectAll().where('deal_id', '=', dealId).orderBy('id').execute();

/** One deal's company, sub-area and area; undefined if none. */
export const dealPlace = (db: Kysely<Schema>, id: string) =>
  db
    .selectFrom('deals')
    .innerJoin('sub_areas', 'sub_areas.id', 'deals.sub_area_id')
    .select(['deals.id', 'deals.company_id', 'deals.sub_area_id', 'sub_areas.area_id'])
    .where('deals.id', '=', id)
    .executeTakeFirst();

/**
 * Deals opened on or before `end` (YYYY-MM-DD) with the stage each stood at that day: its last move dated on
 * or before it. The opening move dates from the deal's opened_on (imports open deals after the fact).
 */
function pipelineAt(db: Kysely<Schema>, end: string) {
  const endDay = sql<string>`${end}::date`;
  return db
    .selectFrom('deals as d')
    .innerJoin('sub_areas as s', 's.id', 'd.sub_area_id')
    .innerJoin('areas as a', 'a.id', 's.area_id')
    .innerJoin('companies as c', 'c.id', 'd.company_id')
    .select((eb) => [
      'd.id',
      'd.amount_cents',
      'a.name as area_name',
      'c.hq_state_fips as state',
      eb
        .selectFrom('deal_stage_moves as m')
        .select('m.to_stage')
        .whereRef('m.deal_id', '=', 'd.id')
        .where((m) =>
          m(
            m
              .case()
              .when('m.from_stage', 'is', null)
              .then(m.ref('d.opened_on'))
              .else(m.cast<string>('m.moved_at', 'date'))
              .end(),
            '<=',
            endDay,
          ),
        )
        .orderBy('m.id', 'desc')
        .limit(1)
        .as('stage'),
    ])
    .where('d.opened_on', '<=', endDay);
}

/** The pipeline at month end: deals and amounts by stage, and the open part by area and by HQ state. */
export async function monthEndPipeline(db: Kysely<Schema>, end: string) {
  const atEnd = pipelineAt(db, end).as('p');
  const open = db
    .selectFrom(atEnd)
    .where('p.stage', '=', anyOf(OPEN_STAGES))
    .select((eb) => [eb.fn.countAll<bigint>().as('deals'), eb.fn.sum<string>('p.amount_cents').as('amount')]);
  const [byStage, byArea, byState] = await settleAll([
    db
      .selectFrom(atEnd)
      .select((eb) => [
        'p.stage',
        eb.fn.countAll<bigint>().as('deals'),
        eb.fn.sum<string>('p.amount_cents').as('amount'),
      ])
      .where('p.stage', 'is not', null)
      .groupBy('p.stage')
      .orderBy('p.stage')
      .$narrowType<{ stage: Stage }>()
      .execute(),
    open.select('p.area_name').groupBy('p.area_name').orderBy('amount', 'desc').execute(),
    open.select('p.state').groupBy('p.state').orderBy('amount', 'desc').execute(),
  ]);
  return { byStage, byArea, byState };
}

/** Deals opened between `start` and `end` (YYYY-MM-DD, both included) and the amount they request. */
export const intakeBetween = (db: Kysely<Schema>, start: string, end: string) =>
  db
    .selectFrom('deals')
    .select((eb) => [
      eb.fn.countAll<bigint>().as('deals'),
      eb.fn.sum<string | null>('amount_cents').as('amount'),
    ])
    .where('opened_on', '>=', sql<string>`${start}::date`)
    .where('opened_on', '<=', sql<string>`${end}::date`)
    .executeTakeFirstOrThrow();

/** Deals opened per calendar month (YYYY-MM) over the six months up to `end`. */
export function monthlyIntake(db: Kysely<Schema>, end: string) {
  // Kysely has no builder for to_char/date_trunc: the month is a typed SQL expression.
  const month = sql<string>`to_char(date_trunc('month', opened_on), 'YYYY-MM')`;
  return db
    .selectFrom('deals')
    .select((eb) => [month.as('month'), eb.fn.countAll<bigint>().as('deals')])
    .where('opened_on', '>', sql<string>`${end}::date - interval '6 months'`)
    .where('opened_on', '<=', sql<string>`${end}::date`)
    .groupBy(month)
    .orderBy(month)
    .execute();
}

/** The ids of a company's deals. */
export const dealIdsOfCompany = async (db: Kysely<Schema>, companyId: string) =>
  (await db.selectFrom('deals').select('id').where('company_id', '=', companyId).orderBy('id').execute()).map(
    (row) => row.id,
  );

/** What people call the deals `ids` names: the deal's name, or its company's for a deal without one. */
export const dealNames = (db: Kysely<Schema>, ids: readonly string[]) =>
  ids.length
    ? db
        .selectFrom('deals as d')
        .innerJoin('companies as c', 'c.id', 'd.company_id')
        .select(['d.id', sql<string>`coalesce(d.name, c.name)`.as('name')])
        .where('d.id', '=', anyOf(ids))
        .execute()
    : Promise.resolve([]);
