/**
 * The audit log is a hash chain: row n stores sha256(hash of row n-1, n, body of row n). Editing a body,
 * a hash or a sequence number, deleting a row, or inserting one breaks the chain from that row on, and
 * verification names the first row where it breaks. The chain's head (last sequence and hash) is kept
 * too, so cutting rows off the end is caught as well.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export function chainHash(previousHash: string, seq: bigint, body: string): string {
  return createHash('sha256').update(`${previousHash}\n${seq}\n${body}`).digest('hex');
}

export interface AuditRow {
  seq: bigint;
  prevHash: string;
  hash: string;
  body: string;
}

export type ChainFault = { seq: bigint; reason: string };

/**
 * Checks rows in sequence order, continuing from `previous` (the last row of an earlier page). Returns the
 * first fault, or null if this page is sound.
 */
export function findChainFault(
  rows: readonly AuditRow[],
  previous: { seq: bigint; hash: string },
): ChainFault | null {
  let expectedSeq = previous.seq + 1n;
  let expectedPrev = previous.hash;
  for (const row of rows) {
    if (row.seq !== expectedSeq) {
      return row.seq > expectedSeq
        ? { seq: expectedSeq, reason: `row ${expectedSeq} is missing (next row present is ${row.seq})` }
        : { seq: row.seq, reason: `row ${row.seq} is out of sequence` };
    }
    if (row.prevHash !== expectedPrev)
      return { seq: row.seq, reason: `row ${row.seq} does not link to row ${row.seq - 1n}` };
    if (chainHash(row.prevHash, row.seq, row.body) !== row.hash) {
      return { seq: row.seq, reason: `row ${row.seq} was altered: its hash does not match its contents` };
    }
    expectedSeq = row.seq + 1n;
    expectedPrev = row.hash;
  }
  return null;
}
