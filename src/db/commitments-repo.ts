/**
 * Net commitments (commitments less cancellations) read from the ledger and from the totals kept beside it.
 * `netCommitted` is the one definition of the figure; the queries here compose it with the grouping each
 * reader needs. Migration 0004 seeded the kept totals with the same expression once; it stays as applied.
 */
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import type { Instrument } from '../domain/instruments.ts';
import { ZERO } from '../domain/money.ts';
import type { Stage } from '../domain/stages.ts';
import type { Schema } from './schema.ts';

type Entries = ExpressionBuilder<Schema, 'ledger_entries'>;

/**
 * Commitments less cancellations over the rows `commitmentEntries` keeps. numeric (a sum of int8 cannot
 * overflow), so it arrives as a decimal string.
 */
export const netCommitted = (eb: Entries) =>
  eb.fn.sum<string>(
    eb
      .case()
      .when('ledger_entries.kind', '=', 'commitment')
      .then(eb.ref('ledger_entries.amount_cents'))
      .else(eb.neg('ledger_entries.amount_cents'))
      .end(),
  );

/** The ledger's commitments and cancellations with their deals, effective up to a date (without one: all). */
export function commitmentEntries(db: Kysely<Schema>, asOf?: string) {
  const entries = db
    .selectFrom('ledger_entries')
    .innerJoin('deals', 'deals.id', 'ledger_entries.deal_id')
    .where('ledger_entries.kind', 'in', ['commitment', 'cancellation']);
  return asOf === undefined ? entries : entries.where('ledger_entries.effective_on', '<=', asOf);
}

/** Net commitments per instrument, sub-area and company (what caps are scoped by), up to a date. */
export const commitmentsByCapScope = (db: Kysely<Schema>, asOf?: string) =>
  commitmentEntries(db, asOf)
    .select((eb) => ['deals.instrument', 'deals.sub_area_id', 'deals.company_id', netCommitted(eb).as('net')])
    .groupBy(['deals.instrument', 'deals.sub_area_id', 'deals.company_id']);

/**
 * Net commitments by instrument, classification, sub-area and year, read from the totals the ledger keeps
 * in step with every write (exported for the API benchmark). `net` is int8 here.
 */
export const keptCommitmentAggregate = (db: Kysely<Schema>) =>
  db
    .selectFrom('commitment_totals as t')
    .innerJoin('sub_areas as s', 's.id', 't.sub_area_id')
    .select([
      't.instrument',
      't.classification',
      't.sub_area_id',
      's.area_id',
      't.year',
      't.net_cents as net',
    ])
    .where('t.net_cents', '<>', ZERO);

const effectiveYear = sql<number>`extract(year FROM ledger_entries.effective_on)::int`;

/**
 * The same figures aggregated from the ledger itself: the source of truth the kept totals must always
 * equal. `net` is numeric text here.
 */
export const ledgerCommitmentAggregate = (db: Kysely<Schema>, asOf?: string) =>
  commitmentEntries(db, asOf)
    .innerJoin('sub_areas', 'sub_areas.id', 'deals.sub_area_id')
    .select((eb) => [
      'deals.instrument',
      'deals.classification',
      'deals.sub_area_id',
      'sub_areas.area_id',
      effectiveYear.as('year'),
      netCommitted(eb).as('net'),
    ])
    .groupBy([
      'deals.instrument',
      'deals.classification',
      'deals.sub_area_id',
      'sub_areas.area_id',
      effectiveYear,
    ])
    .having((eb) => netCommitted(eb), '<>', '0');

/** Net commitments per deal and year (the kept totals have no deal in them), for the public aggregates. */
export const dealCommitmentsByYear = (db: Kysely<Schema>, asOf?: string) =>
  commitmentEntries(db, asOf)
    .innerJoin('sub_areas', 'sub_areas.id', 'deals.sub_area_id')
    .select((eb) => [
      'deals.id as deal_id',
      'deals.instrument',
      'deals.classification',
      'deals.sub_area_id',
      'sub_areas.area_id',
      effectiveYear.as('year'),
      netCommitted(eb).as('net'),
    ])
    .groupBy([
      'deals.id',
      'deals.instrument',
      'deals.classification',
      'deals.sub_area_id',
      'sub_areas.area_id',
      effectiveYear,
    ])
    .having((eb) => netCommitted(eb), '<>', '0')
    .execute();

