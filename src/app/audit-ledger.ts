/**
 * The pair assertion between the ledger and the audit chain: every ledger row was recorded by exactly one
 * audited write, and is still what that write stored. Run after the chain itself has verified (so the audit
 * entries can be trusted), it names the first ledger row that was edited, deleted (a TRUNCATE shows as the
 * whole table gone) or inserted outside Keel.
 */
import type { Kysely } from 'kysely';
import { readLedgerPage } from '../db/ledger-rows.ts';
import type { Schema } from '../db/schema.ts';
import type { AuditRow } from '../domain/audit-chain.ts';
import { parseCanonicalJson } from '../domain/canonical-json.ts';
import type { LedgerEntryInput } from '../domain/deal.ts';
import { LedgerRowsCheck, type LedgerRowsRecord, type StoredLedgerRow } from '../domain/ledger-digest.ts';

const PAGE = 10_000;

export interface LedgerFault {
  table: 'ledger_entries';
  seq?: bigint;
  reason: string;
}

/** A stretch of ledger sequence numbers one audit entry vouches for. */
interface Segment {
  first: bigint;
  last: bigint;
  auditSeq: bigint;
  /** Absent for batches written before row digests (migration 0015): only their number is checked. */
  check?: LedgerRowsCheck;
  /** Next sequence number expected inside this segment (segments with row digests). */
  next: bigint;
  /** Batches before row digests: how many rows they wrote, and how many were found in their range. */
  legacy?: { count: number; found: number };
}

/**
 * Collects what the audit entries say about ledger rows while the chain is walked, then checks the ledger.
 */
export class LedgerClaims {
  private readonly segments: Segment[] = [];
  /** Single entries written before row digests: matched by client key. */
  private readonly legacySingles = new Map<string, { auditSeq: bigint; entry: LedgerEntryInput }>();
  private claimedRows = 0n;

  noteAuditRow(row: AuditRow): void {
    if (!row.body.includes('"ledgerRows"') && !row.body.includes('"ledger.record"')) return;
    const body = parseCanonicalJson<{ action: string; details: Record<string, unknown> }>(row.body);
    const details = body.details ?? {};
    const record = details.ledgerRows as LedgerRowsRecord | undefined;
    if (record) {
      const check = new LedgerRowsCheck(record);
      for (const [first, last] of record.runs)
        this.segments.push({ first, last, auditSeq: row.seq, check, next: first });
      this.claimedRows += BigInt(record.count);
    } else if (body.action === 'ledger.record' && details.entry) {
      const entry = details.entry as LedgerEntryInput;
      this.legacySingles.set(entry.clientKey, { auditSeq: row.seq, entry });
      this.claimedRows += 1n;
    } else if (body.action === 'ledger.record' && typeof details.firstSeq === 'bigint') {
      const first = details.firstSeq;
      const count = Number(details.count);
      this.segments.push({
        first,
        last: details.lastSeq as bigint,
        auditSeq: row.seq,
        next: first,
        legacy: { count, found: 0 },
      });
      this.claimedRows += BigInt(count);
    }
  }

  async check(db: Kysely<Schema>): Promise<LedgerFault | null> {
    const segments = this.segments.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    for (let i = 1; i < segments.length; i++) {
      const [a, b] = [segments[i - 1]!, segments[i]!];
      if (b.first <= a.last && a.check && b.check)
        return fault(
          b.first,
          `ledger row ${b.first} is claimed by two audit rows (${a.auditSeq} and ${b.auditSeq})`,
        );
    }
    let at = 0;
    let after = 0n;
    let present = 0n;
    let missing: LedgerFault | null = null;
    const noteMissing = (segment: Segment) => {
      if (missing) return;
      if (segment.legacy && segment.legacy.found < segment.legacy.count)
        missing = fault(
          segment.first,
          `${segment.legacy.count - segment.legacy.found} of the ${segment.legacy.count} ledger rows ${segment.first} to ${segment.last} written with audit row ${segment.auditSeq} are missing: they were deleted`,
        );
      else if (!segment.legacy && segment.next <= segment.last)
        missing = fault(
          segment.next,
          `ledger row ${segment.next} (written with audit row ${segment.auditSeq}) is missing: it was deleted`,
        );
    };
    for (;;) {
      const rows = await readLedgerPage(db, after, PAGE);
      for (const row of rows) {
        present++;
        while (at < segments.length && segments[at]!.last < row.seq) noteMissing(segments[at++]!);
        // Ranges of batches before row digests may hold rows of concurrent single writes: those are
        // matched by key first.
        const segment = findSegment(segments, at, row.seq);
        const problem =
          segment?.check || (segment && !this.legacySingles.has(row.client_key))
            ? this.checkInSegment(segment, row)
            : this.checkLegacySingle(row);
        if (problem) return problem;
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.seq;
    }
    while (at < segments.length) noteMissing(segments[at++]!);
    for (const [key, { auditSeq }] of this.legacySingles)
      missing ??= {
        table: 'ledger_entries',
        reason: `the ledger entry "${key}" (audit row ${auditSeq}) is missing: it was deleted`,
      };
    if (present === 0n && this.claimedRows > 0n)
      return {
        table: 'ledger_entries',
        reason: `table ledger_entries is empty but the audit chain records ${this.claimedRows} row(s): it was truncated`,
      };
    return missing;
  }

  private checkInSegment(segment: Segment, row: StoredLedgerRow): LedgerFault | null {
    if (segment.legacy) {
      segment.legacy.found++;
      return null;
    }
    if (row.seq > segment.next)
      return fault(
        segment.next,
        `ledger row ${segment.next} (written with audit row ${segment.auditSeq}) is missing: it was deleted`,
      );
    segment.next = row.seq + 1n;
    const changed = segment.check!.add(row);
    if (changed)
      return fault(
        row.seq,
        `ledger row ${row.seq} (key "${row.client_key}") was changed after it was written: ${changed} (audit row ${segment.auditSeq})`,
      );
    if (segment.check!.complete) {
      const off = segment.check!.finish();
      if (off)
        return fault(
          row.seq,
          `ledger rows of audit row ${segment.auditSeq} (up to row ${row.seq}) were changed: ${off}`,
        );
    }
    return null;
  }

  private checkLegacySingle(row: StoredLedgerRow): LedgerFault | null {
    const claim = this.legacySingles.get(row.client_key);
    if (!claim)
      return fault(
        row.seq,
        `ledger row ${row.seq} (key "${row.client_key}") is not in the audit chain: it was inserted outside Keel`,
      );
    this.legacySingles.delete(row.client_key);
    const e = claim.entry;
    const same =
      e.dealId === row.deal_id &&
      e.kind === row.kind &&
      BigInt(e.amount) === row.amount_cents &&
      e.effectiveOn === row.effective_on &&
      (e.note ?? null) === row.note;
    return same
      ? null
      : fault(
          row.seq,
          `ledger row ${row.seq} (key "${row.client_key}") was changed after it was written: it differs from audit row ${claim.auditSeq}`,
        );
  }
}

/**
 * The segment holding `seq`, looking from `from` on (segments are sorted by first row): one with row digests
 * if any, else a legacy batch range.
 */
function findSegment(segments: Segment[], from: number, seq: bigint): Segment | undefined {
  let legacy: Segment | undefined;
  for (let i = from; i < segments.length && segments[i]!.first <= seq; i++) {
    const s = segments[i]!;
    if (seq > s.last) continue;
    if (s.check) return s;
    legacy ??= s;
  }
  return legacy;
}

const fault = (seq: bigint, reason: string): LedgerFault => ({ table: 'ledger_entries', seq, reason });
