/**
 * The network aggregate: organisations, the relationships between them (and people), and the participations
 * of organisations in deals' capital stacks (locked while their status moves). Rows come back as the
 * domain's `Organisation` and `Participation` where those exist.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type {
  Organisation,
  Participation,
  ParticipationInput,
  ParticipationStatus,
  Relationship,
} from '../domain/network.ts';
import { commitmentEntries, netCommitted } from './commitments-repo.ts';
import type { OrganisationsTable, Schema } from './schema.ts';

type OrganisationRow = Pick<
  OrganisationsTable,
  'id' | 'name' | 'kind' | 'country' | 'controlled_from' | 'company_id' | 'source'
>;

const asOrganisation = (r: OrganisationRow): Organisation => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  country: r.country,
  ...(r.controlled_from ? { controlledFrom: r.controlled_from } : {}),
  ...(r.company_id ? { companyId: r.company_id } : {}),
  source: r.source,
});

// --- Organisations and relationships --------------------------------------------------------------------

/** Inserts organisations (ids and companies checked by the caller). */
export async function insertOrganisations(
  tx: Transaction<Schema>,
  organisations: readonly Organisation[],
  createdBy: string,
) {
  await tx
    .insertInto('organisations')
    .values(
      organisations.map((o) => ({
        id: o.id,
        name: o.name,
        kind: o.kind,
        country: o.country,
        controlled_from: o.controlledFrom ?? null,
        company_id: o.companyId ?? null,
        source: o.source,
        created_by: createdBy,
      })),
    )
    .execute();
}

/** Inserts relationships (organisations and deals checked by the caller). */
export async function insertRelationships(
  tx: Transaction<Schema>,
  relationships: readonly Relationship[],
  createdBy: string,
) {
  await tx
    .insertInto('relationships')
    .values(
      relationships.map((r) => ({
        kind: r.kind,
        from_organisation: r.fromOrganisation ?? null,
        from_person: r.fromPerson ?? null,
        to_organisation: r.toOrganisation,
        business_line: r.businessLine ?? null,
        percent: r.percent === undefined ? null : String(r.percent),
        deal_id: r.dealId ?? null,
        since: r.since ?? null,
        until: r.until ?? null,
        source: r.source,
        created_by: createdBy,
      })),
    )
    .execute();
}

export const organisationRows = (db: Kysely<Schema>) =>
  db.selectFrom('organisations').selectAll().orderBy('name').execute();

export async function organisation(db: Kysely<Schema>, id: string): Promise<Organisation | undefined> {
  const row = await db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  return row && asOrganisation(row);
}

/** Organisations that may take part in a deal: every kind but an operating company. */
export async function investorOrganisations(db: Kysely<Schema>): Promise<Organisation[]> {
  const rows = await db.selectFrom('organisations').selectAll().where('kind', '<>', 'company').execute();
  return rows.map(asOrganisation);
}

export const organisationNames = (db: Kysely<Schema>, ids: readonly string[]) =>
  db
    .selectFrom('organisations')
    .select(['id', 'name', 'kind'])
    .where('id', 'in', [...ids])
    .execute();

/** Relationships held by an organisation (not a person), with the company the target organisation is. */
export const organisationTies = (db: Kysely<Schema>) =>
  db
    .selectFrom('relationships as r')
    .leftJoin('organisations as target', 'target.id', 'r.to_organisation')
    .select(['r.kind', 'r.from_organisation', 'r.to_organisation', 'r.business_line', 'target.company_id'])
    .where('r.from_organisation', 'is not', null)
    .execute();

/** Every relationship from or to an organisation. */
export const relationshipsOf = (db: Kysely<Schema>, organisationId: string) =>
  db
    .selectFrom('relationships')
    .selectAll()
    .where((eb) =>
      eb.or([eb('from_organisation', '=', organisationId), eb('to_organisation', '=', organisationId)]),
    )
    .execute();

// --- Participations ------------------------------------------------------------------------------------

