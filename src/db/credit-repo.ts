/**
 * The credit aggregate: a lending facility and its versioned terms. Terms are append-only (the database
 * refuses updates), so an amendment is a new version; a facility's row is locked while its next version
 * is numbered.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import { parseCanonicalJson } from '../domain/canonical-json.ts';
import type { FacilityTerms } from '../domain/credit/facility-terms.ts';
import type {
  CreditBorrowerFinancialsTable,
  CreditCovenantsTable,
  CreditFacilityTermsTable,
  CreditWatchlistActionsTable,
  Schema,
} from './schema.ts';

/** One facility's row; undefined if none. */
/**
 * A stored terms document as the domain reads it. The jsonb column may reach us parsed or as text depending on
 * the driver's path; either way it is read back through the canonical parser it was written with.
 */
export function storedTerms(terms: unknown): FacilityTerms {
  const stored = parseCanonicalJson<FacilityTerms>(typeof terms === 'string' ? terms : JSON.stringify(terms));
  // Terms stored before holiday calendars existed move their dates off the Federal Reserve's holidays, as the
  // terms schema's default does for new ones.
  return { ...stored, holidayCalendar: stored.holidayCalendar ?? 'us_federal_reserve' };
}

export const facilityRow = (db: Kysely<Schema>, id: string) =>
  db.selectFrom('credit_facilities').selectAll().where('id', '=', id).executeTakeFirst();

/** The facility of a deal, if it has one (a deal has at most one: its ledger is the facility's). */
export const facilityOfDeal = (tx: Transaction<Schema>, dealId: string) =>
  tx.selectFrom('credit_facilities').select(['id']).where('deal_id', '=', dealId).executeTakeFirst();

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

/** Appends one grade assignment to an obligor's history. */
export const insertObligorGrade = (
  tx: Transaction<Schema>,
  row: { companyId: string; grade: number; reason: string; assignedBy: string },
) =>
  tx
    .insertInto('credit_obligor_grades')
    .values({ company_id: row.companyId, grade: row.grade, reason: row.reason, assigned_by: row.assignedBy })
    .returning(['id', 'assigned_at'])
    .executeTakeFirstOrThrow();

/** An obligor's grade history, newest first. */
export const obligorGradeHistory = (db: Kysely<Schema>, companyId: string) =>
  db
    .selectFrom('credit_obligor_grades')
    .select(['id', 'grade', 'reason', 'assigned_by', 'assigned_at'])
    .where('company_id', '=', companyId)
    .orderBy('id', 'desc')
    .execute();

/** The current (newest) grade of every graded obligor. */
export async function currentGrades(db: Kysely<Schema>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('credit_obligor_grades')
    .distinctOn('company_id')
    .select(['company_id', 'grade'])
    .orderBy('company_id')
    .orderBy('id', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.company_id, r.grade]));
}

/**
 * Facilities with their deal, obligor, sub-area and latest terms: one row each, in id order (optionally one
 * facility only).
 */
export function bookFacilities(db: Kysely<Schema>, facilityId?: string) {
  let query = db
    .selectFrom('credit_facilities as f')
    .innerJoin('deals as d', 'd.id', 'f.deal_id')
    .innerJoin('companies as c', 'c.id', 'd.company_id')
    .innerJoin('sub_areas as s', 's.id', 'd.sub_area_id')
    .innerJoin('credit_facility_terms as t', (join) =>
      join.onRef('t.facility_id', '=', 'f.id').on((eb) =>
        eb(
          't.version',
          '=',
          eb
            .selectFrom('credit_facility_terms as latest')
            .select((e) => e.fn.max('latest.version').as('v'))
            .whereRef('latest.facility_id', '=', 'f.id'),
        ),
      ),
    )
    .select([
      'f.id',
      'f.deal_id',
      'd.name as deal_name',
      'd.instrument',
      'd.company_id',
      'c.name as company_name',
      'c.hq_state_fips',
      'd.sub_area_id',
      's.name as sub_area_name',
      't.terms',
      't.version',
    ])
    .orderBy('f.id');
  if (facilityId !== undefined) query = query.where('f.id', '=', facilityId);
  return query.execute();
}

