/**
 * Ledger writes. One function records a batch of entries all or none; a single write is a batch of one.
 * Inside one transaction it locks the deals (balances cannot move under it), locks the cap rows the batch
 * draws on with SELECT … FOR UPDATE in key order (no interleaving can overspend, no deadlock between
 * writers), folds every entry through the domain's rules, then inserts and moves the commitment totals the
 * summary reads. Lock order for every write: idempotency key → programme version (shared) → deals (by id)
 * → cap rows (by cap, scope) → commitment totals (by key) → audit head.
 */

import type { RawBuilder, Transaction } from 'kysely';
import { type CommitmentTotalDelta, commitmentTotalsUpsert } from '../db/commitments-repo.ts';
import {
  type DealForEntries,
  INSERT_CHUNK,
  insertLedgerEntries,
  type LedgerState,
  lockDealsForEntries,
  readLedgerState,
} from '../db/ledger-repo.ts';
import { type CapRow, capRowsUpdate, lockCapRows } from '../db/programme-repo.ts';
import type { Schema } from '../db/schema.ts';
import { assertApprovedForCommitment, assertWithinApproval } from '../domain/committee.ts';
import type { LedgerEntryInput } from '../domain/deal.ts';
import { invariant, KeelError } from '../domain/errors.ts';
import {
  applyEntry,
  balancesFromSums,
  capDelta,
  type DealBalances,
  type EntryKind,
  netCommitted,
} from '../domain/ledger.ts';
import { describeLedgerRows, type StoredLedgerRow } from '../domain/ledger-digest.ts';
import { type Cents, formatDollars } from '../domain/money.ts';
import {
  type Cap,
  capKeysFor,
  compareCapKeys,
  compareCodeUnits,
  type Programme,
} from '../domain/programme.ts';
import { authorize } from '../domain/roles.ts';
import { FUNDABLE_STAGES } from '../domain/stages.ts';
import { type BatchOptions, chunks, entryLabel, firstDuplicate } from './batch.ts';
import type { Actor, AppContext } from './context.ts';
import { assertStillCurrent, lockCurrentProgramme } from './programme.ts';
import { runWrite } from './write.ts';
import type { WriteKey } from './write-key.ts';

export interface LedgerBatchResult {
  recorded: number;
  firstSeq: bigint | null;
  lastSeq: bigint | null;
}

export async function recordLedgerEntry(ctx: AppContext, actor: Actor, entry: LedgerEntryInput) {
  return recordLedgerEntries(ctx, actor, entry.clientKey, [entry]);
}

export async function recordLedgerEntries(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  entries: LedgerEntryInput[],
  options: BatchOptions = {},
) {
  authorize(actor, 'ledger.write');
  const label = options.label ?? entryLabel;
  const clientKeys = entries.map((e) => e.clientKey);
  const dup = firstDuplicate(clientKeys);
  if (dup >= 0)
    throw new KeelError(
      'duplicate_key',
      `${label(dup)}, field key: "${clientKeys[dup]}" appears twice in this batch`,
    );
  const subject = entries.length === 1 ? `deal:${entries[0]!.dealId}` : 'ledger';

  return runWrite<LedgerBatchResult>(
    ctx,
    { actor, action: 'ledger.record', key, request: entries, subject },
    (tx) => recordEntriesInTransaction(tx, actor, entries, label, options),
  );
}

/**
 * The ledger write inside a transaction the caller owns (a capital-stack commitment books its facilitated
 * part in the same transaction as the participation). The caller has claimed the idempotency key.
 */
