/**
 * The governance aggregates: council meetings and their recommendations, permits and their stage events
 * (a permit is written with its first event; the deal is locked by the caller), coverage staff and the hiring
 * plan, and the capacity the portfolio's deals add.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { PermitRecord } from '../domain/permitting.ts';
import { OPEN_STAGES } from '../domain/stages.ts';
import type { PermitEventsTable, PermitsTable, Schema } from './schema.ts';
import { anyOf, settleAll } from './sql-helpers.ts';

// --- Council -------------------------------------------------------------------------------------------

export async function insertCouncilMeeting(
  tx: Transaction<Schema>,
  meeting: { heldOn: string; title: string; agenda: unknown; createdBy: string },
): Promise<bigint> {
  const row = await tx
    .insertInto('council_meetings')
    .values({
      held_on: meeting.heldOn,
      title: meeting.title,
      agenda: JSON.stringify(meeting.agenda),
      created_by: meeting.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function councilMeetingExists(db: Kysely<Schema>, id: bigint): Promise<boolean> {
  const row = await db.selectFrom('council_meetings').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export async function insertRecommendation(
  tx: Transaction<Schema>,
  recommendation: { meetingId: bigint; text: string; owner: string; dueOn: string | null; updatedBy: string },
): Promise<bigint> {
  const row = await tx
    .insertInto('council_recommendations')
    .values({
      meeting_id: recommendation.meetingId,
      text: recommendation.text,
      owner: recommendation.owner,
      status: 'open',
      due_on: recommendation.dueOn,
      updated_by: recommendation.updatedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Sets a recommendation's status; false if there is no such recommendation. */
export async function updateRecommendationStatus(
  tx: Transaction<Schema>,
  id: bigint,
  status: string,
  updatedBy: string,
): Promise<boolean> {
  const updated = await tx
    .updateTable('council_recommendations')
    .set({ status, updated_by: updatedBy, updated_at: sql`now()` })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}

/** Meetings newest first, and every recommendation by id. */
export const councilMeetingRows = (db: Kysely<Schema>) =>
  settleAll([
    db.selectFrom('council_meetings').selectAll().orderBy('held_on', 'desc').execute(),
    db.selectFrom('council_recommendations').selectAll().orderBy('id').execute(),
  ]);

// --- Permits -------------------------------------------------------------------------------------------

