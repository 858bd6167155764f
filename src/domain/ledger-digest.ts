/**
 * What a ledger write tells the audit chain about the rows it stored, so that `keel audit verify` can check
 * every ledger row against its audit entry. Each row has one text form (its fields in a fixed order); the
 * audit entry keeps the sequence numbers of the rows (as runs), a SHA-256 over all their lines, and a short
 * tag per row (32 bits, TAG_CHARS hex digits). The digest is what an attacker cannot match; the tags only say which row changed, so that a
 * 5,000-row batch names its edited row instead of the whole batch.
 */
import { createHash } from 'node:crypto';

export interface StoredLedgerRow {
  seq: bigint;
  client_key: string;
  deal_id: string;
  kind: string;
  amount_cents: bigint;
  effective_on: string;
  note: string | null;
  recorded_by: string;
}

/** The audit entry's account of a write's ledger rows: `details.ledgerRows` in the audit body. */
export interface LedgerRowsRecord {
  /** Inclusive [first, last] sequence runs, ascending (concurrent writers may interleave sequence numbers). */
  runs: Array<[bigint, bigint]>;
  count: number;
  /** SHA-256 (hex) over the rows' lines in sequence order, each line ending in a newline. */
  sha256: string;
  /** TAG_CHARS hex characters per row, in sequence order. */
  tags: string;
}

export const TAG_CHARS = 8;

export function ledgerRowLine(row: StoredLedgerRow): string {
  return JSON.stringify([
    row.seq.toString(),
    row.client_key,
    row.deal_id,
    row.kind,
    row.amount_cents.toString(),
    row.effective_on,
    row.note,
    row.recorded_by,
  ]);
}

/**
 * A row's tag: 32-bit FNV-1a over its line, in hex. It only points at the changed row (an attacker can match
 * a tag, never the digest over all rows), so it is cheap rather than cryptographic: a write pays for one
 * SHA-256 per batch, not one per row.
 */
export function ledgerRowTag(line: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < line.length; i++) {
    hash ^= line.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(TAG_CHARS, '0');
}

/** Describes rows as stored (any order) for the audit entry. */
export function describeLedgerRows(rows: readonly StoredLedgerRow[]): LedgerRowsRecord {
  const ascending = rows.every((row, i) => i === 0 || rows[i - 1]!.seq < row.seq);
  const sorted = ascending ? rows : [...rows].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  const lines = sorted.map(ledgerRowLine);
  return {
    runs: runsOf(sorted.map((r) => r.seq)),
    count: sorted.length,
    sha256: createHash('sha256')
      .update(lines.length ? `${lines.join('\n')}\n` : '')
      .digest('hex'),
    tags: lines.map(ledgerRowTag).join(''),
  };
}

/**
 * `describeLedgerRows` a chunk at a time, for a write that inserts its rows in chunks: each chunk is hashed
 * as it comes back, so a 150,000-row import never spends a second in one go describing them at the end.
 * Rows that come in ascending sequence order (a write's own chunks, one after another) are described as
 * they come; otherwise the description falls back to sorting them all at the end.
 */
export class LedgerRowsDigest {
  private readonly digest = createHash('sha256');
  private readonly rows: StoredLedgerRow[] = [];
  private readonly tags: string[] = [];
  private ascending = true;

  add(rows: readonly StoredLedgerRow[]): void {
    for (const row of rows) {
      const previous = this.rows[this.rows.length - 1];
      if (previous && previous.seq >= row.seq) this.ascending = false;
      this.rows.push(row);
      if (!this.ascending) continue;
      const line = ledgerRowLine(row);
      this.digest.update(`${line}\n`);
      this.tags.push(ledgerRowTag(line));
    }
  }

  finish(): LedgerRowsRecord {
    if (!this.ascending) return describeLedgerRows(this.rows);
    return {
      runs: runsOf(this.rows.map((r) => r.seq)),
      count: this.rows.length,
      sha256: this.digest.digest('hex'),
      tags: this.tags.join(''),
    };
  }
}

/** Ascending sequence numbers as inclusive runs: 1,2,3,7 → [1,3],[7,7]. */
export function runsOf(ascending: readonly bigint[]): Array<[bigint, bigint]> {
  const runs: Array<[bigint, bigint]> = [];
  for (const seq of ascending) {
    const last = runs[runs.length - 1];
    if (last && seq === last[1] + 1n) last[1] = seq;
    else runs.push([seq, seq]);
  }
  return runs;
}

/**
 * Checks one audit entry's rows as they are read back, in sequence order, one row at a time. `add` returns
 * a reason when the row's tag differs; `finish` returns a reason when the whole set does not match.
 */
export class LedgerRowsCheck {
  private readonly digest = createHash('sha256');
  private seen = 0;

  constructor(readonly record: LedgerRowsRecord) {}

  get complete(): boolean {
    return this.seen === this.record.count;
  }

  add(row: StoredLedgerRow): string | null {
    const line = ledgerRowLine(row);
    this.digest.update(`${line}\n`);
    const expected = this.record.tags.slice(this.seen * TAG_CHARS, (this.seen + 1) * TAG_CHARS);
    this.seen++;
    return ledgerRowTag(line) === expected ? null : 'it differs from what its write recorded';
  }

  finish(): string | null {
    return this.digest.digest('hex') === this.record.sha256
      ? null
      : 'its rows do not match the digest their write recorded';
  }
}