export async function recordEntriesInTransaction(
  tx: Transaction<Schema>,
  actor: Actor,
  entries: LedgerEntryInput[],
  label: (index: number) => string = entryLabel,
  options: BatchOptions = {},
) {
  const clientKeys = entries.map((e) => e.clientKey);
  const locked = await lockCurrentProgramme(tx);
  const { programme } = locked;
  const deals = await lockDeals(tx, entries, label);
  const state = await readLedgerState(tx, [...deals.keys()], clientKeys);
  assertStillCurrent(locked, state.newestVersion);
  refuseRecordedKey(state.recordedKeys, clientKeys, label);
  const balances = balancesOf([...deals.keys()], state);

  const caps = new Map(programme.caps.map((cap) => [cap.id, cap]));
  const capRows = await lockCapRowsFor(tx, programme, entries, deals);
  entries.forEach((entry, index) => {
    const deal = deals.get(entry.dealId)!;
    try {
      const next = applyEntry(deal, balances.get(deal.id)!, {
        kind: entry.kind,
        amount: entry.amount as Cents,
      });
      if (entry.kind === 'commitment' && deal.approvedAmount !== null)
        assertWithinApproval(deal.id, netCommitted(next), deal.approvedAmount);
      balances.set(deal.id, next);
    } catch (error) {
      if (error instanceof KeelError)
        throw new KeelError(error.code, `${label(index)}: ${error.message}`, error.details);
      throw error;
    }
    const delta = capDelta({ kind: entry.kind, amount: entry.amount as Cents });
    if (delta === 0n) return;
    for (const { capId, scopeKey } of capKeysFor(programme, deal)) {
      const row = capRows.get(`${capId}\u0000${scopeKey}`)!;
      const used = row.used + delta;
      if (used > row.limit) throw capExceeded(label(index), caps.get(capId)!, row, entry.amount);
      invariant(used >= 0n, `cap ${capId}/${scopeKey} usage stays non-negative`);
      row.used = used;
    }
  });

  // The cap usage and the commitment totals are written by the statement that inserts the last entries.
  const alongside: RawBuilder<unknown>[] = [];
  if (capRows.size) alongside.push(capRowsUpdate([...capRows.values()]));
  const totals = commitmentTotalDeltas(entries, deals);
  if (totals.length) alongside.push(commitmentTotalsUpsert(totals));
  const stored = await insertEntries(tx, actor, entries, options, alongside);
  const ledgerRows = describeLedgerRows(stored);
  const result: LedgerBatchResult = {
    recorded: entries.length,
    firstSeq: ledgerRows.runs[0]?.[0] ?? null,
    lastSeq: ledgerRows.runs[ledgerRows.runs.length - 1]?.[1] ?? null,
  };
  // The audit row for a large batch summarises it; the entries themselves are in the append-only ledger.
  // `ledgerRows` (sequence runs, digest, a tag per row) lets `keel audit verify` check each row against it.
  const audit =
    entries.length === 1
      ? { entry: entries[0], ledgerRows }
      : { count: entries.length, firstSeq: result.firstSeq, lastSeq: result.lastSeq, ledgerRows };
  return { result, audit };
}

async function lockDeals(tx: Transaction<Schema>, entries: LedgerEntryInput[], label: (i: number) => string) {
  const ids = [...new Set(entries.map((e) => e.dealId))];
  const rows = await lockDealsForEntries(tx, ids, {
    withApproval: entries.some((e) => e.kind === 'commitment'),
  });
  const deals = new Map<string, DealForEntries>(rows.map((row) => [row.id, row]));
  const missing = entries.findIndex((e) => !deals.has(e.dealId));
  if (missing >= 0)
    throw new KeelError(
      'unknown_deal',
      `${label(missing)}, field deal_id: no deal "${entries[missing]!.dealId}"`,
    );
  // The committee is the only door: a commitment needs an approval of the deal's current committee cycle.
  // (A deal not yet in a fundable stage is refused by the ledger rules, with their own message.)
  const unapproved = new Set(rows.filter((row) => row.approved === false).map((row) => row.id));
  const first = entries.findIndex(
    (e) =>
      e.kind === 'commitment' && unapproved.has(e.dealId) && FUNDABLE_STAGES.has(deals.get(e.dealId)!.stage),
  );
  if (first >= 0) {
    try {
      assertApprovedForCommitment(entries[first]!.dealId, false);
    } catch (error) {
      const refused = error as KeelError;
      throw new KeelError(refused.code, `${label(first)}: ${refused.message}`, refused.details);
    }
  }
  return deals;
}

function balancesOf(dealIds: string[], state: LedgerState): Map<string, DealBalances> {
  const byDeal = new Map<string, Partial<Record<EntryKind, bigint>>>(dealIds.map((id) => [id, {}]));
  for (const sum of state.sums) byDeal.get(sum.dealId)![sum.kind] = sum.total;
  return new Map(
    dealIds.map((id) => [id, balancesFromSums(byDeal.get(id)!, state.lastMarks.get(id) ?? null)]),
  );
}

