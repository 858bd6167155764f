import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REFERENCE_PROGRAMME, readJson } from '../../src/app/data-files.ts';
import { moveDealStage } from '../../src/app/deals.ts';
import { recordLedgerEntries, recordLedgerEntry } from '../../src/app/ledger.ts';
import { loadProgramme } from '../../src/app/programme.ts';
import { programmeSummary } from '../../src/app/summary.ts';
import { MAX_PREPARED_TEXTS, preparedTextCount } from '../../src/db/prepared.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { entry, seedDeals } from './fixtures.ts';

describeOnBackends('ledger', (backend) => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel(backend);
  });
  afterAll(() => keel.close());

  it('records commitments and draws, and the summary counts them by the methodology', async () => {
    const [loan] = await seedDeals(keel, { prefix: 'loan', count: 1, instrument: 'term_loan' });
    const [equity] = await seedDeals(keel, {
      prefix: 'eq',
      count: 1,
      instrument: 'direct_equity',
      subAreaId: 'shipbuilding',
    });
    await recordLedgerEntries(keel, testAdmin, 'l1', [
      entry('l1-c', loan!, 'commitment', 50_000_000_00n),
      entry('l1-d', loan!, 'draw', 20_000_000_00n),
      entry('e1-c', equity!, 'commitment', 10_000_000_00n, '2027-02-01'),
    ]);
    const s = await programmeSummary(keel, testAdmin);
    expect(s.counted.total).toBe(60_000_000_00n);
    expect(s.counted.own).toBe(60_000_000_00n);
    expect(s.byYear.find((y) => y.year === 2027)?.counted).toBe(10_000_000_00n);
    expect(s.caps.find((c) => c.capId === 'equity-vc')?.used).toBe(10_000_000_00n);
    expect(s.bySubArea.map((b) => b.key).sort()).toEqual(['critical-minerals', 'shipbuilding']);
  });

  it('refuses a commitment over a cap, says by how much, and writes nothing', async () => {
    const [big] = await seedDeals(keel, {
      prefix: 'big',
      count: 1,
      instrument: 'direct_equity',
      subAreaId: 'nanomaterials',
    });
    const before = await sql<{ n: bigint }>`SELECT count(*) AS n FROM ledger_entries`.execute(
      keel.database.db,
    );
    await expect(
      recordLedgerEntry(keel, testAdmin, entry('big-1', big!, 'commitment', 500_000_001_00n)),
    ).rejects.toThrow(
      /would exceed the cap "Equity and VC per company" \(for big-0-co\): limit \$500,000,000.00, used \$0.00/,
    );
    const after = await sql<{ n: bigint }>`SELECT count(*) AS n FROM ledger_entries`.execute(
      keel.database.db,
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('refuses an entry on a deal that is not yet approved, and a batch with one bad entry writes none', async () => {
    const [early] = await seedDeals(keel, { prefix: 'early', count: 1, stage: 'diligence' });
    const [ok] = await seedDeals(keel, { prefix: 'ok', count: 1 });
    await expect(
      recordLedgerEntries(keel, testAdmin, 'mixed', [
        entry('m1', ok!, 'commitment', 100n),
        entry('m2', early!, 'commitment', 100n),
      ]),
    ).rejects.toThrow(/entry 2: deal early-0: commitment needs the deal to be approved/);
    const rows = await keel.database.db
      .selectFrom('ledger_entries')
      .select('client_key')
      .where('client_key', 'in', ['m1', 'm2'])
      .execute();
    expect(rows).toEqual([]);
  });

  it('keeps the ledger append-only: UPDATE and DELETE are refused by the database', async () => {
    await expect(sql`UPDATE ledger_entries SET amount_cents = 1`.execute(keel.database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM ledger_entries`.execute(keel.database.db)).rejects.toThrow(/append-only/);
  });

  it('moves a deal stage by the rules, and refuses skipping the committee', async () => {
    const [d] = await seedDeals(keel, { prefix: 'move', count: 1, stage: 'diligence' });
    await expect(moveDealStage(keel, testAdmin, { key: 'mv1', dealId: d!, to: 'approved' })).rejects.toThrow(
      /cannot move from diligence to approved/,
    );
    const moved = await moveDealStage(keel, testAdmin, { key: 'mv2', dealId: d!, to: 'committee' });
    expect(moved.result).toEqual({ dealId: d, from: 'diligence', to: 'committee' });
  });

  it('records a methodology change as a new version and refuses one whose version was not raised', async () => {
    const file = readJson(REFERENCE_PROGRAMME) as {
      methodology: { version: number; instruments: Record<string, { countingBps: number }> };
    };
    file.methodology.instruments.term_loan!.countingBps = 5_000;
    await expect(loadProgramme(keel, testAdmin, file)).rejects.toThrow(/raise it above 1/);
    file.methodology.version = 2;
    const loaded = await loadProgramme(keel, testAdmin, file);
    expect(loaded.result.methodologyVersion).toBe(2);
    const s = await programmeSummary(keel, testAdmin);
    expect(s.programme.methodologyVersion).toBe(2);
    // $50M term loan now counts half.
    expect(s.byInstrument.find((b) => b.key === 'term_loan')?.counted).toBe(25_000_000_00n);
  });
  it("prepares the write path's statements once per connection, and their texts do not vary with the batch", async () => {
    const deals = await seedDeals(keel, { prefix: 'prep', count: 3, instrument: 'term_loan' });
    const [a, b, c] = deals as [string, string, string];
    await recordLedgerEntry(keel, testAdmin, entry('prep-1', a, 'commitment', 1_000_00n));
    await recordLedgerEntries(keel, testAdmin, 'prep-batch', [
      entry('prep-2', b, 'commitment', 2_000_00n),
      entry('prep-3', c, 'commitment', 3_000_00n),
      entry('prep-4', a, 'draw', 500_00n),
    ]);
    const textsAfterTwoShapes = preparedTextCount();
    await recordLedgerEntries(
      keel,
      testAdmin,
      'prep-big',
      Array.from({ length: 40 }, (_, i) => entry(`prep-5-${i}`, deals[i % 3]!, 'draw', 10_00n)),
    );
    await recordLedgerEntry(keel, testAdmin, entry('prep-6', a, 'repayment', 100_00n));
    // A batch of another size, or another kind, reuses the texts it has (arrays are one parameter each).
    expect(preparedTextCount()).toBeLessThanOrEqual(textsAfterTwoShapes + 2);
    expect(preparedTextCount()).toBeLessThan(MAX_PREPARED_TEXTS / 2);
    // The server holds them by name: parsed once, then only bound and executed.
    const { rows } = await sql<{ n: bigint }>`
      SELECT count(*) AS n FROM pg_prepared_statements WHERE name LIKE 'keel_%'`.execute(keel.database.db);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(5n);
  });
});
