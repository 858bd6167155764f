import { describe, expect, it } from 'vitest';
import { fingerprintOf, writeKeyOf } from '../../src/app/write.ts';
import { alice } from '../principals.ts';

describe('a write request fingerprint', () => {
  it('is the same hash whether a long list is hashed at once or an item at a time', async () => {
    const request = Array.from({ length: 4_321 }, (_, i) => ({
      clientKey: `k-${i}`,
      amount: BigInt(i) * 100n,
      note: i % 3 === 0 ? undefined : `n "${i}"`,
      nested: { b: i, a: [i, null] },
    }));
    for (const list of [request, request.slice(0, 10), []]) {
      const { stored, fingerprint } = writeKeyOf({
        actor: alice,
        action: 'ledger.record',
        key: 'key-1',
        request: list,
      });
      expect(await fingerprintOf(stored.owner, 'ledger.record', list)).toBe(fingerprint);
    }
    const other = writeKeyOf({
      actor: alice,
      action: 'ledger.record',
      key: 'key-1',
      request: request.slice(1),
    });
    expect(await fingerprintOf(other.stored.owner, 'ledger.record', request)).not.toBe(other.fingerprint);
  });
});
