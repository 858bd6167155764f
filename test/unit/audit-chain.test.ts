import { describe, expect, it } from 'vitest';
import { type AuditRow, chainHash, findChainFault, GENESIS_HASH } from '../../src/domain/audit-chain.ts';
import { canonicalJson, parseCanonicalJson } from '../../src/domain/canonical-json.ts';

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1n; i <= BigInt(n); i++) {
    const body = canonicalJson({ action: 'x', i });
    const hash = chainHash(prev, i, body);
    rows.push({ seq: i, prevHash: prev, hash, body });
    prev = hash;
  }
  return rows;
}
const start = { seq: 0n, hash: GENESIS_HASH };

describe('audit hash chain', () => {
  it('accepts an intact chain', () => {
    expect(findChainFault(chain(50), start)).toBeNull();
  });

  it('names an altered row', () => {
    const rows = chain(10);
    rows[6] = { ...rows[6]!, body: rows[6]!.body.replace('"x"', '"y"') };
    expect(findChainFault(rows, start)).toEqual({
      seq: 7n,
      reason: expect.stringMatching(/row 7 was altered/),
    });
  });

  it('names a deleted row', () => {
    const rows = chain(10);
    rows.splice(3, 1);
    expect(findChainFault(rows, start)?.seq).toBe(4n);
  });

  it('names a row whose hash was recomputed but whose link was not', () => {
    const rows = chain(10);
    const body = canonicalJson({ action: 'forged' });
    rows[4] = { ...rows[4]!, body, hash: chainHash(rows[4]!.prevHash, 5n, body) };
    expect(findChainFault(rows, start)?.seq).toBe(6n);
  });

  it('canonical JSON sorts keys and keeps bigints', () => {
    expect(canonicalJson({ b: 1, a: 2n })).toBe('{"a":{"$bigint":"2"},"b":1}');
    expect(parseCanonicalJson<{ a: bigint }>(canonicalJson({ a: 2n ** 70n })).a).toBe(2n ** 70n);
  });
});
