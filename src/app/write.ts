/**
 * The one path every state change takes: a transaction that claims the client's idempotency key, runs the
 * use case, appends to the audit chain and stores the response, all or nothing. A replay with the same key
 * and request returns the stored response and writes nothing; the same key with another request is refused.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { appendAudit } from '../db/audit-repo.ts';
import type { Schema } from '../db/schema.ts';
import { canonicalJson, parseCanonicalJson } from '../domain/canonical-json.ts';
import { KeelError } from '../domain/errors.ts';
import { assertMayWrite } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';

export interface WriteRequest {
  actor: Actor;
  /** Stable name of the use case, e.g. `ledger.record`. */
  action: string;
  /** The client's idempotency key. */
  key: string;
  /** The request as the client sent it (after validation); fingerprinted to detect key reuse. */
  request: unknown;
  /** What the write is about, for the audit trail: `deal:perpetua-2025`. */
  subject: string;
}

export interface WriteResult<T> {
  result: T;
  /** True when the key was seen before and nothing was written. */
  replayed: boolean;
}

const MAX_KEY_LENGTH = 200;
/** Serialization failures and deadlocks are retried; nothing else is. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

export async function runWrite<T>(
  ctx: AppContext,
  request: WriteRequest,
  body: (tx: Transaction<Schema>) => Promise<{ result: T; audit?: Record<string, unknown> }>,
): Promise<WriteResult<T>> {
  // A read-scoped token changes nothing, whichever use case or route it reached.
  assertMayWrite(request.actor);
  if (!request.key || request.key.length > MAX_KEY_LENGTH) {
    throw new KeelError('invalid_key', `idempotency key must be 1 to ${MAX_KEY_LENGTH} characters`);
  }
  const fingerprint = createHash('sha256')
    .update(canonicalJson({ action: request.action, request: request.request }))
    .digest('hex');

  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.database.db.transaction().execute(async (tx) => {
        const claimed = await tx
          .insertInto('idempotency_keys')
          .values({ key: request.key, action: request.action, request_sha256: fingerprint })
          .onConflict((oc) => oc.column('key').doNothing())
          .returning('key')
          .executeTakeFirst();
        if (!claimed) {
          const first = await tx
            .selectFrom('idempotency_keys')
            .selectAll()
            .where('key', '=', request.key)
            .executeTakeFirstOrThrow();
          if (first.request_sha256 !== fingerprint) {
            throw new KeelError(
              'idempotency_key_reused',
              `idempotency key "${request.key}" was already used for a different ${first.action} request`,
            );
          }
          return { result: parseCanonicalJson<T>(first.response ?? 'null'), replayed: true };
        }
        const { result, audit } = await body(tx);
        await appendAudit(tx, {
          actor: request.actor.id,
          role: request.actor.role,
          action: request.action,
          subject: request.subject,
          details: { key: request.key, ...(audit ?? { request: request.request }) },
        });
        await tx
          .updateTable('idempotency_keys')
          .set({ response: canonicalJson(result) })
          .where('key', '=', request.key)
          .execute();
        return { result, replayed: false };
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
}
