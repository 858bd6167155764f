import type { Kysely, Transaction } from 'kysely';
import { type AuditRow, chainHash } from '../domain/audit-chain.ts';
import type { SignedCheckpoint } from '../domain/audit-checkpoint.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { prepared } from './prepared.ts';
import type { Schema } from './schema.ts';

export interface AuditEntry {
  actor: string;
  role: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

export interface AuditRowValues {
  seq: bigint;
  prev_hash: string;
  hash: string;
  body: string;
}

/**
 * Locks the chain head and makes the row that follows it. The head must be the last lock a write takes; the
 * row is written with `withAuditRow`, so a write can append it in the same statement as its last change.
 */
export async function nextAuditRow(tx: Transaction<Schema>, entry: AuditEntry): Promise<AuditRowValues> {
  const head = await prepared(
    tx,
    tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate(),
  ).executeTakeFirstOrThrow();
  const seq = head.seq + 1n;
  const body = canonicalJson({ at: new Date().toISOString(), ...entry });
  return { seq, prev_hash: head.hash, hash: chainHash(head.hash, seq, body), body };
}

/** A query builder whose next statement also appends `row` to the log and moves the head to it. */
export const withAuditRow = (tx: Transaction<Schema>, row: AuditRowValues) =>
  tx
    .with('audit_row', (db) => db.insertInto('audit_log').values(row))
    .with('audit_head_moved', (db) =>
      db.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('id', '=', 1),
    );

/** Appends one row to the hash chain (two statements: the head lock, then the row and the head). */
export async function appendAudit(tx: Transaction<Schema>, entry: AuditEntry): Promise<bigint> {
  const row = await nextAuditRow(tx, entry);
  await withAuditRow(tx, row)
    .selectNoFrom((eb) => eb.val(1).as('appended'))
    .execute();
  return row.seq;
}

export async function readAuditHead(db: Kysely<Schema>): Promise<{ seq: bigint; hash: string }> {
  return db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
}

/** Rows after `afterSeq`, in order, a page at a time (the log grows without bound). */
export async function readAuditPage(
  db: Kysely<Schema>,
  afterSeq: bigint,
  limit: number,
): Promise<AuditRow[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ seq: row.seq, prevHash: row.prev_hash, hash: row.hash, body: row.body }));
}

/** The most recent stored checkpoint, or null before the first. */
export async function latestStoredCheckpoint(db: Kysely<Schema>): Promise<SignedCheckpoint | null> {
  const row = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    kind: 'keel-audit-checkpoint',
    version: 1,
    seq: row.seq.toString(),
    hash: row.hash,
    signedAt: row.signed_at,
    publicKey: row.public_key,
    signature: row.signature,
  };
}
