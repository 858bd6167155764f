import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { entry, seedDeals } from './fixtures.ts';

async function state(keel: TestKeel) {
  const { rows } = await sql<{ entries: bigint; sum: bigint; audit: bigint; keys: bigint }>`
    SELECT (SELECT count(*) FROM ledger_entries) AS entries,
           (SELECT coalesce(sum(amount_cents), 0)::bigint FROM ledger_entries) AS sum,
           (SELECT seq FROM audit_head) AS audit,
           (SELECT count(*) FROM idempotency_keys) AS keys`.execute(keel.database.db);
  const caps = await keel.database.db
    .selectFrom('cap_usage')
    .selectAll()
    .orderBy('cap_id')
    .orderBy('scope_key')
    .execute();
  return { ...rows[0]!, caps };
}

describeOnBackends('idempotency', (backend) => {
  let keel: TestKeel;
  let deals: string[];
  beforeAll(async () => {
    keel = await freshKeel(backend);
    deals = await seedDeals(keel, {
      prefix: 'idem',
      count: 10,
      instrument: 'direct_equity',
      subAreaId: 'robotics',
    });
  });
  afterAll(() => keel.close());

  it('replaying 1,000 writes with the same keys returns the first results and changes nothing', async () => {
    const writes = Array.from({ length: 1000 }, (_, i) =>
      entry(`idem-${i}`, deals[i % deals.length]!, 'commitment', BigInt(1 + i) * 100n),
    );
    const first = [];
    for (const w of writes) first.push((await recordLedgerEntry(keel, testAdmin, w)).result);
    const before = await state(keel);
    expect(before.entries).toBe(1000n);

    for (const [i, w] of writes.entries()) {
      const replay = await recordLedgerEntry(keel, testAdmin, w);
      expect(replay.replayed).toBe(true);
      expect(replay.result).toEqual(first[i]);
    }
    expect(await state(keel)).toEqual(before);
  });

  it('refuses the same key with a different request', async () => {
    await expect(
      recordLedgerEntry(keel, testAdmin, entry('idem-0', deals[0]!, 'commitment', 999n)),
    ).rejects.toThrow(/you already used idempotency key "idem-0" for a different ledger.record request/);
  });

  it('concurrent duplicates of one key write once', async () => {
    const w = entry('idem-race', deals[1]!, 'commitment', 12_345n);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => recordLedgerEntry(keel, testAdmin, w)),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const rows = await keel.database.db
      .selectFrom('ledger_entries')
      .select('seq')
      .where('client_key', '=', 'idem-race')
      .execute();
    expect(rows).toHaveLength(1);
  });
});
