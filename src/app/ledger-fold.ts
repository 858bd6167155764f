/**
 * What every ledger write folds its entries over (a batch all or none, a group of single writes each on its
 * own): the locked deals, their balances and cap rows, and the statements that append the entries.
 */
import type { RawBuilder, Transaction } from 'kysely';
import type { CommitmentTotalDelta } from '../db/commitments-repo.ts';
import {
  type DealForEntries,
  INSERT_CHUNK,
  insertLedgerEntries,
  type LedgerState,
} from '../db/ledger-repo.ts';
import { type CapRow, type CapRowKey, type CapRowRecord, lockCapRows } from '../db/programme-repo.ts';
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
import { LedgerRowsDigest, type LedgerRowsRecord } from '../domain/ledger-digest.ts';
import { type Cents, formatDollars } from '../domain/money.ts';
import {
  type Cap,
  capKeysFor,
  compareCapKeys,
  compareCodeUnits,
  type Programme,
} from '../domain/programme.ts';
import { FUNDABLE_STAGES } from '../domain/stages.ts';
import { type BatchOptions, chunks } from './batch.ts';
import type { Actor } from './context.ts';

/** What a write folds its entries over: the locked deals, their balances and cap rows, moved entry by entry. */
export interface FoldState {
  programme: Programme;
  caps: Map<string, Cap>;
  deals: Map<string, DealForEntries>;
  balances: Map<string, DealBalances>;
  capRows: Map<string, CapRow>;
}

/**
 * Checks one entry against the ledger rules, the committee's approved amount and every cap it draws on, and
 * only when all hold moves the balances and cap rows by it: a refused entry leaves the state as it was, so
 * the writes grouped with it are checked as if it had never come.
 */
export function applyChecked(state: FoldState, entry: LedgerEntryInput, where: string): void {
  const deal = state.deals.get(entry.dealId)!;
  let next: DealBalances;
  try {
    next = applyEntry(deal, state.balances.get(deal.id)!, {
      kind: entry.kind,
      amount: entry.amount as Cents,
    });
    if (entry.kind === 'commitment' && deal.approvedAmount !== null)
      assertWithinApproval(deal.id, netCommitted(next), deal.approvedAmount);
  } catch (error) {
    if (error instanceof KeelError)
      throw new KeelError(error.code, `${where}: ${error.message}`, error.details);
    throw error;
  }
  const delta = capDelta({ kind: entry.kind, amount: entry.amount as Cents });
  const moved: Array<[CapRow, bigint]> = [];
  if (delta !== 0n)
    for (const { capId, scopeKey } of capKeysFor(state.programme, deal)) {
      const row = state.capRows.get(`${capId}\u0000${scopeKey}`)!;
      const used = row.used + delta;
      if (used > row.limit) throw capExceeded(where, state.caps.get(capId)!, row, entry.amount);
      invariant(used >= 0n, `cap ${capId}/${scopeKey} usage stays non-negative`);
      moved.push([row, used]);
    }
  state.balances.set(deal.id, next);
  for (const [row, used] of moved) row.used = used;
}

/** The refusal of an entry whose deal is not in Keel. */
export const unknownDeal = (where: string, dealId: string) =>
  new KeelError('unknown_deal', `${where}, field deal_id: no deal "${dealId}"`);

/** The refusal of a commitment to a deal the committee has not approved in its current cycle, or null. */
export function unapprovedCommitment(where: string, entry: LedgerEntryInput, deal: DealForEntries) {
  if (entry.kind !== 'commitment' || deal.approved !== false || !FUNDABLE_STAGES.has(deal.stage)) return null;
  try {
    assertApprovedForCommitment(entry.dealId, false);
  } catch (error) {
    const refused = error as KeelError;
    return new KeelError(refused.code, `${where}: ${refused.message}`, refused.details);
  }
  return null;
}

export function balancesOf(dealIds: string[], state: LedgerState): Map<string, DealBalances> {
  const byDeal = new Map<string, Partial<Record<EntryKind, bigint>>>(dealIds.map((id) => [id, {}]));
  for (const sum of state.sums) byDeal.get(sum.dealId)![sum.kind] = sum.total;
  return new Map(
    dealIds.map((id) => [id, balancesFromSums(byDeal.get(id)!, state.lastMarks.get(id) ?? null)]),
  );
}

export const alreadyRecorded = (where: string, key: string) =>
  new KeelError('duplicate_key', `${where}, field key: an entry with key "${key}" is already in the ledger`);

/** The cap rows the entries can draw on, in the order every writer locks them. */
export function capKeysForEntries(
  programme: Programme,
  entries: readonly LedgerEntryInput[],
  deals: Map<string, DealForEntries>,
): CapRowKey[] {
  const wanted = new Map<string, CapRowKey>();
  for (const entry of entries) {
    if (entry.kind !== 'commitment' && entry.kind !== 'cancellation') continue;
    for (const key of capKeysFor(programme, deals.get(entry.dealId)!))
      wanted.set(`${key.capId}\u0000${key.scopeKey}`, key);
  }
  return [...wanted.values()].sort(compareCapKeys);
}

/** Every cap row in `keys` locked (those the state read locked, and the missing ones created), by key. */
export async function lockCapRowsFor(
  tx: Transaction<Schema>,
  keys: readonly CapRowKey[],
  locked: readonly CapRowRecord[],
): Promise<Map<string, CapRow>> {
  const rows = await lockCapRows(tx, keys, locked);
  return new Map(rows.map((row) => [`${row.capId}\u0000${row.scopeKey}`, row]));
}

export function capExceeded(where: string, cap: Cap, row: CapRow, amount: bigint): KeelError {
  const headroom = row.limit - row.used;
  const scope = row.scopeKey === '*' ? 'programme-wide' : `for ${row.scopeKey}`;
  return new KeelError(
    'cap_exceeded',
    `${where}: a commitment of ${formatDollars(amount)} would exceed the cap "${cap.label}" (${scope}): limit ${formatDollars(row.limit)}, used ${formatDollars(row.used)}, headroom ${formatDollars(headroom > 0n ? headroom : 0n)}`,
    { capId: cap.id, scopeKey: row.scopeKey, limit: row.limit.toString(), used: row.used.toString() },
  );
}

export async function insertEntries(
  tx: Transaction<Schema>,
  actor: Actor,
  entries: LedgerEntryInput[],
  options: BatchOptions,
  alongsideLast: readonly RawBuilder<unknown>[],
): Promise<LedgerRowsRecord> {
  const digest = new LedgerRowsDigest();
  for (const { items, end } of chunks(entries, INSERT_CHUNK)) {
    options.signal?.throwIfAborted();
    const last = end === entries.length;
    const seqOf = await insertLedgerEntries(tx, actor.id, items, last ? alongsideLast : []);
    // The stored text of every other column is what was sent (the same text verify reads back with
    // LEDGER_ROW_COLUMNS), so only the sequence numbers travel back.
    digest.add(
      items.map((item) => ({
        seq: seqOf.get(item.clientKey)!,
        client_key: item.clientKey,
        deal_id: item.dealId,
        kind: item.kind,
        amount_cents: item.amount,
        effective_on: item.effectiveOn,
        note: item.note ?? null,
        recorded_by: actor.id,
      })),
    );
    options.onProgress?.(end, entries.length);
  }
  return digest.finish();
}

/** How this batch's commitments and cancellations move the summary's net-commitment totals, in key order. */
export function commitmentTotalDeltas(
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
