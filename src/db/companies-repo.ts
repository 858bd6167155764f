/** The companies aggregate: a company and the facilities it was added with are written and read together. */
import type { Kysely, Transaction } from 'kysely';
import type { CompanyInput } from '../domain/company.ts';
import type { Schema } from './schema.ts';
import { anyOf } from './sql-helpers.ts';

/** Inserts companies and their facilities (ids checked new by the caller). */
export async function insertCompanies(tx: Transaction<Schema>, companies: readonly CompanyInput[]) {
  if (companies.length === 0) return;
  await tx
    .insertInto('companies')
    .values(
      companies.map((c) => ({
        id: c.id,
        name: c.name,
        us_based: c.usBased,
        hq_city: c.hqCity ?? null,
        hq_state_fips: c.hqStateFips ?? null,
        hq_county_fips: c.hqCountyFips ?? null,
        ticker: c.ticker ?? null,
        existing_client: c.existingClient,
        ownership_note: c.ownershipNote ?? null,
        foreign_control: c.foreignControl,
        foreign_control_note: c.foreignControlNote ?? null,
        source: c.source,
        synthetic: c.synthetic,
      })),
    )
    .execute();
  const facilities = companies.flatMap((c) =>
    c.facilities.map((f) => ({
      company_id: c.id,
      name: f.name,
      kind: f.kind,
      city: f.city ?? null,
      state_fips: f.stateFips,
      county_fips: f.countyFips ?? null,
      jobs: f.jobs ?? null,
      source: f.source,
    })),
  );
  if (facilities.length) await tx.insertInto('facilities').values(facilities).execute();
}

/** A company's columns as reads answer them: not the sort key the database keeps beside its name. */
const COMPANY_COLUMNS = [
  'id',
  'name',
  'us_based',
  'hq_city',
  'hq_state_fips',
  'hq_county_fips',
  'ticker',
  'existing_client',
  'ownership_note',
  'foreign_control',
  'foreign_control_note',
  'source',
  'synthetic',
  'created_at',
] as const satisfies ReadonlyArray<Exclude<keyof Schema['companies'], 'name_sort'>>;

/** Every company, by name as people read it ("co-9" before "co-10"). */
export const companyRows = (db: Kysely<Schema>) =>
  db.selectFrom('companies').select(COMPANY_COLUMNS).orderBy('name_sort').orderBy('id').execute();

/** One company's row; undefined if none. */
export const companyRow = (db: Kysely<Schema>, id: string) =>
  db.selectFrom('companies').select(COMPANY_COLUMNS).where('id', '=', id).executeTakeFirst();

/** A company's facilities, in the order they were added. */
export const companyFacilities = (db: Kysely<Schema>, companyId: string) =>
  db.selectFrom('facilities').selectAll().where('company_id', '=', companyId).orderBy('id').execute();

/** A company's deals, as a company page lists them. */
export const companyDeals = (db: Kysely<Schema>, companyId: string) =>
  db
    .selectFrom('deals')
    .select(['id', 'name', 'sub_area_id', 'instrument', 'amount_cents', 'stage'])
    .where('company_id', '=', companyId)
    .orderBy('id')
    .execute();

/** Every facility with its company's name (for the map). */
export const facilityList = (db: Kysely<Schema>) =>
  db
    .selectFrom('facilities')
    .innerJoin('companies', 'companies.id', 'facilities.company_id')
    .select([
      'facilities.name',
      'facilities.kind',
      'facilities.state_fips',
      'facilities.county_fips',
      'facilities.jobs',
      'companies.name as company',
    ])
    .execute();

/** The names of the companies `ids` names (one query however many). */
export const companyNames = (db: Kysely<Schema>, ids: readonly string[]) =>
  ids.length
    ? db.selectFrom('companies').select(['id', 'name']).where('id', '=', anyOf(ids)).execute()
    : Promise.resolve([]);
