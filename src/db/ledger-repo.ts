/**
 * The ledger's statements: the deals a write locks, the state its rules fold over, and the rows it appends.
 * Each function is one round trip; a write's latency is their count, so reads that belong to the same moment
 * share a statement (`readLedgerState`).
 */
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Classification, LedgerEntryInput } from '../domain/deal.ts';
import { invariant } from '../domain/errors.ts';
import type { Instrument } from '../domain/instruments.ts';
import type { EntryKind } from '../domain/ledger.ts';
import type { Stage } from '../domain/stages.ts';
import { latestCurrentCycleApproval } from './committee-repo.ts';
import { claimId, type KeyClaim } from './idempotency-repo.ts';
import { prepared } from './prepared.ts';
import { type CapRowKey, type CapRowRecord, lockedCapRowsQuery } from './programme-repo.ts';
import type { Schema } from './schema.ts';
import { anyOf, bigintOrNull } from './sql-helpers.ts';

export interface DealForEntries {
  id: string;
  stage: Stage;
  instrument: Instrument;
  subAreaId: string;
  companyId: string;
  classification: Classification;
  /** Approved in the deal's current committee cycle (the committee is the only door to a commitment); null when not asked. */
  approved: boolean | null;
  /** The amount that approval covers; null when not asked, without approval, or approved outside Keel. */
  approvedAmount: bigint | null;
}

/** The header of the programme version a write holds share-locked (its document is read once per hash). */
export interface LockedVersion {
  version: number;
  methodology_version: number;
  loaded_at: string;
  document_sha256: string;
}

export interface LockedForEntries {
  /** The newest programme version, share-locked; undefined before init. */
  version: LockedVersion | undefined;
  deals: DealForEntries[];
  /** The claims this statement took (`claimId`s); the others were already claimed. */
  claimed: Set<string>;
}

/**
 * A write's first locks in one statement, in the write's lock order: the idempotency keys of a group of
 * single writes (`claims`; a batch claims its key in runWrite), the newest programme version (shared: a
 * loader waits for the writes in flight, and they for it), then the deals the entries book against, in id
 * order (no two writers lock them in another order). The committee gate rides along when the entries commit
 * money. The ledger itself is read by the next statement, whose snapshot starts after these locks.
 */
export async function lockForEntries(
  tx: Transaction<Schema>,
  ids: readonly string[],
  { withApproval, claims = [] }: { withApproval: boolean; claims?: readonly KeyClaim[] },
): Promise<LockedForEntries> {
  // One deal (a single write) is matched by `=`, a text of its own, prepared: its generic plan is the
  // index lookup. A set stays unprepared (see prepared.ts).
  const sorted = [...ids].sort();
  const single = sorted.length === 1;
  const match = single ? sql`deals.id = ${sorted[0]}` : sql`deals.id = ANY(${sorted}::text[])`;
  const keys = [...claims].sort((x, y) => (claimId(x) < claimId(y) ? -1 : 1));
  const query = sql<{
    version: number;
    methodology_version: number;
    loaded_at: string;
    document_sha256: string;
    claimed_owners: string[] | null;
    claimed_keys: string[] | null;
    id: string | null;
    stage: Stage;
    instrument: Instrument;
    sub_area_id: string;
    company_id: string;
    classification: Classification;
    approved: boolean | null;
    approved_amount: string | null;
  }>`
    WITH claimed AS (
      INSERT INTO idempotency_keys (owner, key, action, request_sha256)
      SELECT owner, key, action, request_sha256 FROM unnest(${keys.map((c) => c.owner)}::text[], ${keys.map((c) => c.key)}::text[],
        ${keys.map((c) => c.action)}::text[], ${keys.map((c) => c.requestSha256)}::text[]) WITH ORDINALITY
        AS t(owner, key, action, request_sha256, ord)
      ORDER BY ord
      ON CONFLICT (owner, key) DO NOTHING
      RETURNING owner, key
    ), claims AS (
      SELECT array_agg(owner) AS claimed_owners, array_agg(key) AS claimed_keys FROM claimed
    ), newest AS (
      SELECT version, methodology_version, loaded_at, document_sha256 FROM programme_versions
      ORDER BY version DESC LIMIT 1 FOR SHARE
    ), locked AS (
      SELECT deals.id, deals.stage, deals.instrument, deals.sub_area_id, deals.company_id, deals.classification,
        ${withApproval ? sql`a.id IS NOT NULL` : sql`NULL::boolean`} AS approved,
        ${withApproval ? sql`a.approved_amount_cents::text` : sql`NULL::text`} AS approved_amount
      FROM deals ${withApproval ? sql`LEFT JOIN LATERAL ${latestCurrentCycleApproval} a ON true` : sql``}
      WHERE ${match}
      ORDER BY deals.id
      FOR UPDATE OF deals
    )
    SELECT newest.*, claims.*, locked.* FROM claims CROSS JOIN newest LEFT JOIN locked ON true
    ORDER BY locked.id`;
  const { rows } = await (single ? prepared(tx, query) : query).execute(tx);
  const first = rows[0];
  const owners = first?.claimed_owners ?? [];
  const claimedKeys = first?.claimed_keys ?? [];
  return {
    version: first && {
      version: first.version,
      methodology_version: first.methodology_version,
      loaded_at: first.loaded_at,
      document_sha256: first.document_sha256,
    },
    claimed: new Set(owners.map((owner, i) => claimId({ owner, key: claimedKeys[i]! }))),
    deals: rows
      .filter((row) => row.id !== null)
      .map((row) => ({
        id: row.id!,
        stage: row.stage,
        instrument: row.instrument,
        subAreaId: row.sub_area_id,
        companyId: row.company_id,
        classification: row.classification,
        approved: row.approved,
        approvedAmount: bigintOrNull(row.approved_amount),
      })),
  };
}

