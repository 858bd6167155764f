/**
 * The credit aggregate: a lending facility and its versioned terms. Terms are append-only (the database
 * refuses updates), so an amendment is a new version; a facility's row is locked while its next version
 * is numbered.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { CreditFacilityTermsTable, Schema } from './schema.ts';

/** One facility's row; undefined if none. */
export const facilityRow = (db: Kysely<Schema>, id: string) =>
  db.selectFrom('credit_facilities').selectAll().where('id', '=', id).executeTakeFirst();

/** Locks one facility while its next terms version is numbered; undefined if none. */
export const lockFacility = (tx: Transaction<Schema>, id: string) =>
  tx
    .selectFrom('credit_facilities')
    .select(['id', 'deal_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

export async function insertFacility(
  tx: Transaction<Schema>,
  facility: { id: string; dealId: string; createdBy: string },
): Promise<void> {
  await tx
    .insertInto('credit_facilities')
    .values({ id: facility.id, deal_id: facility.dealId, created_by: facility.createdBy })
    .execute();
}

export async function insertFacilityTerms(
  tx: Transaction<Schema>,
  terms: Insertable<CreditFacilityTermsTable>,
): Promise<void> {
  await tx.insertInto('credit_facility_terms').values(terms).execute();
}

/** The newest terms version of a facility (0 when it has none). */
export async function latestTermsVersion(tx: Transaction<Schema>, facilityId: string): Promise<number> {
  const latest = await tx
    .selectFrom('credit_facility_terms')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('facility_id', '=', facilityId)
    .executeTakeFirstOrThrow();
  return Number(latest.version ?? 0);
}

/** Every terms version of a facility, oldest first. */
export const facilityTermsVersions = (db: Kysely<Schema>, facilityId: string) =>
  db
    .selectFrom('credit_facility_terms')
    .selectAll()
    .where('facility_id', '=', facilityId)
    .orderBy('version')
    .execute();
