/**
 * Ledger writes. One function records a batch of entries all or none; single writes that arrive together
 * are grouped, each checked and answered on its own (ledger-group.ts), with the same checks (ledger-fold.ts).
 * Inside one transaction it locks the deals (balances cannot move under it), locks the cap rows the batch
 * draws on with SELECT … FOR UPDATE in key order (no interleaving can overspend, no deadlock between
 * writers), folds every entry through the domain's rules, then inserts and moves the commitment totals the
 * summary reads. Lock order for every write: idempotency key → programme version (shared) → deals (by id)
 * → cap rows (by cap, scope) → commitment totals (by key) → audit head.
 */

import type { RawBuilder, Transaction } from 'kysely';
import { commitmentTotalsUpsert } from '../db/commitments-repo.ts';
import { type DealForEntries, lockForEntries, readLedgerState } from '../db/ledger-repo.ts';
import { capRowsUpdate } from '../db/programme-repo.ts';
import type { Schema } from '../db/schema.ts';
import type { LedgerEntryInput } from '../domain/deal.ts';
import { KeelError } from '../domain/errors.ts';
import { authorize } from '../domain/roles.ts';
import { type BatchOptions, entryLabel, firstDuplicate, turnsEvery } from './batch.ts';
import type { Actor, AppContext } from './context.ts';
import {
  alreadyRecorded,
  applyChecked,
  balancesOf,
  capKeysForEntries,
  commitmentTotalDeltas,
  type FoldState,
  insertEntries,
  lockCapRowsFor,
  unapprovedCommitment,
  unknownDeal,
} from './ledger-fold.ts';
import { recordInGroup } from './ledger-group.ts';
import { assertStillCurrent, lockedProgramme } from './programme.ts';
import { runWrite } from './write.ts';
import type { WriteKey } from './write-key.ts';

export interface LedgerBatchResult {
  recorded: number;
  firstSeq: bigint | null;
  lastSeq: bigint | null;
}

/** A single write: grouped with the single writes that arrive meanwhile (ledger-group.ts), answered alone. */
export async function recordLedgerEntry(ctx: AppContext, actor: Actor, entry: LedgerEntryInput) {
  return recordInGroup(ctx, actor, entry);
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
  const { locked, deals } = await lockDeals(tx, entries, label);
  const { programme } = locked;
  const capKeys = capKeysForEntries(programme, entries, deals);
  const state = await readLedgerState(tx, [...deals.keys()], clientKeys, capKeys);
  assertStillCurrent(locked, state.newestVersion);
  refuseRecordedKey(state.recordedKeys, clientKeys, label);
  const balances = balancesOf([...deals.keys()], state);

  const caps = new Map(programme.caps.map((cap) => [cap.id, cap]));
  const capRows = await lockCapRowsFor(tx, capKeys, state.lockedCaps);
  const folded: FoldState = { programme, caps, deals, balances, capRows };
  const turn = turnsEvery(10);
  for (const [index, entry] of entries.entries()) {
    await turn();
    applyChecked(folded, entry, label(index));
  }

  // The cap usage and the commitment totals are written by the statement that inserts the last entries.
  const alongside: RawBuilder<unknown>[] = [];
  if (capRows.size) alongside.push(capRowsUpdate([...capRows.values()]));
  const totals = commitmentTotalDeltas(entries, deals);
  if (totals.length) alongside.push(commitmentTotalsUpsert(totals));
  const ledgerRows = await insertEntries(tx, actor, entries, options, alongside);
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

/** The programme version (shared) and the deals, locked in one statement; refuses unknown and unapproved. */
async function lockDeals(tx: Transaction<Schema>, entries: LedgerEntryInput[], label: (i: number) => string) {
  const ids = [...new Set(entries.map((e) => e.dealId))];
  const { version, deals: rows } = await lockForEntries(tx, ids, {
    withApproval: entries.some((e) => e.kind === 'commitment'),
  });
  const locked = await lockedProgramme(tx, version);
  const deals = new Map<string, DealForEntries>(rows.map((row) => [row.id, row]));
  const missing = entries.findIndex((e) => !deals.has(e.dealId));
  if (missing >= 0) throw unknownDeal(label(missing), entries[missing]!.dealId);
  // The committee is the only door: a commitment needs an approval of the deal's current committee cycle.
  // (A deal not yet in a fundable stage is refused by the ledger rules, with their own message.)
  for (const [index, entry] of entries.entries()) {
    const refused = unapprovedCommitment(label(index), entry, deals.get(entry.dealId)!);
    if (refused) throw refused;
  }
  return { locked, deals };
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