export interface LedgerState {
  /** Sum of amounts per deal and kind (valuations excluded: only the latest one counts). */
  sums: Array<{ dealId: string; kind: EntryKind; total: bigint }>;
  /** The latest valuation per deal. */
  lastMarks: Map<string, bigint>;
  /** The batch's entry keys already in the ledger. */
  recordedKeys: Set<string>;
  /**
   * The newest programme version this statement sees: a write that waited for a loader's lock compares it
   * with the version it locked (this statement starts after the lock was granted, so it sees the loader's).
   */
  newestVersion: number | null;
  /** The cap rows the read was asked to lock, as locked (fewer when some do not exist yet). */
  lockedCaps: CapRowRecord[];
}

/**
 * Everything a batch's rules need from the database, in one statement: the balances of its (locked) deals
 * (their kept rows, not a sum over their entries), which of its entry keys are already recorded, and the
 * newest programme version.
 */
export async function readLedgerState(
  tx: Transaction<Schema>,
  dealIds: readonly string[],
  clientKeys: readonly string[],
  /** The cap rows the write draws on, locked by the same statement (the deals are locked already). */
  capKeys: readonly CapRowKey[] = [],
): Promise<LedgerState> {
  // A single write (one deal, one key) has a text of its own, prepared; a batch's stays unprepared.
  const single = dealIds.length === 1 && clientKeys.length === 1;
  const ofDeals = single ? sql`deal_id = ${dealIds[0]}` : sql`deal_id = ANY(${[...dealIds]}::text[])`;
  const ofKeys = single
    ? sql`client_key = ${clientKeys[0]}`
    : sql`client_key = ANY(${[...clientKeys]}::text[])`;
  const query = sql<{
    part: 'sum' | 'mark' | 'key' | 'version' | 'cap';
    id: string;
    kind: string;
    amount: bigint;
    cap_limit: bigint | null;
  }>`
    WITH caps AS (${lockedCapRowsQuery(capKeys)})
    SELECT CASE WHEN kind = 'valuation' THEN 'mark' ELSE 'sum' END AS part, deal_id AS id, kind,
      total_cents AS amount, NULL::bigint AS cap_limit
    FROM deal_balances WHERE ${ofDeals}
    UNION ALL
    SELECT 'key', client_key, kind, NULL, NULL FROM ledger_entries WHERE ${ofKeys}
    UNION ALL
    SELECT 'version', NULL, NULL, max(version)::bigint, NULL FROM programme_versions
    UNION ALL
    SELECT 'cap', cap_id, scope_key, used_cents, limit_cents FROM caps`;
  const { rows } = await (single ? prepared(tx, query) : query).execute(tx);
  const state: LedgerState = {
    sums: [],
    lastMarks: new Map(),
    recordedKeys: new Set(),
    newestVersion: null,
    lockedCaps: [],
  };
  for (const row of rows) {
    if (row.part === 'sum')
      state.sums.push({ dealId: row.id, kind: row.kind as EntryKind, total: row.amount });
    else if (row.part === 'mark') state.lastMarks.set(row.id, row.amount);
    else if (row.part === 'key') state.recordedKeys.add(row.id);
    else if (row.part === 'cap')
      state.lockedCaps.push({
        cap_id: row.id,
        scope_key: row.kind,
        used_cents: row.amount,
        limit_cents: row.cap_limit!,
      });
    else state.newestVersion = row.amount === null ? null : Number(row.amount);
  }
  return state;
}

