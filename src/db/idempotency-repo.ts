/**
 * Idempotency keys: claimed at the start of a write, answered with the stored response on a replay. A key
 * lives in its owner's namespace (the principal, or the server for keys it makes itself).
 */
import { sql, type Transaction } from 'kysely';
import { invariant } from '../domain/errors.ts';
import { auditAppendCtes } from './audit-repo.ts';
import { prepared } from './prepared.ts';
import type { IdempotencyKeysTable, Schema } from './schema.ts';

export interface KeyClaim {
  owner: string;
  key: string;
  action: string;
  requestSha256: string;
  /** The job whose run makes the write, if a job's does. */
  job?: string | undefined;
}

export interface EarlierUse {
  action: string;
  requestSha256: string;
  response: string | null;
  /** The job whose run made the earlier write, or null. */
  job: string | null;
}

type EarlierUseRow = Pick<IdempotencyKeysTable, 'action' | 'request_sha256' | 'response'> & {
  job_id: string | null;
};

/** A claimed key's row as its earlier use: one mapping for the single claim and for a group's. */
const earlierUse = (row: EarlierUseRow): EarlierUse => ({
  action: row.action,
  requestSha256: row.request_sha256,
  response: row.response,
  job: row.job_id,
});

/** Claims the key for this write, or returns its earlier use (the claim waits for a write in flight). */
export async function claimKey(tx: Transaction<Schema>, claim: KeyClaim): Promise<EarlierUse | null> {
  const claimed = await prepared(
    tx,
    tx
      .insertInto('idempotency_keys')
      .values({
        owner: claim.owner,
        key: claim.key,
        action: claim.action,
        request_sha256: claim.requestSha256,
        job_id: claim.job ?? null,
      })
      .onConflict((oc) => oc.columns(['owner', 'key']).doNothing())
      .returning('key'),
  ).executeTakeFirst();
  if (claimed) return null;
  const first = await tx
    .selectFrom('idempotency_keys')
    .select(['action', 'request_sha256', 'response', 'job_id'])
    .where('owner', '=', claim.owner)
    .where('key', '=', claim.key)
    .executeTakeFirstOrThrow();
  return earlierUse(first);
}

/**
 * Stores the write's response under its key, appending the write's audit row (`body`) and moving the chain
 * head in the same statement: the head lock is the last lock and lasts one statement.
 */
export async function storeResponseWithAudit(
  tx: Transaction<Schema>,
  claim: Pick<KeyClaim, 'owner' | 'key'>,
  response: string,
  body: string,
): Promise<void> {
  const { rows } = await prepared(
    tx,
    sql<{ stored: bigint }>`
    WITH RECURSIVE ${auditAppendCtes([body])},
    stored AS (
      UPDATE idempotency_keys SET response = ${response} WHERE owner = ${claim.owner} AND key = ${claim.key}
      RETURNING 1
    )
    SELECT count(*)::bigint AS stored FROM stored`,
  ).execute(tx);
  invariant(rows[0]?.stored === 1n, 'the write stores its response under the key it claimed');
}

/** `owner`, NUL, `key`: a claim's identity in the sets below. */
export const claimId = (claim: Pick<KeyClaim, 'owner' | 'key'>) => `${claim.owner}\u0000${claim.key}`;

/** The earlier uses of keys that were already claimed, by claim id. */
export async function earlierUses(
  tx: Transaction<Schema>,
  keys: ReadonlyArray<Pick<KeyClaim, 'owner' | 'key'>>,
): Promise<Map<string, EarlierUse>> {
  if (keys.length === 0) return new Map();
  const { rows } = await sql<EarlierUseRow & { owner: string; key: string }>`
    SELECT k.owner, k.key, k.action, k.request_sha256, k.response, k.job_id FROM idempotency_keys k
    JOIN unnest(${keys.map((k) => k.owner)}::text[], ${keys.map((k) => k.key)}::text[]) AS w(owner, key)
      ON k.owner = w.owner AND k.key = w.key`.execute(tx);
  return new Map(rows.map((r) => [claimId(r), earlierUse(r)]));
}

/**
 * The end of a group of writes, in one statement: their audit rows (`bodies`) chained after the head and the
 * head moved to the last, each accepted write's response stored under its key, and the keys of the writes
 * refused given back (a refused write leaves no trace, as a single one rolled back would).
 */
export async function finishGroup(
  tx: Transaction<Schema>,
  answered: ReadonlyArray<{ owner: string; key: string; response: string }>,
  released: ReadonlyArray<Pick<KeyClaim, 'owner' | 'key'>>,
  bodies: readonly string[],
): Promise<void> {
  invariant(answered.length === bodies.length, 'each accepted write has its audit row');
  const releasedCte = sql`released AS (
      DELETE FROM idempotency_keys k USING unnest(${released.map((r) => r.owner)}::text[], ${released.map((r) => r.key)}::text[]) AS r(owner, key)
      WHERE k.owner = r.owner AND k.key = r.key
    )`;
  const statement = bodies.length
    ? sql<{ answered: bigint }>`
    WITH RECURSIVE ${auditAppendCtes(bodies)}, ${releasedCte}, stored AS (
      UPDATE idempotency_keys k SET response = v.response
      FROM unnest(${answered.map((a) => a.owner)}::text[], ${answered.map((a) => a.key)}::text[], ${answered.map((a) => a.response)}::text[]) AS v(owner, key, response)
      WHERE k.owner = v.owner AND k.key = v.key
      RETURNING 1
    )
    SELECT count(*)::bigint AS answered FROM stored`
    : sql<{ answered: bigint }>`
    WITH ${releasedCte}
    SELECT 0::bigint AS answered`;
  const { rows } = await prepared(tx, statement).execute(tx);
  invariant(
    rows[0]?.answered === BigInt(answered.length),
    'every accepted write stores its response under its key',
  );
}
