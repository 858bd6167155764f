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

  it('0037: an amendment may name a credit question instead, and one question makes one version only', async () => {
    const db = keel.database.db;
    const question = await sql<{ id: bigint }>`INSERT INTO credit_questions
        (facility_id, kind, proposed_terms, base_version, summary, meeting_on, put_by)
        VALUES ('tl-a', 'terms_amendment', '{}'::jsonb, 1, 'a lower margin for the borrower', '2027-01-01', 'test')
        RETURNING id`.execute(db);
    const id = question.rows[0]!.id;
    const version = (v: number) =>
      sql`INSERT INTO credit_facility_terms
            (facility_id, version, terms, commitment_cents, starts_on, maturity_on, day_count,
             credit_question_id, recorded_by)
          VALUES ('tl-a', ${v}, '{}'::jsonb, 25000000000, '2027-01-15', '2034-01-15', 'ACT/360', ${id}, 'test')`.execute(
        db,
      );
    await version(2);
    await expect(version(3)).rejects.toThrow(/credit_facility_terms_question|duplicate key|unique/i);
    // A terms question names no breach, and a breach question must name one.
    await expect(
      sql`INSERT INTO credit_questions (facility_id, kind, summary, meeting_on, put_by)
          VALUES ('tl-a', 'waiver', 'waive the breach for a quarter', '2027-01-01', 'test')`.execute(db),
    ).rejects.toThrow(/credit_question_subject/);
  });
});