/** A permit with its first stage event; its id. */
export async function insertPermit(
  tx: Transaction<Schema>,
  permit: {
    dealId: string;
    kind: PermitsTable['kind'];
    agency: string;
    jurisdiction: string;
    note: string | null;
    stage: PermitEventsTable['stage'];
    on: string;
    by: string;
  },
): Promise<bigint> {
  const row = await tx
    .insertInto('permits')
    .values({
      deal_id: permit.dealId,
      kind: permit.kind,
      agency: permit.agency,
      jurisdiction: permit.jurisdiction,
      note: permit.note,
      created_by: permit.by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertPermitEvent(tx, { permitId: row.id, stage: permit.stage, on: permit.on, by: permit.by });
  return row.id;
}

export const permitDeal = (db: Kysely<Schema>, id: bigint) =>
  db.selectFrom('permits').select(['id', 'deal_id']).where('id', '=', id).executeTakeFirst();

/** A permit's stage events in the order they were recorded. */
export async function permitEvents(db: Kysely<Schema>, permitId: bigint) {
  const events = await db
    .selectFrom('permit_events')
    .select(['stage', 'on_date'])
    .where('permit_id', '=', permitId)
    .orderBy('id')
    .execute();
  return events.map((e) => ({ stage: e.stage, on: String(e.on_date) }));
}

export async function insertPermitEvent(
  tx: Transaction<Schema>,
  event: { permitId: bigint; stage: PermitEventsTable['stage']; on: string; by: string },
) {
  await tx
    .insertInto('permit_events')
    .values({ permit_id: event.permitId, stage: event.stage, on_date: event.on, recorded_by: event.by })
    .execute();
}

/** Every permit (of one deal, or all) with its deal's amount and its events in order. */
export async function permitRecords(db: Kysely<Schema>, dealId?: string) {
  let q = db
    .selectFrom('permits as p')
    .innerJoin('deals as d', 'd.id', 'p.deal_id')
    .innerJoin('permit_events as e', 'e.permit_id', 'p.id')
    .select([
      'p.id',
      'p.deal_id',
      'p.kind',
      'p.agency',
      'p.jurisdiction',
      'd.amount_cents',
      'e.stage',
      'e.on_date',
    ])
    .orderBy('p.id')
    .orderBy('e.id');
  if (dealId) q = q.where('p.deal_id', '=', dealId);
  const rows = await q.execute();
  const byId = new Map<bigint, PermitRecord & { id: bigint; jurisdiction: string }>();
  for (const r of rows) {
    const record = byId.get(r.id) ?? {
      id: r.id,
      dealId: r.deal_id,
      kind: r.kind,
      agency: r.agency,
      jurisdiction: r.jurisdiction,
      dealAmount: r.amount_cents,
      events: [],
    };
    record.events.push({ stage: r.stage, on: String(r.on_date) });
    byId.set(r.id, record);
  }
  return [...byId.values()];
}

// --- Coverage ------------------------------------------------------------------------------------------

/** Adds a staff member; false if one of that id is already recorded. */
export async function insertStaff(
  tx: Transaction<Schema>,
  staff: {
    id: string;
    name: string;
    kind: string;
    subAreas: string[];
    companies: string[];
    joinedOn: string;
  },
): Promise<boolean> {
  const added = await tx
    .insertInto('staff')
    .values({
      id: staff.id,
      name: staff.name,
      kind: staff.kind,
      sub_areas: JSON.stringify(staff.subAreas),
      companies: JSON.stringify(staff.companies),
      joined_on: staff.joinedOn,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return added !== undefined;
}

export async function upsertHiringPlan(
  tx: Transaction<Schema>,
  rows: readonly { subAreaId: string; year: number; headcount: number }[],
) {
  for (const r of rows) {
    await tx
      .insertInto('hiring_plan')
      .values({ sub_area_id: r.subAreaId, year: r.year, headcount: r.headcount })
      .onConflict((oc) => oc.columns(['sub_area_id', 'year']).doUpdateSet({ headcount: r.headcount }))
      .execute();
  }
}

export const currentStaff = (db: Kysely<Schema>) =>
  db.selectFrom('staff').selectAll().where('left_on', 'is', null).execute();

export const hiringPlanOf = (db: Kysely<Schema>, year: number) =>
  db.selectFrom('hiring_plan').selectAll().where('year', '=', year).execute();

/** Open deals and their amount per sub-area. */
export async function openPipelineBySubArea(db: Kysely<Schema>) {
  const rows = await db
    .selectFrom('deals')
    .select((eb) => [
      'sub_area_id',
      eb.fn.countAll<bigint>().as('deals'),
      eb.fn.sum<string>('amount_cents').as('amount'),
    ])
    .where('stage', '=', anyOf(OPEN_STAGES))
    .groupBy('sub_area_id')
    .execute();
  return new Map(rows.map((r) => [r.sub_area_id, { deals: Number(r.deals), amount: BigInt(r.amount) }]));
}

// --- Reshoring -----------------------------------------------------------------------------------------

export async function insertCapacityAddition(
  tx: Transaction<Schema>,
  addition: {
    dealId: string;
    materialId: string;
    capacity: number;
    unit: string;
    onlineYear: number;
    source: string;
    createdBy: string;
  },
): Promise<bigint> {
  const row = await tx
    .insertInto('capacity_additions')
    .values({
      deal_id: addition.dealId,
      material_id: addition.materialId,
      capacity: String(addition.capacity),
      unit: addition.unit,
      online_year: addition.onlineYear,
      source: addition.source,
      created_by: addition.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const capacityAdditions = (db: Kysely<Schema>) =>
  db.selectFrom('capacity_additions').selectAll().execute();
