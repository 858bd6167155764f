/**
 * SQL as an attacker with the database's superuser would send it: with the append-only triggers switched
 * off for the session (`session_replication_role = replica` skips ordinary triggers), so that only
 * `keel audit verify` stands between the edit and an unnoticed change.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Schema } from '../../src/db/schema.ts';

export async function asAttacker<T>(db: Kysely<Schema>, work: (tx: Transaction<Schema>) => Promise<T>) {
  return db.transaction().execute(async (tx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(tx);
    return work(tx);
  });
}
