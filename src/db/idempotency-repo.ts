/**
 * Idempotency keys: claimed at the start of a write, answered with the stored response on a replay. A key
 * lives in its owner's namespace (the principal, or the server for keys it makes itself).
 */
import type { Transaction } from 'kysely';
import { invariant } from '../domain/errors.ts';
import { type AuditRowValues, withAuditRow } from './audit-repo.ts';
import { prepared } from './prepared.ts';
import type { Schema } from './schema.ts';

export interface KeyClaim {
  owner: string;
  key: string;
  action: string;
  requestSha256: string;
}

export interface EarlierUse {
  action: string;
  requestSha256: string;
  response: string | null;
}

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
      })
      .onConflict((oc) => oc.columns(['owner', 'key']).doNothing())
      .returning('key'),
  ).executeTakeFirst();
  if (claimed) return null;
  const first = await tx
    .selectFrom('idempotency_keys')
    .select(['action', 'request_sha256', 'response'])
    .where('owner', '=', claim.owner)
    .where('key', '=', claim.key)
    .executeTakeFirstOrThrow();
  return { action: first.action, requestSha256: first.request_sha256, response: first.response };
}

/**
 * Stores the write's response under its key, appending the write's audit row and moving the chain head in
 * the same statement: the end of every write is one round trip after the head lock.
 */
export async function storeResponseWithAudit(
  tx: Transaction<Schema>,
  claim: Pick<KeyClaim, 'owner' | 'key'>,
  response: string,
  audit: AuditRowValues,
): Promise<void> {
  const { numUpdatedRows } = await prepared(
    tx,
    withAuditRow(tx, audit)
      .updateTable('idempotency_keys')
      .set({ response })
      .where('owner', '=', claim.owner)
      .where('key', '=', claim.key),
  ).executeTakeFirstOrThrow();
  invariant(numUpdatedRows === 1n, 'the write stores its response under the key it claimed');
}
