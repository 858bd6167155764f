import { type Kysely, sql } from 'kysely';
import type { Instrument } from '../domain/instruments.ts';
import type { EntryKind } from '../domain/ledger.ts';
import type { StoredLedgerRow } from '../domain/ledger-digest.ts';
import type { Schema } from './schema.ts';

/**
 * The ledger columns a write's audit entry vouches for, read the same way when the row is written
 * (RETURNING) and when `keel audit verify` reads it back, so both sides see the same text.
 */
export const LEDGER_ROW_COLUMNS = sql.raw(
  'seq, client_key, deal_id, kind, amount_cents, effective_on::text AS effective_on, note, recorded_by',
);

/** Ledger rows after `afterSeq`, in sequence order, a page at a time. */
export async function readLedgerPage(
  db: Kysely<Schema>,
  afterSeq: bigint,
  limit: number,
): Promise<StoredLedgerRow[]> {
  const { rows } = await sql<StoredLedgerRow>`
    SELECT ${LEDGER_ROW_COLUMNS} FROM ledger_entries WHERE seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`.execute(
    db,
  );
  return rows;
}

/** Which ledger entries a listing shows: a page after `afterSeq`, optionally one deal, kind or date range. */
export interface LedgerEntryFilter {
  dealId?: string | undefined;
  kind?: EntryKind | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  afterSeq: bigint;
}

/** Ledger entries matching `filter`, in sequence order. */
export function ledgerEntries(db: Kysely<Schema>, filter: LedgerEntryFilter) {
  let query = db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('seq', '>', filter.afterSeq)
    .orderBy('seq')
    .limit(filter.limit);
  if (filter.dealId) query = query.where('deal_id', '=', filter.dealId);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.from) query = query.where('effective_on', '>=', filter.from);
  if (filter.to) query = query.where('effective_on', '<=', filter.to);
  return query.execute();
}

/** One deal's ledger entries, in sequence order. */
export const dealLedgerEntries = (db: Kysely<Schema>, dealId: string) =>
  db.selectFrom('ledger_entries').selectAll().where('deal_id', '=', dealId).orderBy('seq').execute();

/** Every ledger entry, in sequence order (an export). */
export const allLedgerEntries = (db: Kysely<Schema>) =>
  db.selectFrom('ledger_entries').selectAll().orderBy('seq').execute();

/** The ledger entries of deals of the given instruments, with each deal's place, in sequence order. */
export const ledgerEntriesOfInstruments = (db: Kysely<Schema>, instruments: readonly Instrument[]) =>
  db
    .selectFrom('ledger_entries')
    .innerJoin('deals', 'deals.id', 'ledger_entries.deal_id')
    .innerJoin('sub_areas', 'sub_areas.id', 'deals.sub_area_id')
    .select([
      'deals.id',
      'deals.sub_area_id',
      'deals.instrument',
      'sub_areas.area_id',
      'ledger_entries.kind',
      'ledger_entries.amount_cents',
      'ledger_entries.effective_on',
    ])
    .where('deals.instrument', 'in', [...instruments])
    .orderBy('ledger_entries.seq')
    .execute();
