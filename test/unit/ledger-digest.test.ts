import { describe, expect, it } from 'vitest';
import {
  describeLedgerRows,
  LedgerRowsCheck,
  LedgerRowsDigest,
  runsOf,
  type StoredLedgerRow,
} from '../../src/domain/ledger-digest.ts';

const row = (seq: bigint, amount = 100n): StoredLedgerRow => ({
  seq,
  client_key: `k-${seq}`,
  deal_id: 'deal-a',
  kind: 'commitment',
  amount_cents: amount,
  effective_on: '2026-03-31',
  note: null,
  recorded_by: 'alice',
});

/** Feeds rows to a check in sequence order; returns the first reason given, or null. */
function check(record: ReturnType<typeof describeLedgerRows>, rows: StoredLedgerRow[]) {
  const c = new LedgerRowsCheck(record);
  for (const r of rows) {
    const problem = c.add(r);
    if (problem) return { seq: r.seq, problem };
  }
  return c.complete ? c.finish() : 'incomplete';
}

describe('ledger row digests', () => {
  it('turns interleaved sequence numbers into runs', () => {
    expect(runsOf([1n, 2n, 3n, 7n, 9n, 10n])).toEqual([
      [1n, 3n],
      [7n, 7n],
      [9n, 10n],
    ]);
    expect(runsOf([])).toEqual([]);
  });

  it('describes rows given in any order, and the same rows read back pass', () => {
    const rows = [row(5n), row(3n), row(4n), row(9n)];
    const record = describeLedgerRows(rows);
    expect(record).toMatchObject({
      count: 4,
      runs: [
        [3n, 5n],
        [9n, 9n],
      ],
    });
    expect(check(record, [row(3n), row(4n), row(5n), row(9n)])).toBeNull();
  });

  it('names the one changed row among 5,000, whatever field changed', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => row(BigInt(i + 1)));
    const record = describeLedgerRows(rows);
    for (const edit of [
      { amount_cents: 1n },
      { note: '' },
      { deal_id: 'deal-b' },
      { effective_on: '2026-04-01' },
    ]) {
      const edited = rows.map((r) => (r.seq === 2_345n ? { ...r, ...edit } : r));
      expect(check(record, edited)).toMatchObject({ seq: 2_345n });
    }
  });

  it('still refuses an edit whose row tag was made to collide: the digest covers every byte', () => {
    const rows = [row(1n), row(2n)];
    const record = describeLedgerRows(rows);
    const forgedTags = describeLedgerRows([row(1n), row(2n, 1n)]).tags;
    expect(check({ ...record, tags: forgedTags }, [row(1n), row(2n, 1n)])).toMatch(/digest/);
  });

  it('describes rows a chunk at a time as describeLedgerRows does at once, in order or not', () => {
    const chunked = (chunks: StoredLedgerRow[][]) => {
      const digest = new LedgerRowsDigest();
      for (const chunk of chunks) digest.add(chunk);
      return digest.finish();
    };
    const rows = [1n, 2n, 3n, 7n, 8n, 20n].map((seq) => row(seq, seq * 10n));
    expect(chunked([rows.slice(0, 2), rows.slice(2, 5), rows.slice(5)])).toEqual(describeLedgerRows(rows));
    const shuffled = [rows[3]!, rows[0]!, rows[5]!, rows[1]!, rows[4]!, rows[2]!];
    expect(chunked([shuffled.slice(0, 3), shuffled.slice(3)])).toEqual(describeLedgerRows(rows));
    expect(chunked([])).toEqual(describeLedgerRows([]));
  });
});