export async function insertParticipation(
  tx: Transaction<Schema>,
  input: ParticipationInput,
  createdBy: string,
): Promise<bigint> {
  const row = await tx
    .insertInto('deal_participations')
    .values({
      deal_id: input.dealId,
      organisation_id: input.organisationId,
      role: input.role,
      instrument: input.instrument,
      amount_cents: input.amount,
      arranged_by_bank: input.arrangedByBank,
      status: input.status,
      source: input.source,
      created_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The deal a participation belongs to (to lock the deal before the participation); undefined if none. */
export const participationDeal = (db: Kysely<Schema>, id: bigint) =>
  db.selectFrom('deal_participations').select('deal_id').where('id', '=', id).executeTakeFirst();

/** Locks a participation whose deal the caller has locked. */
export const lockParticipation = (tx: Transaction<Schema>, id: bigint) =>
  tx.selectFrom('deal_participations').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();

export async function setParticipationRow(
  tx: Transaction<Schema>,
  id: bigint,
  change: { status: ParticipationStatus; countedDealId: string | null },
) {
  await tx
    .updateTable('deal_participations')
    .set({ status: change.status, counted_deal_id: change.countedDealId })
    .where('id', '=', id)
    .execute();
}

/** A deal's participations, in the order they were added, with each organisation's name. */
export async function stackParticipations(db: Kysely<Schema>, dealId: string) {
  const rows = await db
    .selectFrom('deal_participations')
    .innerJoin('organisations', 'organisations.id', 'deal_participations.organisation_id')
    .select([
      'deal_participations.id',
      'organisation_id',
      'organisations.name',
      'role',
      'instrument',
      'amount_cents',
      'arranged_by_bank',
      'status',
    ])
    .where('deal_id', '=', dealId)
    .orderBy('deal_participations.id')
    .execute();
  const participations: Participation[] = rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    role: r.role,
    instrument: r.instrument,
    amount: r.amount_cents,
    arrangedByBank: r.arranged_by_bank,
    status: r.status,
  }));
  return { participations, names: Object.fromEntries(rows.map((r) => [r.organisation_id, r.name])) };
}

/** The bank's own net commitment to a deal, from the ledger, as a decimal string ('0' when none). */
export async function ownNetCommitted(db: Kysely<Schema>, dealId: string): Promise<string> {
  const row = await commitmentEntries(db)
    .select((eb) => eb.fn.coalesce(netCommitted(eb), sql<string>`0`).as('net'))
    .where('ledger_entries.deal_id', '=', dealId)
    .executeTakeFirstOrThrow();
  return row.net;
}

/** Committed participations in deals other than `dealId`, with each deal's sub-area and area. */
export const committedHistory = (db: Kysely<Schema>, exceptDealId: string) =>
  db
    .selectFrom('deal_participations as p')
    .innerJoin('deals as d', 'd.id', 'p.deal_id')
    .innerJoin('sub_areas as s', 's.id', 'd.sub_area_id')
    .select(['p.organisation_id', 'd.sub_area_id', 's.area_id', 'p.amount_cents'])
    .where('p.status', '=', 'committed')
    .where('p.deal_id', '<>', exceptDealId)
    .execute();

/** An organisation's participations, with each deal's name, company, instrument and sub-area. */
export const participationsOf = (db: Kysely<Schema>, organisationId: string) =>
  db
    .selectFrom('deal_participations as p')
    .innerJoin('deals as d', 'd.id', 'p.deal_id')
    .innerJoin('companies as c', 'c.id', 'd.company_id')
    .select([
      'p.id',
      'p.deal_id',
      'd.name as deal_name',
      'd.instrument as deal_instrument',
      'c.name as company',
      'p.role',
      'p.instrument',
      'p.amount_cents',
      'p.status',
      'd.sub_area_id',
    ])
    .where('p.organisation_id', '=', organisationId)
    .execute();

/** Who else stood in these deals besides `organisationId`. */
export const coParticipants = (db: Kysely<Schema>, dealIds: readonly string[], organisationId: string) =>
  dealIds.length
    ? db
        .selectFrom('deal_participations')
        .select(['deal_id', 'organisation_id', 'role'])
        .where('deal_id', 'in', [...dealIds])
        .where('organisation_id', '<>', organisationId)
        .execute()
    : Promise.resolve([]);

/** Committed participations per sub-area, organisation, instrument and arrangement: distinct deals and sum. */
export const committedActivity = (db: Kysely<Schema>) =>
  db
    .selectFrom('deal_participations as p')
    .innerJoin('deals as d', 'd.id', 'p.deal_id')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select((eb) => [
      'd.sub_area_id',
      'p.organisation_id',
      'o.name',
      'p.instrument',
      'p.arranged_by_bank',
      eb.fn.count<bigint>('p.deal_id').distinct().as('deals'),
      eb.fn.sum<string>('p.amount_cents').as('amount'),
    ])
    .where('p.status', '=', 'committed')
    .groupBy(['d.sub_area_id', 'p.organisation_id', 'o.name', 'p.instrument', 'p.arranged_by_bank'])
    .execute();
