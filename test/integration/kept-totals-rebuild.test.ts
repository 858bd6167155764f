/**
 * The kept tables rebuilt from the ledger (`rebuildKeptTotals`, the repair after a bulk load) while writers
 * run: the rebuild waits for the writes in flight and holds off the next, so neither side deadlocks, and
 * the kept rows equal the ledger after. Found by an attack: the rebuild used to lock `commitment_totals` and
 * then `deal_balances`, while a write's one statement took them the other way round (PostgreSQL: `deadlock
 * detected` on every run). On PGlite the writers queue on its one connection, so this shows the result only.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordLedgerEntries, recordLedgerEntry } from '../../src/app/ledger.ts';
import { commitmentTotalsMismatches, rebuildKeptTotals } from '../../src/app/summary.ts';
import { firstDealBalanceMismatch } from '../../src/db/ledger-repo.ts';
import { KeelError } from '../../src/domain/errors.ts';
import { seededRandom } from '../../src/domain/synthetic.ts';
import { alice, testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { entry, seedDeals } from './fixtures.ts';

describeOnBackends('kept totals rebuilt beside live writers', (backend) => {
  let keel: TestKeel;
  let deals: string[];
  beforeAll(async () => {
    keel = await freshKeel(backend, { poolSize: 16 });
    deals = await seedDeals(keel, {
      prefix: 'kept',
      count: 6,
      instrument: 'direct_equity',
      subAreaId: 'robotics',
    });
    // Committed and drawn, so that most of the writes below pass the rules (what is tested is the locking).
    await recordLedgerEntries(
      keel,
      alice,
      'kept-base',
      deals.flatMap((deal) => [
        entry(`${deal}-c`, deal, 'commitment', 10_000_000_00n),
        entry(`${deal}-d`, deal, 'draw', 1_000_000_00n),
      ]),
    );
  }, 120_000);
  afterAll(() => keel.close());

  it('completes among 120 writes (singles and batches), twice at once, with nothing to repair after', async () => {
    const random = seededRandom(8);
    const kinds = ['commitment', 'draw', 'repayment', 'cancellation', 'valuation', 'distribution'] as const;
    const tasks: Array<() => Promise<unknown>> = [];
    for (let i = 0; i < 120; i++) {
      const deal = deals[Math.floor(random() * deals.length)]!;
      const kind = kinds[Math.floor(random() * kinds.length)]!;
      const amount = BigInt(1 + Math.floor(random() * 50_000)) * 100n;
      if (i === 40 || i === 80) tasks.push(() => rebuildKeptTotals(keel, testAdmin));
      else if (i % 10 === 5)
        tasks.push(() =>
          recordLedgerEntries(
            keel,
            alice,
            `kept-batch-${i}`,
            Array.from({ length: 20 }, (_, j) =>
              entry(
                `kept-${i}-${j}`,
                deals[(i + j) % deals.length]!,
                j % 2 ? 'commitment' : 'valuation',
                100_00n,
              ),
            ),
          ),
        );
      else tasks.push(() => recordLedgerEntry(keel, alice, entry(`kept-${i}`, deal, kind, amount)));
    }
    const outcomes = await Promise.allSettled(tasks.map((task) => task()));
    // Refusals by the rules (a draw beyond the commitment) are expected; a database error is not.
    const failures = outcomes.flatMap((o, i) =>
      o.status === 'rejected' && !(o.reason instanceof KeelError) ? [`#${i}: ${String(o.reason)}`] : [],
    );
    expect(failures).toEqual([]);
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThan(90);
    expect(await firstDealBalanceMismatch(keel.database.db)).toBeUndefined();
    expect(await commitmentTotalsMismatches(keel)).toEqual([]);
  }, 180_000);
});
