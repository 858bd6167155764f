import { type Kysely, sql } from 'kysely';
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
