/**
 * Ledger writes. One function records a batch of entries all or none; a single write is a batch of one.
 * Inside one transaction it locks the deals (balances cannot move under it), locks the cap rows the batch
 * draws on with SELECT … FOR UPDATE in key order (no interleaving can overspend, no deadlock between
 * writers), folds every entry through the domain's rules, then inserts and moves the commitment totals the
 * summary reads. Lock order for every write: idempotency key → programme version (shared) → deals (by id)
 * → cap rows (by cap, scope) → commitment totals (by key) → audit head.
 */

import { sql, type Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { inTextArray } from '../db/sql-helpers.ts';
import { assertApprovedForCommitment } from '../domain/committee.ts';
import type { LedgerEntryInput } from '../domain/deal.ts';
import { invariant, KeelError } from '../domain/errors.ts';
import type { Instrument } from '../domain/instruments.ts';
import {
  applyEntry,
  balancesFromSums,
  capDelta,
  type DealBalances,
  type DealForLedger,
  type EntryKind,
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
import { FUNDABLE_STAGES, type Stage } from '../domain/stages.ts';
import { type BatchOptions, chunks, entryLabel, firstDuplicate } from './batch.ts';
import { approvedInCurrentCycle } from './committee-cycles.ts';
import type { Actor, AppContext } from './context.ts';
import { lockCurrentProgramme } from './programme.ts';
import { runWrite } from './write.ts';
import type { WriteKey } from './write-key.ts';

const CHUNK = 5_000;

export interface LedgerBatchResult {
  recorded: number;
  firstSeq: bigint | null;
  lastSeq: bigint | null;
}

interface LockedDeal extends DealForLedger {
  subAreaId: string;
  companyId: string;
  classification: string;
}

interface CapRow {
  capId: string;
  scopeKey: string;
  limit: bigint;
  used: bigint;
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
  const programme = await lockCurrentProgramme(tx);
  const deals = await lockDeals(tx, entries, label);
  const balances = await readBalances(tx, [...deals.keys()]);
  await refuseRecordedKeys(tx, clientKeys, label);

  const caps = new Map(programme.caps.map((cap) => [cap.id, cap]));
  const capRows = await lockCapRows(tx, programme, entries, deals);
  entries.forEach((entry, index) => {
    const deal = deals.get(entry.dealId)!;
    try {
      balances.set(
        deal.id,
        applyEntry(deal, balances.get(deal.id)!, { kind: entry.kind, amount: entry.amount as Cents }),
      );
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

  const stored = await insertEntries(tx, actor, entries, options);
  await saveCapRows(tx, [...capRows.values()]);
  await addToCommitmentTotals(tx, entries, deals);
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
  const ids = [...new Set(entries.map((e) => e.dealId))].sort();
  const rows = await tx
    .selectFrom('deals')
    .select(['id', 'stage', 'instrument', 'sub_area_id', 'company_id', 'classification'])
    .select(approvedInCurrentCycle.as('approved'))
    .where(inTextArray('id', ids))
    .orderBy('id')
    .forUpdate()
    .execute();
  const deals = new Map<string, LockedDeal>(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        stage: row.stage as Stage,
        instrument: row.instrument as Instrument,
        subAreaId: row.sub_area_id,
        companyId: row.company_id,
        classification: row.classification,
      },
    ]),
  );
  const missing = entries.findIndex((e) => !deals.has(e.dealId));
  if (missing >= 0)
    throw new KeelError(
      'unknown_deal',
      `${label(missing)}, field deal_id: no deal "${entries[missing]!.dealId}"`,
    );
  // The committee is the only door: a commitment needs an approval of the deal's current committee cycle.
  // (A deal not yet in a fundable stage is refused by the ledger rules, with their own message.)
  const unapproved = new Set(rows.filter((row) => !row.approved).map((row) => row.id));
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

async function readBalances(tx: Transaction<Schema>, dealIds: string[]): Promise<Map<string, DealBalances>> {
  const sums = await sql<{ deal_id: string; kind: EntryKind; total: bigint }>`
    SELECT deal_id, kind, sum(amount_cents)::bigint AS total
    FROM ledger_entries WHERE deal_id = ANY(${dealIds}::text[]) AND kind <> 'valuation'
    GROUP BY deal_id, kind`.execute(tx);
  const marks = await sql<{ deal_id: string; amount_cents: bigint }>`
    SELECT DISTINCT ON (deal_id) deal_id, amount_cents
    FROM ledger_entries WHERE deal_id = ANY(${dealIds}::text[]) AND kind = 'valuation'
    ORDER BY deal_id, seq DESC`.execute(tx);
  const byDeal = new Map<string, Partial<Record<EntryKind, bigint>>>(dealIds.map((id) => [id, {}]));
  for (const row of sums.rows) byDeal.get(row.deal_id)![row.kind] = row.total;
  const lastMark = new Map(marks.rows.map((row) => [row.deal_id, row.amount_cents]));
  return new Map(dealIds.map((id) => [id, balancesFromSums(byDeal.get(id)!, lastMark.get(id) ?? null)]));
}

/**
 * An entry's key is a business identifier, unique across the whole ledger (not per principal): the same
 * payment keyed twice, by anyone, must not be booked twice. Everyone who can record entries can read them
 * all, so the refusal tells them nothing new; it still names only the caller's own key, never the entry's
 * recorder, deal or amount.
 */
async function refuseRecordedKeys(
  tx: Transaction<Schema>,
  clientKeys: string[],
  label: (i: number) => string,
) {
  const taken = await tx
    .selectFrom('ledger_entries')
    .select('client_key')
    .where(inTextArray('client_key', clientKeys))
    .limit(1)
    .executeTakeFirst();
  if (taken) {
    const index = clientKeys.indexOf(taken.client_key);
    throw new KeelError(
      'duplicate_key',
      `${label(index)}, field key: an entry with key "${taken.client_key}" is already in the ledger`,
    );
  }
}

/** Creates missing cap rows, then locks every row the batch can touch, in key order. */
async function lockCapRows(
  tx: Transaction<Schema>,
  programme: Programme,
  entries: LedgerEntryInput[],
  deals: Map<string, LockedDeal>,
): Promise<Map<string, CapRow>> {
  const wanted = new Map<string, { capId: string; scopeKey: string; limit: bigint }>();
  for (const entry of entries) {
    if (entry.kind !== 'commitment' && entry.kind !== 'cancellation') continue;
    for (const key of capKeysFor(programme, deals.get(entry.dealId)!))
      wanted.set(`${key.capId}\u0000${key.scopeKey}`, key);
  }
  const keys = [...wanted.values()].sort(compareCapKeys);
  if (!keys.length) return new Map();
  await sql`
    INSERT INTO cap_usage (cap_id, scope_key, limit_cents)
    SELECT * FROM unnest(${keys.map((k) => k.capId)}::text[], ${keys.map((k) => k.scopeKey)}::text[], ${keys.map((k) => k.limit.toString())}::bigint[])
    ON CONFLICT (cap_id, scope_key) DO NOTHING`.execute(tx);
  const rows = await sql<{ cap_id: string; scope_key: string; limit_cents: bigint; used_cents: bigint }>`
    SELECT c.cap_id, c.scope_key, c.limit_cents, c.used_cents
    FROM cap_usage c
    JOIN unnest(${keys.map((k) => k.capId)}::text[], ${keys.map((k) => k.scopeKey)}::text[]) AS k(cap_id, scope_key)
      ON c.cap_id = k.cap_id AND c.scope_key = k.scope_key
    ORDER BY c.cap_id, c.scope_key
    FOR UPDATE OF c`.execute(tx);
  invariant(rows.rows.length === keys.length, 'every cap row the batch needs exists and is locked');
  return new Map(
    rows.rows.map((r) => [
      `${r.cap_id}\u0000${r.scope_key}`,
      { capId: r.cap_id, scopeKey: r.scope_key, limit: r.limit_cents, used: r.used_cents },
    ]),
  );
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
) {
  const stored: StoredLedgerRow[] = [];
  for (const { items, end } of chunks(entries, CHUNK)) {
    options.signal?.throwIfAborted();
    const { rows } = await sql<{ seq: bigint; client_key: string }>`
      INSERT INTO ledger_entries (client_key, deal_id, kind, amount_cents, effective_on, note, recorded_by)
      SELECT k, d, kd, a, e::date, n, ${actor.id}
      FROM unnest(
        ${items.map((x) => x.clientKey)}::text[], ${items.map((x) => x.dealId)}::text[], ${items.map((x) => x.kind)}::text[],
        ${items.map((x) => x.amount.toString())}::bigint[], ${items.map((x) => x.effectiveOn)}::text[], ${items.map((x) => x.note ?? null)}::text[]
      ) WITH ORDINALITY AS t(k, d, kd, a, e, n, ord)
      ORDER BY ord
      RETURNING seq, client_key`.execute(tx);
    invariant(rows.length === items.length, 'every entry of a chunk is inserted');
    // The stored text of every other column is what was sent (the same text verify reads back with
    // LEDGER_ROW_COLUMNS), so only the sequence numbers travel back.
    const seqOf = new Map(rows.map((row) => [row.client_key, row.seq]));
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

async function saveCapRows(tx: Transaction<Schema>, rows: CapRow[]) {
  if (!rows.length) return;
  await sql`
    UPDATE cap_usage c SET used_cents = v.used
    FROM unnest(${rows.map((r) => r.capId)}::text[], ${rows.map((r) => r.scopeKey)}::text[], ${rows.map((r) => r.used.toString())}::bigint[])
      AS v(cap_id, scope_key, used)
    WHERE c.cap_id = v.cap_id AND c.scope_key = v.scope_key`.execute(tx);
}

/** Moves the summary's net-commitment totals by this batch's commitments and cancellations, in key order. */
async function addToCommitmentTotals(
  tx: Transaction<Schema>,
  entries: LedgerEntryInput[],
  deals: Map<string, LockedDeal>,
) {
  const deltas = new Map<
    string,
    { instrument: string; classification: string; subAreaId: string; year: number; net: bigint }
  >();
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
  const rows = [...deltas.entries()].sort(([a], [b]) => compareCodeUnits(a, b)).map(([, v]) => v);
  if (!rows.length) return;
  await sql`
    INSERT INTO commitment_totals (instrument, classification, sub_area_id, year, net_cents)
    SELECT i, c, s, y, n FROM unnest(
      ${rows.map((r) => r.instrument)}::text[], ${rows.map((r) => r.classification)}::text[], ${rows.map((r) => r.subAreaId)}::text[],
      ${rows.map((r) => r.year)}::int[], ${rows.map((r) => r.net.toString())}::bigint[]
    ) WITH ORDINALITY AS t(i, c, s, y, n, ord)
    ORDER BY ord
    ON CONFLICT (instrument, classification, sub_area_id, year)
    DO UPDATE SET net_cents = commitment_totals.net_cents + EXCLUDED.net_cents`.execute(tx);
}
