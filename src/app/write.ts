/**
 * The one path every state change takes: a transaction that claims the client's idempotency key, runs the
 * use case, appends to the audit chain and stores the response, all or nothing. A replay with the same key
 * and request returns the stored response and writes nothing; the same key with another request is refused.
 * Keys belong to a principal (see write-key.ts): the same text sent by another principal is another key, and
 * the refusal of a reused key speaks only of the caller's own earlier request.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { auditBody } from '../db/audit-repo.ts';
import { claimKey, storeResponseWithAudit } from '../db/idempotency-repo.ts';
import type { Schema } from '../db/schema.ts';
import { canonicalJson, parseCanonicalJson } from '../domain/canonical-json.ts';
import { KeelError } from '../domain/errors.ts';
import { assertMayWrite } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';
import { notifyAuditedWrite } from './notifications/notify.ts';
import { asCacheWrite, CREDENTIAL_ACTION } from './token-cache.ts';
import { type StoredKey, storedKey, type WriteKey } from './write-key.ts';

export interface WriteRequest {
  actor: Actor;
  /** Stable name of the use case, e.g. `ledger.record`. */
  action: string;
  /** The client's idempotency key as sent (kept under the actor), or a `ServerKey` the use case made. */
  key: WriteKey;
  /** The request as the client sent it (after validation); fingerprinted to detect key reuse. */
  request: unknown;
  /** What the write is about, for the audit trail: `deal:perpetua-2025`. */
  subject: string;
}

export interface WriteResult<T> {
  result: T;
  /**
   * True when the key was seen before and nothing was written; false for a job that met the write its own
   * earlier run committed (the job wrote it, once).
   */
  replayed: boolean;
}

const MAX_KEY_LENGTH = 200;
/** Serialization failures and deadlocks are retried; nothing else is. */
const RETRYABLE = new Set(['40001', '40P01']);
export const MAX_ATTEMPTS = 5;

export async function runWrite<T>(
  ctx: AppContext,
  request: WriteRequest,
  body: (tx: Transaction<Schema>) => Promise<{ result: T; audit?: Record<string, unknown> }>,
): Promise<WriteResult<T>> {
  const stored = checkedKey(request);
  const fingerprint = await fingerprintOf(stored.owner, request.action, request.request);
  const run = () => transactWithRetries(ctx, request, stored, fingerprint, body);
  return CREDENTIAL_ACTION.test(request.action) ? asCacheWrite(ctx.tokenCache, run) : run();
}

/** The key a write is stored under and its request's fingerprint; refuses a read-only actor and a bad key. */
export function writeKeyOf(request: Pick<WriteRequest, 'actor' | 'action' | 'key' | 'request'>) {
  const stored = checkedKey(request);
  const fingerprint = createHash('sha256')
    .update(canonicalJson({ owner: stored.owner, action: request.action, request: request.request }))
    .digest('hex');
  return { stored, fingerprint };
}

function checkedKey(request: Pick<WriteRequest, 'actor' | 'key'>): StoredKey {
  // A read-scoped token changes nothing, whichever use case or route it reached.
  assertMayWrite(request.actor);
  const stored = storedKey(request.key, request.actor);
  if (!stored.key || stored.key.length > MAX_KEY_LENGTH) {
    throw new KeelError('invalid_key', `idempotency key must be 1 to ${MAX_KEY_LENGTH} characters`);
  }
  return stored;
}

/** Items of a request's list fingerprinted between two turns of the event loop. */
const FINGERPRINT_TURN = 2_000;

/**
 * `writeKeyOf`'s fingerprint, the same hash over the same text, written an item at a time for a long list
 * (a 150,000-row import), with turns for the event loop in between: other requests are answered meanwhile.
 */
export async function fingerprintOf(owner: string, action: string, request: unknown): Promise<string> {
  const hash = createHash('sha256');
  if (!Array.isArray(request) || request.length <= FINGERPRINT_TURN)
    return hash.update(canonicalJson({ owner, action, request })).digest('hex');
  // canonicalJson sorts the keys: action, owner, request.
  hash.update(`${canonicalJson({ action, owner }).slice(0, -1)},"request":[`);
  for (const [i, item] of request.entries()) {
    if (i > 0 && i % FINGERPRINT_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    hash.update(`${i > 0 ? ',' : ''}${canonicalJson(item === undefined ? null : item)}`);
  }
  return hash.update(']}').digest('hex');
}

/** Serialization failures and deadlocks: the whole transaction is tried again. */
export const isRetryable = (error: unknown) => {
  const code = (error as { code?: string }).code;
  return code !== undefined && RETRYABLE.has(code);
};

async function transactWithRetries<T>(
  ctx: AppContext,
  request: WriteRequest,
  stored: StoredKey,
  fingerprint: string,
  body: (tx: Transaction<Schema>) => Promise<{ result: T; audit?: Record<string, unknown> }>,
): Promise<WriteResult<T>> {
  const { owner, key } = stored;
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.database.db.transaction().execute(async (tx) => {
        const { job } = request.actor;
        const claim = { owner, key, action: request.action, requestSha256: fingerprint, job };
        const earlier = await claimKey(tx, claim);
        if (earlier) {
          if (earlier.requestSha256 !== fingerprint) throw keyReused(stored, request.action, earlier.action);
          // A job run again after its first runner committed meets its own write: that is its outcome.
          const ownWrite = job !== undefined && earlier.job === job;
          return { result: parseCanonicalJson<T>(earlier.response ?? 'null'), replayed: !ownWrite };
        }
        const { result, audit } = await body(tx);
        // Before the audit head is locked: the head must stay the last lock a write takes.
        await notifyAuditedWrite(ctx, tx, { ...request, result, audit });
        const auditRow = auditBody({
          actor: request.actor.id,
          role: request.actor.role,
          action: request.action,
          subject: request.subject,
          details: { key, ...(audit ?? { request: request.request }) },
        });
        await storeResponseWithAudit(tx, claim, canonicalJson(result), auditRow);
        return { result, replayed: false };
      });
    } catch (error) {
      if (isRetryable(error) && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
}

/**
 * The refusal of a reused key. A client key is found only among the caller's own keys, so the earlier use it
 * names is the caller's own; a server key is shared by everyone who asks for the same operation, so the
 * refusal names only the operation the caller asked for, nothing of who did it before.
 */
export function keyReused(stored: StoredKey, action: string, ownEarlierAction: string): KeelError {
  return stored.madeByServer
    ? new KeelError('idempotency_key_reused', `this ${action} was already done with different details`)
    : new KeelError(
        'idempotency_key_reused',
        `you already used idempotency key "${stored.key}" for a different ${ownEarlierAction} request; send a new key for a new request`,
      );
}