/** Insert size: one statement's arrays stay well under PostgreSQL's 1 GB parameter limit. */
export const INSERT_CHUNK = 5_000;

/**
 * Appends entries in the given order and returns each one's sequence number by its key. `alongside` are
 * statements that run in the same statement as the insert (data-modifying CTEs: one snapshot, one round
 * trip), such as the cap usage and the commitment totals the entries move.
 */
export async function insertLedgerEntries(
  tx: Transaction<Schema>,
  recordedBy: string | readonly string[],
  items: readonly LedgerEntryInput[],
  alongside: readonly RawBuilder<unknown>[] = [],
): Promise<Map<string, bigint>> {
  // One recorder for a batch, one per entry for a group of single writes: the statement's text is the same.
  const recorders = typeof recordedBy === 'string' ? items.map(() => recordedBy) : recordedBy;
  invariant(recorders.length === items.length, 'each entry has its recorder');
  invariant(items.length <= INSERT_CHUNK, `at most ${INSERT_CHUNK} entries per insert`);
  const also = alongside.map((statement, i) => sql`, ${sql.raw(`alongside_${i}`)} AS (${statement})`);
  const { rows } = await prepared(
    tx,
    sql<{ seq: bigint; client_key: string }>`
    WITH inserted AS (
      INSERT INTO ledger_entries (client_key, deal_id, kind, amount_cents, effective_on, note, recorded_by)
      SELECT k, d, kd, a, e::date, n, r
      FROM unnest(
        ${items.map((x) => x.clientKey)}::text[], ${items.map((x) => x.dealId)}::text[], ${items.map((x) => x.kind)}::text[],
        ${items.map((x) => x.amount.toString())}::bigint[], ${items.map((x) => x.effectiveOn)}::text[], ${items.map((x) => x.note ?? null)}::text[],
        ${[...recorders]}::text[]
      ) WITH ORDINALITY AS t(k, d, kd, a, e, n, r, ord)
      ORDER BY ord
      RETURNING seq, client_key, deal_id, kind, amount_cents
    ), balances AS (${dealBalancesUpsert})${sql.join(also, sql``)}
    SELECT seq, client_key FROM inserted`,
  ).execute(tx);
  invariant(rows.length === items.length, 'every entry of a chunk is inserted');
  return new Map(rows.map((row) => [row.client_key, row.seq]));
}

/**
 * The balance per deal and kind of some ledger rows (`source`: the ledger, or the rows a statement just
 * appended): a sum, or for valuations the newest mark by seq. Migration 0048 filled the table the same way.
 */
function balancesOfRows(source: RawBuilder<unknown>) {
  return sql`
  SELECT deal_id, kind,
    CASE WHEN kind = 'valuation' THEN (array_agg(amount_cents ORDER BY seq DESC))[1] ELSE sum(amount_cents)::bigint END
      AS total_cents,
    max(seq) AS last_seq
  FROM ${source} GROUP BY deal_id, kind`;
}

/**
 * Moves the kept balances (migration 0048) by the rows of `inserted`, in the statement that appends them: a
 * sum per deal and kind, for valuations the newest mark. The deals are locked by then, so no two writers
 * move one deal's rows at once; rows go in (deal, kind) order all the same.
 */
const dealBalancesUpsert = sql`
  INSERT INTO deal_balances (deal_id, kind, total_cents, last_seq)
  ${balancesOfRows(sql`inserted`)} ORDER BY deal_id, kind
  ON CONFLICT (deal_id, kind) DO UPDATE SET
    total_cents = CASE WHEN EXCLUDED.kind = 'valuation' THEN EXCLUDED.total_cents
                       ELSE deal_balances.total_cents + EXCLUDED.total_cents END,
    last_seq = EXCLUDED.last_seq`;