/** Deals the ledger holds a positive net commitment in, with their company and sub-area. */
export const heldDeals = (db: Kysely<Schema>) =>
  commitmentEntries(db)
    .select((eb) => [
      'deals.id as deal_id',
      'deals.company_id',
      'deals.sub_area_id',
      netCommitted(eb).as('net'),
    ])
    .groupBy(['deals.id', 'deals.company_id', 'deals.sub_area_id'])
    .having((eb) => netCommitted(eb), '>', '0')
    .orderBy('deals.id')
    .execute();

/** One deal's net commitment as a correlated sub-query (null when the ledger has none for it). */
export const dealNetCommitted = (eb: ExpressionBuilder<Schema, 'deals'>) =>
  eb
    .selectFrom('ledger_entries')
    .whereRef('ledger_entries.deal_id', '=', 'deals.id')
    .where('ledger_entries.kind', 'in', ['commitment', 'cancellation'])
    .select((e) => netCommitted(e).as('net'));

/** One deal's net commitment per year of the entries' effective dates (an amendment moves them whole). */
export const dealNetByYear = (db: Kysely<Schema>, dealId: string) =>
  commitmentEntries(db)
    .where('deals.id', '=', dealId)
    .select((eb) => [effectiveYear.as('year'), netCommitted(eb).as('net')])
    .groupBy(effectiveYear)
    .orderBy(effectiveYear)
    .execute();

/** Recomputes the kept totals from the ledger, the table locked against the ledger's writers meanwhile. */
export async function replaceCommitmentTotals(tx: Transaction<Schema>) {
  await sql`LOCK TABLE commitment_totals IN EXCLUSIVE MODE`.execute(tx);
  await tx.deleteFrom('commitment_totals').execute();
  await tx
    .insertInto('commitment_totals')
    .columns(['instrument', 'classification', 'sub_area_id', 'year', 'net_cents'])
    .expression(
      tx
        .selectFrom(ledgerCommitmentAggregate(tx).as('ledger'))
        .select(['instrument', 'classification', 'sub_area_id', 'year', sql<string>`net::bigint`.as('net')]),
    )
    .execute();
}

/** A change to the kept net commitments of one instrument, classification, sub-area and year. */
export interface CommitmentTotalDelta {
  instrument: string;
  classification: string;
  subAreaId: string;
  year: number;
  net: bigint;
}

/**
 * The statement that moves the kept totals by `deltas`, in the order given (callers sort them: the rows are
 * locked in that order); the ledger runs it in the same statement as its insert.
 */
export const commitmentTotalsUpsert = (deltas: readonly CommitmentTotalDelta[]) => sql`
  INSERT INTO commitment_totals (instrument, classification, sub_area_id, year, net_cents)
  SELECT i, c, s, y, n FROM unnest(
    ${deltas.map((r) => r.instrument)}::text[], ${deltas.map((r) => r.classification)}::text[], ${deltas.map((r) => r.subAreaId)}::text[],
    ${deltas.map((r) => r.year)}::int[], ${deltas.map((r) => r.net.toString())}::bigint[]
  ) WITH ORDINALITY AS t(i, c, s, y, n, ord)
  ORDER BY ord
  ON CONFLICT (instrument, classification, sub_area_id, year)
  DO UPDATE SET net_cents = commitment_totals.net_cents + EXCLUDED.net_cents`;

/**
 * Positive net commitments per deal of the given instruments in the given stages, with the borrower, its
 * sub-area and core area (ids and names): the credit portfolio's exposures.
 */
export const dealExposures = (
  db: Kysely<Schema>,
  instruments: readonly Instrument[],
  stages: readonly Stage[],
) =>
  commitmentEntries(db)
    .innerJoin('companies', 'companies.id', 'deals.company_id')
    .innerJoin('sub_areas', 'sub_areas.id', 'deals.sub_area_id')
    .innerJoin('areas', 'areas.id', 'sub_areas.area_id')
    .where('deals.instrument', 'in', instruments)
    .where('deals.stage', 'in', stages)
    .select((eb) => [
      'deals.id as deal_id',
      'deals.company_id',
      'companies.name as company_name',
      'deals.sub_area_id',
      'sub_areas.name as sub_area_name',
      'sub_areas.area_id',
      'areas.name as area_name',
      netCommitted(eb).as('net'),
    ])
    .groupBy([
      'deals.id',
      'deals.company_id',
      'companies.name',
      'deals.sub_area_id',
      'sub_areas.name',
      'sub_areas.area_id',
      'areas.name',
    ])
    .having((eb) => netCommitted(eb), '>', '0')
    .orderBy('deals.id')
    .execute();
