/**
 * 64 concurrent writers race for the last headroom of the $10B equity+VC cap, 100 rounds. The cap must never
 * be exceeded, and every write the ledger acknowledged must be in it. On PostgreSQL the writers share a real
 * pool of 32 connections, so their transactions truly interleave; on PGlite they queue on its one connection.
 */

import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordLedgerEntries, recordLedgerEntry } from '../../src/app/ledger.ts';
import { commitmentTotalsMismatches } from '../../src/app/summary.ts';
import { firstDealBalanceMismatch } from '../../src/db/ledger-repo.ts';
import { KeelError } from '../../src/domain/errors.ts';
import { seededRandom } from '../../src/domain/synthetic.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { entry, seedDeals } from './fixtures.ts';

const WRITERS = 64;
const ROUNDS = 100;
const CAP = 10_000_000_000_00n; // $10B in cents
const HEADROOM = 100_000_00n; // each round fights over the last $100,000

describeOnBackends('equity cap under concurrency', (backend) => {
  let keel: TestKeel;
  let writers: string[];
  beforeAll(async () => {
    keel = await freshKeel(backend, { poolSize: 32 });
    // Per-sub-area and per-company caps are $2B and $0.5B: spread the base over 25 companies in 5 sub-areas
    // so only the programme-wide $10B cap binds.
    const subAreas = ['critical-minerals', 'shipbuilding', 'nanomaterials', 'robotics', 'advanced-materials'];
    const base: string[] = [];
    for (const [i, subAreaId] of subAreas.entries()) {
      base.push(
        ...(await seedDeals(keel, { prefix: `base${i}`, count: 5, instrument: 'direct_equity', subAreaId })),
      );
    }
    // 25 × $399.996B/1000… simpler: fill $10B − headroom across the 25 base deals.
    const fill = CAP - HEADROOM;
    const each = fill / 25n;
    await recordLedgerEntries(
      keel,
      testAdmin,
      'fill',
      base.map((id, i) => entry(`fill-${i}`, id, 'commitment', i === 24 ? fill - each * 24n : each)),
    );
    writers = await seedDeals(keel, {
      prefix: 'w',
      count: WRITERS,
      instrument: 'venture_capital',
      subAreaId: 'ai',
    });
  });
  afterAll(() => keel.close());

  it(`never exceeds the cap: ${WRITERS} writers × ${ROUNDS} rounds`, async () => {
    const random = seededRandom(42);
    let acknowledged = 0;
    let refused = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const attempts = writers.map((dealId, w) => ({
        key: `r${round}-w${w}`,
        dealId,
        amount: BigInt(1 + Math.floor(random() * 5_000)) * 100n,
      }));
      const outcomes = await Promise.allSettled(
        attempts.map((a) =>
          recordLedgerEntry(keel, testAdmin, entry(a.key, a.dealId, 'commitment', a.amount)),
        ),
      );
      const acked = attempts.filter((_, i) => outcomes[i]!.status === 'fulfilled');
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(KeelError);
          expect((outcome.reason as KeelError).code).toBe('cap_exceeded');
        }
      }
      acknowledged += acked.length;
      refused += outcomes.length - acked.length;

      const { used, ledger } = await capAndLedger(keel);
      expect(used).toBeLessThanOrEqual(CAP);
      expect(used).toBe(ledger);
      expect(await commitmentTotalsMismatches(keel)).toEqual([]);
      expect(await firstDealBalanceMismatch(keel.database.db)).toBeUndefined();
      const present = await keel.database.db
        .selectFrom('ledger_entries')
        .select(['client_key', 'amount_cents'])
        .where('client_key', 'in', acked.length ? acked.map((a) => a.key) : [''])
        .execute();
      expect(present.length).toBe(acked.length);
      expect(new Map(present.map((p) => [p.client_key, p.amount_cents]))).toEqual(
        new Map(acked.map((a) => [a.key, a.amount])),
      );

      // Free the headroom again for the next round.
      if (acked.length) {
        await recordLedgerEntries(
          keel,
          testAdmin,
          `free-${round}`,
          acked.map((a) => entry(`free-${a.key}`, a.dealId, 'cancellation', a.amount)),
        );
      }
    }
    // The race was real: in each round some writers won and some were refused.
    expect(acknowledged).toBeGreaterThan(ROUNDS);
    expect(refused).toBeGreaterThan(ROUNDS);
  });
});

async function capAndLedger(keel: TestKeel) {
  const cap = await keel.database.db
    .selectFrom('cap_usage')
    .select('used_cents')
    .where('cap_id', '=', 'equity-vc')
    .where('scope_key', '=', '*')
    .executeTakeFirstOrThrow();
  const { rows } = await sql<{ net: bigint }>`
    SELECT coalesce(sum(CASE WHEN e.kind = 'commitment' THEN e.amount_cents ELSE -e.amount_cents END), 0)::bigint AS net
    FROM ledger_entries e JOIN deals d ON d.id = e.deal_id
    WHERE d.instrument IN ('direct_equity', 'venture_capital') AND e.kind IN ('commitment', 'cancellation')`.execute(
    keel.database.db,
  );
  return { used: cap.used_cents, ledger: rows[0]!.net };
}