/** Facilities in id order with their deal and obligor names (the list). */
export const creditFacilityList = (db: Kysely<Schema>) =>
  db
    .selectFrom('credit_facilities as f')
    .innerJoin('deals as d', 'd.id', 'f.deal_id')
    .innerJoin('companies as c', 'c.id', 'd.company_id')
    .select([
      'f.id',
      'f.deal_id',
      'd.name as deal_name',
      'd.company_id',
      'c.name as company_name',
      'f.created_at',
    ])
    .orderBy('f.id')
    .execute();

/** Adds a covenant to a facility. */
export const insertCovenant = (tx: Transaction<Schema>, row: Insertable<CreditCovenantsTable>) =>
  tx.insertInto('credit_covenants').values(row).returning(['id']).executeTakeFirstOrThrow();

/**
 * Covenants with their facility, deal and obligor (names for the tables), in id order; one facility's when
 * `facilityId` is given.
 */
export function covenantRows(db: Kysely<Schema>, facilityId?: string) {
  let query = db
    .selectFrom('credit_covenants as v')
    .innerJoin('credit_facilities as f', 'f.id', 'v.facility_id')
    .innerJoin('deals as d', 'd.id', 'f.deal_id')
    .innerJoin('companies as c', 'c.id', 'd.company_id')
    .select([
      'v.id',
      'v.facility_id',
      'v.kind',
      'v.threshold',
      'v.first_test_on',
      'v.every_months',
      'v.created_by',
      'f.deal_id',
      'd.name as deal_name',
      'd.company_id',
      'c.name as company_name',
    ])
    .orderBy('v.id');
  if (facilityId !== undefined) query = query.where('v.facility_id', '=', facilityId);
  return query.execute();
}

/** Appends a period's financials per company; a period already entered makes the whole batch fail. */
export async function insertFinancials(
  tx: Transaction<Schema>,
  rows: Array<Insertable<CreditBorrowerFinancialsTable>>,
): Promise<void> {
  await tx.insertInto('credit_borrower_financials').values(rows).execute();
}

/** The periods already entered among (company, period end) pairs. */
export const existingFinancials = (tx: Transaction<Schema>, companyIds: string[]) =>
  companyIds.length === 0
    ? Promise.resolve([])
    : tx
        .selectFrom('credit_borrower_financials')
        .select(['company_id', 'period_end'])
        .where('company_id', 'in', companyIds)
        .execute();

/** Financials of the given companies, the latest version (correction) of each period, by period end. */
export const financialsOf = (db: Kysely<Schema>, companyIds: string[]) =>
  companyIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('credit_borrower_financials')
        .selectAll()
        .distinctOn(['company_id', 'period_end'])
        .where('company_id', 'in', companyIds)
        .orderBy('company_id')
        .orderBy('period_end')
        .orderBy('version', 'desc')
        .execute();

/** The latest version of one company's period, locked while a correction is numbered; undefined if none. */
export const latestFinancials = (tx: Transaction<Schema>, companyId: string, periodEnd: string) =>
  tx
    .selectFrom('credit_borrower_financials')
    .select(['version', 'recorded_by', 'recorded_at'])
    .where('company_id', '=', companyId)
    .where('period_end', '=', periodEnd)
    .orderBy('version', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();

/** Locks a covenant while an action on one of its tests is recorded; undefined if none. */
export const lockCovenant = (tx: Transaction<Schema>, id: bigint) =>
  tx
    .selectFrom('credit_covenants as v')
    .innerJoin('credit_facilities as f', 'f.id', 'v.facility_id')
    .innerJoin('deals as d', 'd.id', 'f.deal_id')
    .select([
      'v.id',
      'v.facility_id',
      'v.kind',
      'v.threshold',
      'v.first_test_on',
      'v.every_months',
      'f.deal_id',
      'd.company_id',
    ])
    .where('v.id', '=', id)
    .forUpdate('v')
    .executeTakeFirst();

export const insertWatchlistAction = (
  tx: Transaction<Schema>,
  row: Insertable<CreditWatchlistActionsTable>,
) => tx.insertInto('credit_watchlist_actions').values(row).returning(['id']).executeTakeFirstOrThrow();

/** The committee's actions on covenant breaches (of one covenant set when ids are given). */
export const watchlistActions = (db: Kysely<Schema>, covenantIds: bigint[]) =>
  covenantIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('credit_watchlist_actions')
        .selectAll()
        .where('covenant_id', 'in', covenantIds)
        .orderBy('id')
        .execute();
