/**
 * Single ledger writes that arrive together are written as one group (ledger-group.ts), yet each stays a
 * write of its own: one refused (cap, reused key, a ledger key taken by a write before it in the group,
 * unknown deal, or by the database itself) refuses none of the others and leaves no trace, each has its own
 * audit row, and a replay of each key answers its own result.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit.ts';
import { findDerivedFault } from '../../src/app/audit-derived.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { openKeel } from '../../src/app/open.ts';
import { parseCanonicalJson } from '../../src/domain/canonical-json.ts';
import { KeelError } from '../../src/domain/errors.ts';
import { alice, testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { entry, seedDeals } from './fixtures.ts';

const M = 1_000_000_00n; // $1M in cents

describeOnBackends('a group of single ledger writes', (backend) => {
  let keel: TestKeel;
  let deal = '';
  let other = '';
  beforeAll(async () => {
    keel = await freshKeel(backend, {});
    // One company per deal: the per-company equity cap ($500M) binds on `deal` alone.
    const ids = await seedDeals(keel, {
      prefix: 'grp',
      count: 2,
      instrument: 'direct_equity',
      amount: 2_000n * M,
    });
    [deal, other] = [ids[0]!, ids[1]!];
  }, 120_000);
  afterAll(() => keel.close());

  const refusal = (outcome: PromiseSettledResult<unknown>) =>
    outcome.status === 'rejected' ? (outcome.reason as KeelError) : null;

  it('lands the first of two writes and refuses the second that breaches the cap given the first', async () => {
    const first = entry('grp-a', deal, 'commitment', 300n * M);
    const second = entry('grp-b', deal, 'commitment', 300n * M);
    const third = entry('grp-c', other, 'commitment', 10n * M);
    const outcomes = await Promise.allSettled([
      recordLedgerEntry(keel, alice, first),
      recordLedgerEntry(keel, alice, second),
      recordLedgerEntry(keel, alice, third),
    ]);
    expect(outcomes[0]!.status).toBe('fulfilled');
    expect(refusal(outcomes[1]!)).toBeInstanceOf(KeelError);
    expect(refusal(outcomes[1]!)!.code).toBe('cap_exceeded');
    expect(refusal(outcomes[1]!)!.details).toMatchObject({ used: (300n * M).toString() });
    expect(outcomes[2]!.status).toBe('fulfilled');

    // They were one group: their audit rows follow each other and carry the same time.
    const audit = await keel.database.db
      .selectFrom('audit_log')
      .select(['seq', 'body'])
      .where('body', 'like', '%"action":"ledger.record"%')
      .orderBy('seq')
      .execute();
    expect(audit.map((r) => parseCanonicalJson<{ subject: string }>(r.body).subject)).toEqual([
      `deal:${deal}`,
      `deal:${other}`,
    ]);
    expect(audit[1]!.seq).toBe(audit[0]!.seq + 1n);
    const [a, c] = audit.map((r) => parseCanonicalJson<{ at: string }>(r.body).at);
    expect(a).toBe(c);

    // The refused write left no key behind: its replay is checked again, and refused again.
    const keys = await keel.database.db.selectFrom('idempotency_keys').select('key').execute();
    expect(keys.map((k) => k.key)).not.toContain('grp-b');
    await expect(recordLedgerEntry(keel, alice, second)).rejects.toMatchObject({ code: 'cap_exceeded' });
    // Each accepted key's replay answers its own result.
    const [replayA, replayC] = await Promise.all([
      recordLedgerEntry(keel, alice, first),
      recordLedgerEntry(keel, alice, third),
    ]);
    const answered = (o: PromiseSettledResult<{ result: unknown }>) =>
      o.status === 'fulfilled' ? o.value.result : null;
    expect(replayA).toEqual({ result: answered(outcomes[0]!), replayed: true });
    expect(replayC).toEqual({ result: answered(outcomes[2]!), replayed: true });
    expect(await verifyAudit(keel, testAdmin)).toMatchObject({ ok: true });
    expect(await findDerivedFault(keel)).toBeNull();
  });

  it('tries each write alone when the database refuses the group, so only the write it refuses fails', async () => {
    // A failure no rule foresees (here a trigger's), raised by the group's insert for one of its writes.
    await sql`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.client_key = 'grp-poison' THEN RAISE EXCEPTION 'poisoned row'; END IF; RETURN NEW; END $$`.execute(
      keel.database.db,
    );
    await sql`CREATE TRIGGER refuse_poison BEFORE INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION refuse_poison()`.execute(
      keel.database.db,
    );
    try {
      const outcomes = await Promise.allSettled([
        recordLedgerEntry(keel, alice, entry('grp-innocent-1', other, 'commitment', 1n * M)),
        recordLedgerEntry(keel, alice, entry('grp-poison', other, 'commitment', 1n * M)),
        recordLedgerEntry(keel, alice, entry('grp-innocent-2', other, 'commitment', 1n * M)),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(String(refusal(outcomes[1]!))).toContain('poisoned row');
    } finally {
      await sql`DROP TRIGGER refuse_poison ON ledger_entries`.execute(keel.database.db);
      await sql`DROP FUNCTION refuse_poison()`.execute(keel.database.db);
    }
    const written = await keel.database.db
      .selectFrom('ledger_entries')
      .select('client_key')
      .where('client_key', 'like', 'grp-%o%')
      .orderBy('client_key')
      .execute();
    expect(written.map((r) => r.client_key)).toEqual(['grp-innocent-1', 'grp-innocent-2']);
    const keys = await keel.database.db.selectFrom('idempotency_keys').select('key').execute();
    expect(keys.map((k) => k.key)).not.toContain('grp-poison');
    expect(await verifyAudit(keel, testAdmin)).toMatchObject({ ok: true });
    expect(await findDerivedFault(keel)).toBeNull();
  });

  it('refuses a reused key, a ledger key taken earlier in the group and an unknown deal to them alone', async () => {
    const fresh = entry('grp-d', other, 'commitment', 1n * M);
    const reused = entry('grp-a', deal, 'commitment', 1n * M); // alice's key grp-a, another request
    const taken = entry('grp-d', other, 'commitment', 1n * M); // the same ledger key, by another principal
    const nowhere = entry('grp-e', 'no-such-deal', 'commitment', 1n * M);
    const cancelled = entry('grp-f', deal, 'cancellation', 100n * M);
    const outcomes = await Promise.allSettled([
      recordLedgerEntry(keel, alice, fresh),
      recordLedgerEntry(keel, alice, reused),
      recordLedgerEntry(keel, testAdmin, taken),
      recordLedgerEntry(keel, alice, nowhere),
      recordLedgerEntry(keel, alice, cancelled),
    ]);
    expect(outcomes.map((o) => refusal(o)?.code ?? 'recorded')).toEqual([
      'recorded',
      'idempotency_key_reused',
      'duplicate_key',
      'unknown_deal',
      'recorded',
    ]);
    // The cancellation freed headroom: the write refused before now fits, to the cap, and nothing more does.
    await expect(
      recordLedgerEntry(keel, alice, entry('grp-b', deal, 'commitment', 300n * M)),
    ).resolves.toMatchObject({
      replayed: false,
      result: { recorded: 1 },
    });
    await expect(
      recordLedgerEntry(keel, alice, entry('grp-g', deal, 'commitment', 1n)),
    ).rejects.toMatchObject({
      code: 'cap_exceeded',
    });
    expect(await verifyAudit(keel, testAdmin)).toMatchObject({ ok: true });
    expect(await findDerivedFault(keel)).toBeNull();
  });

  // Two processes' groups interleave on the server's locks (one process writes its groups one at a time).
  it.skipIf(backend === 'pglite')('keeps the cap when the groups of two processes race for it', async () => {
    const second = await openKeel(keel.config, { poolSize: 4 });
    try {
      const [racer] = await seedDeals(keel, {
        prefix: 'race',
        count: 1,
        instrument: 'direct_equity',
        amount: 2_000n * M,
      });
      await recordLedgerEntry(keel, alice, entry('race-fill', racer!, 'commitment', 490n * M));
      const outcomes = await Promise.allSettled(
        Array.from({ length: 32 }, (_, i) =>
          recordLedgerEntry(i % 2 ? second : keel, alice, entry(`race-${i}`, racer!, 'commitment', 1n * M)),
        ),
      );
      const recorded = outcomes.filter((o) => o.status === 'fulfilled').length;
      expect(recorded).toBe(10);
      for (const o of outcomes)
        if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'cap_exceeded' });
      expect(await verifyAudit(keel, testAdmin)).toMatchObject({ ok: true });
      expect(await findDerivedFault(keel)).toBeNull();
    } finally {
      await second.close();
    }
  });
});
