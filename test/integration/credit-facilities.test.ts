import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { seedDeals } from './fixtures.ts';

/** Migration 0017: the database itself keeps facility terms versioned and amendments decided. */
describeOnBackends('credit facility terms (migration 0017)', (backend) => {
  let keel: TestKeel;
  let dealId: string;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    [dealId] = (await seedDeals(keel, { prefix: 'credit', count: 1, instrument: 'term_loan' })) as [string];
    await sql`INSERT INTO credit_facilities (id, deal_id, created_by) VALUES ('tl-a', ${dealId}, 'test')`.execute(
      keel.database.db,
    );
  });
  afterAll(() => keel.close());

  const terms = (version: number, decision: bigint | null, maturity = '2034-01-15') =>
    sql`INSERT INTO credit_facility_terms
          (facility_id, version, terms, commitment_cents, starts_on, maturity_on, day_count,
           committee_decision_id, recorded_by)
        VALUES ('tl-a', ${version}, '{}'::jsonb, 25000000000, '2027-01-15', ${maturity}, 'ACT/360',
           ${decision}, 'test')`.execute(keel.database.db);

  it('keeps version 1, refuses an amendment without a committee decision, and never rewrites a version', async () => {
    await terms(1, null);
    await expect(terms(2, null)).rejects.toThrow(/amendment_needs_committee_decision/);
    await expect(terms(1, null)).rejects.toThrow(/duplicate key|unique/i);
    await expect(terms(3, null, '2026-01-01')).rejects.toThrow(/check/i);
    await expect(
      sql`UPDATE credit_facility_terms SET commitment_cents = 1`.execute(keel.database.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM credit_facility_terms`.execute(keel.database.db)).rejects.toThrow(
      /append-only/,
    );
    const rows = await keel.database.db.selectFrom('credit_facility_terms').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.commitment_cents).toBe(25_000_000_000n);
  });
});