/** The kinds of entry the ledger holds for one deal (empty: the ledger does not reference it yet). */
export const dealEntryKinds = async (db: Kysely<Schema>, dealId: string): Promise<Set<EntryKind>> =>
  new Set(
    (
      await db.selectFrom('ledger_entries').select('kind').distinct().where('deal_id', '=', dealId).execute()
    ).map((r) => r.kind),
  );

/**
 * Sums per deal and kind (valuations excluded) for the deals named, to fold into balances with
 * `balancesFromSums`, the same way a write reads them.
 */
export async function dealKindSums(
  db: Kysely<Schema>,
  dealIds: readonly string[],
): Promise<Map<string, Partial<Record<EntryKind, bigint>>>> {
  const byDeal = new Map<string, Partial<Record<EntryKind, bigint>>>(dealIds.map((id) => [id, {}]));
  if (dealIds.length === 0) return byDeal;
  const rows = await db
    .selectFrom('deal_balances')
    .select(['deal_id', 'kind', 'total_cents'])
    .where('deal_id', '=', anyOf(dealIds))
    .where('kind', '<>', 'valuation')
    .execute();
  for (const row of rows) byDeal.get(row.deal_id)![row.kind] = BigInt(row.total_cents);
  return byDeal;
}

/** The deals' repayments and distributions (a loan's principal and its interest and fees received), in order. */
export const dealRepayments = (db: Kysely<Schema>, dealIds: readonly string[]) =>
  dealIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('ledger_entries')
        .select(['deal_id', 'kind', 'effective_on', 'amount_cents'])
        .where('deal_id', '=', anyOf(dealIds))
        .where('kind', 'in', ['repayment', 'distribution'])
        .orderBy('seq')
        .execute();

/** Each deal's balances as the ledger gives them: the rows `deal_balances` must equal. */
const balancesFromLedger = balancesOfRows(sql`ledger_entries`);

/**
 * Holds off the ledger's writers until the caller's transaction ends; reads go on. Every write that moves the
 * ledger or a table kept beside it locks its deals first (`FOR UPDATE`, a ROW SHARE lock on `deals`), so this
 * waits for the writes in flight and stops the next ones before they touch anything kept. A rebuild that
 * locked a kept table first deadlocked with a write that already held another kept table.
 */
export async function holdLedgerWriters(tx: Transaction<Schema>): Promise<void> {
  await sql`LOCK TABLE deals IN EXCLUSIVE MODE`.execute(tx);
}

/** Recomputes the kept balances from the ledger (after a bulk load that bypassed the use cases, or a repair). */
export async function replaceDealBalances(tx: Transaction<Schema>): Promise<void> {
  await sql`LOCK TABLE deal_balances IN EXCLUSIVE MODE`.execute(tx);
  await tx.deleteFrom('deal_balances').execute();
  await sql`INSERT INTO deal_balances (deal_id, kind, total_cents, last_seq) ${balancesFromLedger}`.execute(
    tx,
  );
}

/** The first kept balance that differs from the ledger (a row edited, or a ledger edit it did not follow). */
export async function firstDealBalanceMismatch(
  db: Kysely<Schema>,
): Promise<{ dealId: string; kind: EntryKind; kept: bigint; ledger: bigint } | undefined> {
  const { rows } = await sql<{
    deal_id: string;
    kind: EntryKind;
    kept: string | null;
    ledger: string | null;
  }>`
    SELECT coalesce(k.deal_id, l.deal_id) AS deal_id, coalesce(k.kind, l.kind) AS kind,
      k.total_cents::text AS kept, l.total_cents::text AS ledger
    FROM deal_balances k FULL JOIN (${balancesFromLedger}) l ON l.deal_id = k.deal_id AND l.kind = k.kind
    WHERE k.total_cents IS DISTINCT FROM l.total_cents
    ORDER BY 1, 2 LIMIT 1`.execute(db);
  const row = rows[0];
  return (
    row && {
      dealId: row.deal_id,
      kind: row.kind,
      kept: BigInt(row.kept ?? 0),
      ledger: BigInt(row.ledger ?? 0),
    }
  );
}
