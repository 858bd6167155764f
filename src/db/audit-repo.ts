import { type Kysely, sql, type Transaction } from 'kysely';
import type { AuditRow } from '../domain/audit-chain.ts';
import type { SignedCheckpoint } from '../domain/audit-checkpoint.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { invariant } from '../domain/errors.ts';
import { prepared } from './prepared.ts';
import type { Schema } from './schema.ts';
import { anyOf, literalPattern, settleAll } from './sql-helpers.ts';

export interface AuditEntry {
  actor: string;
  role: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

/** An audit row's body: the entry and when it was written, as canonical JSON (what the chain hashes). */
export const auditBody = (entry: AuditEntry, at: string = new Date().toISOString()) =>
  canonicalJson({ at, ...entry });

/**
 * Common table expressions (to follow `WITH RECURSIVE`) that lock the chain head, chain `bodies` after it
 * in the order given, append them and move the head: a write's audit rows ride on its last statement, with
 * no round trip of their own for the head lock. The hash is `chainHash`'s, computed by the database
 * (sha256 over the same UTF-8 text), so the head is locked only for the rest of that one statement. `chain`
 * holds the head (ord 0) and each appended row (ord 1…n).
 *
 * A row is never dated before the row it follows, nor after the database's clock. Its time was taken
 * before the head was locked, and servers' clocks differ: a row whose time is earlier than the head's takes
 * the head's (migration 0050 keeps the last row's time in the head), and one later than the database's
 * clock takes that clock's, so a server whose clock runs far ahead cannot date every later row after it.
 * Times are ISO texts of one length, so comparing them as "C" text orders them as times.
 */
export const auditAppendCtes = (bodies: readonly string[]) => sql`
  audit_head_locked AS (SELECT seq, hash, at FROM audit_head WHERE id = 1 FOR UPDATE),
  audit_bodies AS (
    SELECT body, ord, written.at AS written_at,
      LEAST(written.at, to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') COLLATE "C") AS at
    FROM unnest(${[...bodies]}::text[]) WITH ORDINALITY AS b(body, ord)
    CROSS JOIN LATERAL (SELECT substring(body from '"at":"([^"]*)"') COLLATE "C" AS at) written
  ),
  chain AS (
    SELECT 0::bigint AS ord, seq, hash, NULL::text AS prev_hash, NULL::text AS body, at FROM audit_head_locked
    UNION ALL
    SELECT b.ord, c.seq + 1,
      encode(sha256(convert_to(c.hash || E'\\n' || (c.seq + 1)::text || E'\\n' || dated.body, 'UTF8')), 'hex'),
      c.hash, dated.body, dated.at
    FROM chain c JOIN audit_bodies b ON b.ord = c.ord + 1
    CROSS JOIN LATERAL (
      SELECT
        CASE WHEN final.at = b.written_at THEN b.body
          ELSE overlay(b.body PLACING final.at FROM strpos(b.body, '"at":"') + 6 FOR length(b.written_at)) END
          COLLATE "default" AS body,
        final.at
      FROM (SELECT GREATEST(b.at, c.at) AS at) final
    ) dated
  ),
  audit_rows AS (
    INSERT INTO audit_log (seq, prev_hash, hash, body) SELECT seq, prev_hash, hash, body FROM chain WHERE ord > 0
  ),
  audit_head_moved AS (
    UPDATE audit_head h SET seq = last.seq, hash = last.hash, at = last.at
    FROM (SELECT seq, hash, at FROM chain ORDER BY ord DESC LIMIT 1) AS last
    WHERE h.id = 1
  )`;

/** Appends one row to the hash chain, in one statement. Returns its sequence number. */
export async function appendAudit(tx: Transaction<Schema>, entry: AuditEntry): Promise<bigint> {
  const { rows } = await prepared(
    tx,
    sql<{ seq: bigint }>`WITH RECURSIVE ${auditAppendCtes([auditBody(entry)])}
      SELECT seq FROM chain WHERE ord = 1`,
  ).execute(tx);
  const seq = rows[0]?.seq;
  invariant(seq !== undefined, 'the audit row was appended');
  return seq;
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
const prefixPattern = (text: string) => `${literalPattern(text)}%`;

export interface AuditSearch {
  /** Rows by any of these actors (a user id, or `cli:root`, `sso:…`). */
  actors?: readonly string[] | undefined;
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
    .$if(s.actors !== undefined, (q) => q.where(field('actor'), '=', anyOf(s.actors ?? [])))
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
