/**
 * Group commit for single ledger writes (POST /api/ledger, `keel ledger record`): writes that arrive while a
 * group is being written wait, and go together in the next one: one transaction, one statement per step for
 * all of them (TigerBeetle's way). Each is still a write of its own: its own key (a replay answers its own
 * stored response, a reuse is refused to it alone), its own checks against the ledger as the writes before
 * it in the group left it (one refused for a cap refuses none of the others and leaves no trace), its own
 * audit row and its own answer. The cap rows and the audit head are held for one transaction of about ten
 * statements per group instead of ten per write, so under load the writers stop queueing on those locks.
 * The lock order is the single write's (ledger.ts), keys taken in (owner, key) order.
 */
import type { RawBuilder, Transaction } from 'kysely';
import { auditBody } from '../db/audit-repo.ts';
import { commitmentTotalsUpsert } from '../db/commitments-repo.ts';
import type { KeelDatabase } from '../db/connect.ts';
import { claimId, earlierUses, finishGroup, type KeyClaim } from '../db/idempotency-repo.ts';
import { insertLedgerEntries, lockForEntries, readLedgerState } from '../db/ledger-repo.ts';
import { capRowsUpdate } from '../db/programme-repo.ts';
import type { Schema } from '../db/schema.ts';
import { canonicalJson, parseCanonicalJson } from '../domain/canonical-json.ts';
import type { LedgerEntryInput } from '../domain/deal.ts';
import { KeelError } from '../domain/errors.ts';
import { describeLedgerRows } from '../domain/ledger-digest.ts';
import { authorize } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';
import type { LedgerBatchResult } from './ledger.ts';
import {
  alreadyRecorded,
  applyChecked,
  balancesOf,
  capKeysForEntries,
  commitmentTotalDeltas,
  type FoldState,
  lockCapRowsFor,
  unapprovedCommitment,
  unknownDeal,
} from './ledger-fold.ts';
import { notifyAuditedWrite } from './notifications/notify.ts';
import { assertStillCurrent, lockedProgramme } from './programme.ts';
import { isRetryable, keyReused, MAX_ATTEMPTS, type WriteResult, writeKeyOf } from './write.ts';
import type { StoredKey } from './write-key.ts';

const ACTION = 'ledger.record';
/** Most writes one group takes; the others wait for the next. */
const MAX_GROUP = 256;

interface Pending {
  ctx: AppContext;
  actor: Actor;
  entry: LedgerEntryInput;
  stored: StoredKey;
  claim: KeyClaim;
  resolve(result: WriteResult<LedgerBatchResult>): void;
  reject(error: unknown): void;
}

type Outcome = { answer: WriteResult<LedgerBatchResult> } | { refusal: unknown };

interface Queue {
  waiting: Pending[];
  writing: boolean;
}

/** One queue per database: the groups of one process are written one after another. */
const queues = new WeakMap<KeelDatabase, Queue>();

/** Records one entry as a write of its own, grouped with the single writes that arrive meanwhile. */
export function recordInGroup(
  ctx: AppContext,
  actor: Actor,
  entry: LedgerEntryInput,
): Promise<WriteResult<LedgerBatchResult>> {
  authorize(actor, 'ledger.write');
  // The request is the one-entry batch a single write always was: replays match across versions.
  const { stored, fingerprint } = writeKeyOf({
    actor,
    action: ACTION,
    key: entry.clientKey,
    request: [entry],
  });
  const claim = { owner: stored.owner, key: stored.key, action: ACTION, requestSha256: fingerprint };
  // A ledger write changes no credential: the token cache is left alone (token-cache.ts, CREDENTIAL_ACTION).
  return new Promise<WriteResult<LedgerBatchResult>>((resolve, reject) => {
    const queue = queues.get(ctx.database) ?? { waiting: [], writing: false };
    queues.set(ctx.database, queue);
    queue.waiting.push({ ctx, actor, entry, stored, claim, resolve, reject });
    if (!queue.writing) void writeGroups(queue);
  });
}

async function writeGroups(queue: Queue): Promise<void> {
  queue.writing = true;
  try {
    // The writes that came in the same turn of the event loop as the first go with it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (queue.waiting.length) {
      const group = takeGroup(queue);
      let outcomes: Outcome[];
      try {
        outcomes = await writeGroup(group);
      } catch (error) {
        // The transaction itself failed (not one write's checks), so nothing of the group was written. Each
        // write is tried again alone: one that the database refuses must not take the others with it.
        outcomes = group.length === 1 ? [{ refusal: error }] : await eachAlone(group);
      }
      group.forEach((pending, i) => {
        const outcome = outcomes[i]!;
        if ('answer' in outcome) pending.resolve(outcome.answer);
        else pending.reject(outcome.refusal);
      });
    }
  } finally {
    queue.writing = false;
  }
}

async function eachAlone(group: Pending[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const pending of group) {
    try {
      outcomes.push(...(await writeGroup([pending])));
    } catch (error) {
      outcomes.push({ refusal: error });
    }
  }
  return outcomes;
}

/** The next group: a key sent twice (a client's retry) waits for the next, where it meets its stored answer. */
function takeGroup(queue: Queue): Pending[] {
  const group: Pending[] = [];
  const rest: Pending[] = [];
  const ids = new Set<string>();
  for (const pending of queue.waiting) {
    const id = claimId(pending.claim);
    if (group.length < MAX_GROUP && !ids.has(id)) {
      group.push(pending);
      ids.add(id);
    } else rest.push(pending);
  }
  queue.waiting = rest;
  return group;
}