/**
 * An entry's key is a business identifier, unique across the whole ledger (not per principal): the same
 * payment keyed twice, by anyone, must not be booked twice. Everyone who can record entries can read them
 * all, so the refusal tells them nothing new; it still names only the caller's own key, never the entry's
 * recorder, deal or amount.
 */
function refuseRecordedKey(recorded: Set<string>, clientKeys: string[], label: (i: number) => string) {
  const index = clientKeys.findIndex((key) => recorded.has(key));
  if (index >= 0) throw alreadyRecorded(label(index), clientKeys[index]!);
}

export const alreadyRecorded = (where: string, key: string) =>
  new KeelError('duplicate_key', `${where}, field key: an entry with key "${key}" is already in the ledger`);

/** Locks every cap row the batch can touch, in key order (creating the missing ones). */
async function lockCapRowsFor(
  tx: Transaction<Schema>,
  programme: Programme,
  entries: LedgerEntryInput[],
  deals: Map<string, DealForEntries>,
): Promise<Map<string, CapRow>> {
  const wanted = new Map<string, { capId: string; scopeKey: string; limit: bigint }>();
  for (const entry of entries) {
    if (entry.kind !== 'commitment' && entry.kind !== 'cancellation') continue;
    for (const key of capKeysFor(programme, deals.get(entry.dealId)!))
      wanted.set(`${key.capId}\u0000${key.scopeKey}`, key);
  }
  const rows = await lockCapRows(tx, [...wanted.values()].sort(compareCapKeys));
  return new Map(rows.map((row) => [`${row.capId}\u0000${row.scopeKey}`, row]));
}

function capExceeded(where: string, cap: Cap, row: CapRow, amount: bigint): KeelError {
  const headroom = row.limit - row.used;
  const scope = row.scopeKey === '*' ? 'programme-wide' : `for ${row.scopeKey}`;
  return new KeelError(
    'cap_exceeded',
    `${where}: a commitment of ${formatDollars(amount)} would exceed the cap "${cap.label}" (${scope}): limit ${formatDollars(row.limit)}, used ${formatDollars(row.used)}, headroom ${formatDollars(headroom > 0n ? headroom : 0n)}`,
    { capId: cap.id, scopeKey: row.scopeKey, limit: row.limit.toString(), used: row.used.toString() },
  );
}

async function insertEntries(
  tx: Transaction<Schema>,
  actor: Actor,
  entries: LedgerEntryInput[],
  options: BatchOptions,
  alongsideLast: readonly RawBuilder<unknown>[],
) {
  const stored: StoredLedgerRow[] = [];
  for (const { items, end } of chunks(entries, INSERT_CHUNK)) {
    options.signal?.throwIfAborted();
    const last = end === entries.length;
    const seqOf = await insertLedgerEntries(tx, actor.id, items, last ? alongsideLast : []);
    // The stored text of every other column is what was sent (the same text verify reads back with
    // LEDGER_ROW_COLUMNS), so only the sequence numbers travel back.
    for (const item of items)
      stored.push({
        seq: seqOf.get(item.clientKey)!,
        client_key: item.clientKey,
        deal_id: item.dealId,
        kind: item.kind,
        amount_cents: item.amount,
        effective_on: item.effectiveOn,
        note: item.note ?? null,
        recorded_by: actor.id,
      });
    options.onProgress?.(end, entries.length);
  }
  return stored;
}

/** How this batch's commitments and cancellations move the summary's net-commitment totals, in key order. */
function commitmentTotalDeltas(
  entries: LedgerEntryInput[],
  deals: Map<string, DealForEntries>,
): CommitmentTotalDelta[] {
  const deltas = new Map<string, CommitmentTotalDelta>();
  for (const entry of entries) {
    const delta = capDelta({ kind: entry.kind, amount: entry.amount as Cents });
    if (delta === 0n) continue;
    const deal = deals.get(entry.dealId)!;
    const year = Number(entry.effectiveOn.slice(0, 4));
    const key = `${deal.instrument}|${deal.classification}|${deal.subAreaId}|${year}`;
    const slot = deltas.get(key) ?? {
      instrument: deal.instrument,
      classification: deal.classification,
      subAreaId: deal.subAreaId,
      year,
      net: 0n,
    };
    slot.net += delta;
    deltas.set(key, slot);
  }
  return [...deltas.entries()].sort(([a], [b]) => compareCodeUnits(a, b)).map(([, v]) => v);
}
