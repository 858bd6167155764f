/**
 * Concurrent ledger writers may interleave sequence numbers (a batch's rows need not be contiguous): each
 * write's audit entry records its rows as runs, and an untouched book still verifies.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit.ts';
import { recordLedgerEntries } from '../../src/app/ledger.ts';
import { alice, testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { entry, seedDeals } from './fixtures.ts';

describeOnBackends('audit verify after concurrent ledger writers', (backend) => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel(backend, { poolSize: 8 });
  }, 120_000);
  afterAll(() => keel.close());

  it('verifies every row of 8 concurrent batches against its own audit entry', async () => {
    const deals = await seedDeals(keel, { prefix: 'conc', count: 8 });
    await Promise.all(
      deals.map((deal, w) =>
        recordLedgerEntries(
          keel,
          alice,
          `conc-${w}`,
          Array.from({ length: 300 }, (_, i) =>
            entry(`conc-${w}-${i}`, deal, 'commitment', 1_000n + BigInt(i)),
          ),
        ),
      ),
    );
    const verdict = await verifyAudit(keel, testAdmin);
    expect(
      verdict,
      JSON.stringify(verdict, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)),
    ).toMatchObject({
      ok: true,
    });
  });
});
