/**
 * The programme aggregate: its versions (each loaded document, never edited) and the cap usage kept under
 * the current one. The version row is the lock a programme load and the ledger's writes meet on.
 */
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import { invariant } from '../domain/errors.ts';
import type { CapUsage } from '../domain/programme.ts';
import { prepared } from './prepared.ts';
import type { ProgrammeVersionsTable, Schema } from './schema.ts';

/** The newest version's header (its document is read separately, once per hash). */
export const latestProgrammeVersion = (db: Kysely<Schema>) =>
  db
    .selectFrom('programme_versions')
    .select(['version', 'methodology_version', 'loaded_at', 'document_sha256'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();

export const programmeDocument = async (db: Kysely<Schema>, version: number) =>
  (
    await db
      .selectFrom('programme_versions')
      .select('document')
      .where('version', '=', version)
      .executeTakeFirstOrThrow()
  ).document;

/**
 * Share-locks the newest version row until the transaction ends and returns its header, or undefined before
 * init. After waiting for a loader the row returned may have been superseded: a later statement of the same
 * transaction sees the successor (`newestVersionNumber`), and the caller must check.
 */
export const shareLockLatestVersion = (tx: Transaction<Schema>) =>
  prepared(
    tx,
    tx
      .selectFrom('programme_versions')
      .select(['version', 'methodology_version', 'loaded_at', 'document_sha256'])
      .orderBy('version', 'desc')
      .limit(1)
      .forShare(),
  ).executeTakeFirst();

/** Locks the newest version row for a load (ledger writes holding it shared finish first). */
export const lockLatestVersionForLoad = (tx: Transaction<Schema>) =>
  tx
    .selectFrom('programme_versions')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();

/** The newest version number, 0 before the first load. */
export const newestVersionNumber = async (db: Kysely<Schema>) =>
  (
    await db
      .selectFrom('programme_versions')
      .select((eb) => eb.fn.max('version').as('v'))
      .executeTakeFirst()
  )?.v ?? 0;

export const insertProgrammeVersion = (tx: Transaction<Schema>, row: Insertable<ProgrammeVersionsTable>) =>
  tx.insertInto('programme_versions').values(row).execute();

/** The cap usage the ledger keeps in step with every write, by cap and scope. */
export const keptCapUsage = async (db: Kysely<Schema>): Promise<CapUsage[]> =>
  (await db.selectFrom('cap_usage').selectAll().orderBy('cap_id').orderBy('scope_key').execute()).map(
    (c) => ({
      capId: c.cap_id,
      scopeKey: c.scope_key,
      limit: c.limit_cents,
      used: c.used_cents,
    }),
  );

/** The kept usage of the cap rows `keys` name, unlocked (a row nothing has drawn on yet is absent). */
export const keptCapRows = async (
  db: Kysely<Schema>,
  keys: readonly { capId: string; scopeKey: string }[],
): Promise<CapUsage[]> =>
  !keys.length
    ? []
    : (
        await db
          .selectFrom('cap_usage')
          .selectAll()
          .where((eb) =>
            eb.or(keys.map((k) => eb.and([eb('cap_id', '=', k.capId), eb('scope_key', '=', k.scopeKey)]))),
          )
          .execute()
      ).map((c) => ({ capId: c.cap_id, scopeKey: c.scope_key, limit: c.limit_cents, used: c.used_cents }));

/**
 * Locks every cap row before a load recomputes them (ledger writers are already held off by the version
 * row's lock; the row locks keep any other reader-writer out).
 */
export async function lockCapUsage(tx: Transaction<Schema>) {
  await tx
    .selectFrom('cap_usage')
    .select('cap_id')
    .orderBy('cap_id')
    .orderBy('scope_key')
    .forUpdate()
    .execute();
}

/** Replaces every cap row (locked by `lockCapUsage`) with `usage`. */
export async function replaceCapUsage(tx: Transaction<Schema>, usage: readonly CapUsage[]) {
  await tx.deleteFrom('cap_usage').execute();
  if (!usage.length) return;
  await sql`
    INSERT INTO cap_usage (cap_id, scope_key, limit_cents, used_cents)
    SELECT * FROM unnest(${usage.map((u) => u.capId)}::text[], ${usage.map((u) => u.scopeKey)}::text[],
      ${usage.map((u) => u.limit.toString())}::bigint[], ${usage.map((u) => u.used.toString())}::bigint[])`.execute(
    tx,
  );
}

/** A cap row a ledger write draws on: cap and scope (e.g. a sub-area) with its limit and usage. */
export interface CapRow {
  capId: string;
  scopeKey: string;
  limit: bigint;
  used: bigint;
}

/** A cap row as the locking read answers it. */
export interface CapRowRecord {
  cap_id: string;
  scope_key: string;
  limit_cents: bigint;
  used_cents: bigint;
}

/**
 * The cap rows `keys` name, locked FOR UPDATE in (cap, scope) order: a statement of its own, or a CTE of the
 * ledger's state read (`readLedgerState`), which so locks them without a round trip of their own.
 */
export const lockedCapRowsQuery = (keys: readonly CapRowKey[]) => sql<CapRowRecord>`
    SELECT c.cap_id, c.scope_key, c.limit_cents, c.used_cents
    FROM cap_usage c
    JOIN unnest(${keys.map((k) => k.capId)}::text[], ${keys.map((k) => k.scopeKey)}::text[]) AS k(cap_id, scope_key)
      ON c.cap_id = k.cap_id AND c.scope_key = k.scope_key
    ORDER BY c.cap_id, c.scope_key
    FOR UPDATE OF c`;

const selectCapRows = (tx: Transaction<Schema>, keys: readonly CapRowKey[]) =>
  prepared(tx, lockedCapRowsQuery(keys)).execute(tx);

export interface CapRowKey {
  capId: string;
  scopeKey: string;
  limit: bigint;
}

/**
 * Locks the cap rows `keys` name (sorted by cap and scope: every writer locks in that order), creating the
 * missing ones first. Usually all exist and this is one statement (none when the ledger's state read locked
 * them); a first draw on a scope takes two more.
 */
export async function lockCapRows(
  tx: Transaction<Schema>,
  keys: readonly CapRowKey[],
  /** The rows `lockedCapRowsQuery(keys)` already locked in this transaction, if it ran. */
  locked?: readonly CapRowRecord[],
): Promise<CapRow[]> {
  if (!keys.length) return [];
  let rows = locked ?? (await selectCapRows(tx, keys)).rows;
  if (rows.length < keys.length) {
    // A concurrent first draw on the same scope waits here for the other's insert to commit or roll back;
    // two such writers can deadlock on each other's rows, and runWrite retries the one PostgreSQL aborts.
    await sql`
      INSERT INTO cap_usage (cap_id, scope_key, limit_cents)
      SELECT * FROM unnest(${keys.map((k) => k.capId)}::text[], ${keys.map((k) => k.scopeKey)}::text[], ${keys.map((k) => k.limit.toString())}::bigint[])
      ON CONFLICT (cap_id, scope_key) DO NOTHING`.execute(tx);
    ({ rows } = await selectCapRows(tx, keys));
  }
  invariant(rows.length === keys.length, 'every cap row the batch needs exists and is locked');
  return rows.map((r) => ({
    capId: r.cap_id,
    scopeKey: r.scope_key,
    limit: r.limit_cents,
    used: r.used_cents,
  }));
}

/**
 * The statement that writes the usage of cap rows locked by `lockCapRows`; the ledger runs it in the same
 * statement as its insert (see `insertLedgerEntries`).
 */
export const capRowsUpdate = (rows: readonly CapRow[]) => sql`
  UPDATE cap_usage c SET used_cents = v.used
  FROM unnest(${rows.map((r) => r.capId)}::text[], ${rows.map((r) => r.scopeKey)}::text[], ${rows.map((r) => r.used.toString())}::bigint[])
    AS v(cap_id, scope_key, used)
  WHERE c.cap_id = v.cap_id AND c.scope_key = v.scope_key`;

/** Every version loaded, oldest first: who loaded which document, when. */
export const programmeVersionHistory = (db: Kysely<Schema>) =>
  db
    .selectFrom('programme_versions')
    .select(['version', 'methodology_version', 'document_sha256', 'loaded_at', 'loaded_by'])
    .orderBy('version')
    .execute();
