import { type Kysely, sql, type Transaction } from 'kysely';
import { type AuditRow, chainHash } from '../domain/audit-chain.ts';
import type { SignedCheckpoint } from '../domain/audit-checkpoint.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { prepared } from './prepared.ts';
import type { Schema } from './schema.ts';
import { anyOf, settleAll } from './sql-helpers.ts';

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
  return nextAuditRows(tx, [entry]).then((rows) => rows[0]!);
}

/** Locks the chain head once and makes the rows that follow it, chained in the order given. */
export async function nextAuditRows(
  tx: Transaction<Schema>,
  entries: readonly AuditEntry[],
): Promise<AuditRowValues[]> {
  let { seq, hash } = await lockAuditHead(tx);
  const at = new Date().toISOString();
  return entries.map((entry) => {
    const body = canonicalJson({ at, ...entry });
    const row = { seq: seq + 1n, prev_hash: hash, hash: chainHash(hash, seq + 1n, body), body };
    ({ seq, hash } = row);
    return row;
  });
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

/** The audit body's fields as text: `body` is canonical JSON, parsed once per row by PostgreSQL. */
const field = (name: 'actor' | 'action' | 'subject' | 'at') =>
  sql<string>`(body::jsonb ->> ${sql.lit(name)})`;
/** A LIKE pattern matching `text` as a prefix, its own % and _ taken literally. */
const prefixPattern = (text: string) => `${text.replace(/[\\%_]/g, '\\$&')}%`;

export interface AuditSearch {
  actor?: string | undefined;
  actionPrefix?: string | undefined;
  subjectPrefix?: string | undefined;
  /** Rows whose subject is one of these exactly (a deal's or a company's timeline). */
  subjects?: readonly string[] | undefined;
  /** Rows at or after this day (UTC). */
  from?: string | undefined;
  /** Rows before this day (UTC): the day after the filter's last day. */
  before?: string | undefined;
}

const searched = (db: Kysely<Schema>, s: AuditSearch) =>
  db
    .selectFrom('audit_log')
    .$if(s.actor !== undefined, (q) => q.where(field('actor'), '=', s.actor as string))
    .$if(s.actionPrefix !== undefined, (q) =>
      q.where(field('action'), 'like', prefixPattern(s.actionPrefix!)),
    )
    .$if(s.subjectPrefix !== undefined, (q) =>
      q.where(field('subject'), 'like', prefixPattern(s.subjectPrefix!)),
    )
    .$if(s.subjects !== undefined, (q) => q.where(field('subject'), '=', anyOf(s.subjects ?? [])))
    .$if(s.from !== undefined, (q) => q.where(field('at'), '>=', s.from as string))
    .$if(s.before !== undefined, (q) => q.where(field('at'), '<', s.before as string));

/**
 * The rows a search selects, newest first, a page at a time, with how many it selects in all. The filters
 * parse each row's body, with no index: an expression index over `body::jsonb` would refuse to store a body
 * that is not JSON, which is the tampering `keel audit verify` must find and name, not a write to refuse.
 * A scan of 100,000 rows is well under a second; a row that is not JSON fails the search (BodyNotJson).
 */
export async function searchAuditLog(
  db: Kysely<Schema>,
  search: AuditSearch,
  page: { offset: number; limit: number },
): Promise<{ rows: Array<{ seq: bigint; body: string }>; total: bigint }> {
  const [rows, count] = await whenBodiesParse([
    searched(db, search)
      .select(['seq', 'body'])
      .orderBy('seq', 'desc')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    searched(db, search)
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: BigInt(count.n) };
}

/** A stored body the database cannot read as JSON: the log was edited outside Keel. */
export class BodyNotJson extends Error {}

async function whenBodiesParse<T extends readonly unknown[] | []>(queries: T) {
  try {
    return await settleAll(queries);
  } catch (error) {
    // invalid_text_representation: a body that is not JSON text.
    if ((error as { code?: string }).code === '22P02') throw new BodyNotJson((error as Error).message);
    throw error;
  }
}

/** Stores a signed checkpoint of the head the caller holds locked (`lockAuditHead`). */
export async function insertCheckpoint(tx: Transaction<Schema>, checkpoint: SignedCheckpoint, seq: bigint) {
  await tx
    .insertInto('audit_checkpoints')
    .values({
      seq,
      hash: checkpoint.hash,
      signed_at: checkpoint.signedAt,
      public_key: checkpoint.publicKey,
      signature: checkpoint.signature,
    })
    .execute();
}

/** Locks the chain head: the last lock of every write (`nextAuditRow`), the only one of a checkpoint. */
export const lockAuditHead = (tx: Transaction<Schema>) =>
  prepared(
    tx,
    tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate(),
  ).executeTakeFirstOrThrow();