async function writeGroup(group: Pending[]): Promise<Outcome[]> {
  const { db } = group[0]!.ctx.database;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((tx) => groupInTransaction(tx, group));
    } catch (error) {
      if (isRetryable(error) && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
}

/** A claim that met a key which is gone again by the time it was read: the group is tried again. */
class ClaimVanished extends Error {
  readonly code = '40001';
}

async function groupInTransaction(tx: Transaction<Schema>, group: Pending[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(group.length);
  // The keys, the programme version and every deal the group names, locked in one statement (a replay's
  // deal too: cheaper than a statement of its own once its key is found claimed).
  const {
    claimed,
    version,
    deals: dealRows,
  } = await lockForEntries(tx, [...new Set(group.map((p) => p.entry.dealId))], {
    withApproval: group.some((p) => p.entry.kind === 'commitment'),
    claims: group.map((p) => p.claim),
  });
  const earlier = await earlierUses(
    tx,
    group.filter((p) => !claimed.has(claimId(p.claim))).map((p) => p.claim),
  );
  const live: number[] = [];
  for (const [i, pending] of group.entries()) {
    const id = claimId(pending.claim);
    if (claimed.has(id)) {
      live.push(i);
      continue;
    }
    const use = earlier.get(id);
    if (!use) throw new ClaimVanished(`idempotency key ${pending.claim.key} vanished while claimed`);
    outcomes[i] =
      use.requestSha256 === pending.claim.requestSha256
        ? {
            answer: { result: parseCanonicalJson<LedgerBatchResult>(use.response ?? 'null'), replayed: true },
          }
        : { refusal: keyReused(pending.stored, ACTION, use.action) };
  }
  if (live.length === 0) return outcomes;

  const entries = live.map((i) => group[i]!.entry);
  const locked = await lockedProgramme(tx, version);
  const { programme } = locked;
  const deals = new Map(dealRows.map((row) => [row.id, row]));
  const known = entries.filter((e) => deals.has(e.dealId));
  const capKeys = capKeysForEntries(programme, known, deals);
  const state = await readLedgerState(
    tx,
    [...deals.keys()],
    entries.map((e) => e.clientKey),
    capKeys,
  );
  assertStillCurrent(locked, state.newestVersion);
  const folded: FoldState = {
    programme,
    caps: new Map(programme.caps.map((cap) => [cap.id, cap])),
    deals,
    balances: balancesOf([...deals.keys()], state),
    capRows: await lockCapRowsFor(tx, capKeys, state.lockedCaps),
  };

  // Each write is checked as a single write would be, against the ledger the ones before it left.
  const recorded = new Set(state.recordedKeys);
  const accepted: number[] = [];
  const released: KeyClaim[] = [];
  // A single write is not a batch: its refusal names "this entry", not "entry 1".
  const where = 'this entry';
  for (const i of live) {
    const { entry } = group[i]!;
    try {
      const deal = deals.get(entry.dealId);
      if (!deal) throw unknownDeal(where, entry.dealId);
      const unapproved = unapprovedCommitment(where, entry, deal);
      if (unapproved) throw unapproved;
      if (recorded.has(entry.clientKey)) throw alreadyRecorded(where, entry.clientKey);
      applyChecked(folded, entry, where);
      recorded.add(entry.clientKey);
      accepted.push(i);
    } catch (error) {
      if (!(error instanceof KeelError)) throw error;
      outcomes[i] = { refusal: error };
      released.push(group[i]!.claim);
    }
  }

  const audits = [];
  const answered = [];
  if (accepted.length) {
    const written = accepted.map((i) => group[i]!);
    const alongside: RawBuilder<unknown>[] = [];
    if (folded.capRows.size) alongside.push(capRowsUpdate([...folded.capRows.values()]));
    const totals = commitmentTotalDeltas(
      written.map((p) => p.entry),
      deals,
    );
    if (totals.length) alongside.push(commitmentTotalsUpsert(totals));
    const seqOf = await insertLedgerEntries(
      tx,
      written.map((p) => p.actor.id),
      written.map((p) => p.entry),
      alongside,
    );
    for (const [n, pending] of written.entries()) {
      const { actor, entry } = pending;
      const ledgerRows = describeLedgerRows([
        {
          seq: seqOf.get(entry.clientKey)!,
          client_key: entry.clientKey,
          deal_id: entry.dealId,
          kind: entry.kind,
          amount_cents: entry.amount,
          effective_on: entry.effectiveOn,
          note: entry.note ?? null,
          recorded_by: actor.id,
        },
      ]);
      const [firstSeq, lastSeq] = ledgerRows.runs[0] ?? [null, null];
      const result: LedgerBatchResult = { recorded: 1, firstSeq, lastSeq };
      const audit = { entry, ledgerRows };
      const request = {
        actor,
        action: ACTION,
        key: entry.clientKey,
        request: [entry],
        subject: `deal:${entry.dealId}`,
      };
      // Before the audit head is locked: the head stays the last lock.
      await notifyAuditedWrite(pending.ctx, tx, { ...request, result, audit });
      audits.push({
        actor: actor.id,
        role: actor.role,
        action: ACTION,
        subject: request.subject,
        details: { key: pending.stored.key, ...audit },
      });
      answered.push({ owner: pending.claim.owner, key: pending.claim.key, response: canonicalJson(result) });
      outcomes[accepted[n]!] = { answer: { result, replayed: false } };
    }
  }
  // One moment for the group's rows, as one locked head gave them before.
  const at = new Date().toISOString();
  const bodies = audits.map((entry) => auditBody(entry, at));
  if (bodies.length || released.length) await finishGroup(tx, answered, released, bodies);
  return outcomes;
}
