import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { alice, testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';
import { entry, seedDeals } from './fixtures.ts';
import { asAttacker } from './tamper.ts';

describeOnBackends('audit chain', (backend) => {
  let keel: TestKeel;
  let snapshot: Array<{ seq: bigint; prev_hash: string; hash: string; body: string }>;
  let head: { seq: bigint; hash: string };

  beforeAll(async () => {
    keel = await freshKeel(backend);
    const [deal] = await seedDeals(keel, { prefix: 'aud', count: 1 });
    for (let i = 0; i < 20; i++)
      await recordLedgerEntry(keel, alice, entry(`aud-${i}`, deal!, 'commitment', 100n + BigInt(i)));
    snapshot = await keel.database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    head = await keel.database.db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
  });
  afterAll(() => keel.close());

  // Restore the pristine chain before each tampering (past the append-only trigger, as the tampering does).
  beforeEach(async () => {
    await asAttacker(keel.database.db, async (tx) => {
      await sql`DELETE FROM audit_log`.execute(tx);
      await tx.insertInto('audit_log').values(snapshot).execute();
      await tx.updateTable('audit_head').set(head).execute();
    });
  });

  const tamper = (query: ReturnType<typeof sql>) => asAttacker(keel.database.db, (tx) => query.execute(tx));

  it('records every write with its actor, and an untouched chain verifies', async () => {
    const verdict = await verifyAudit(keel, testAdmin);
    expect(verdict).toMatchObject({ ok: true, rows: head.seq });
    expect(snapshot.filter((r) => JSON.parse(r.body).actor === 'alice')).toHaveLength(20);
  });

  const middle = () => snapshot[Math.floor(snapshot.length / 2)]!.seq;

  it('names the row whose body was edited in SQL', async () => {
    await tamper(sql`UPDATE audit_log SET body = replace(body, 'alice', 'mallory') WHERE seq = ${middle()}`);
    expect(await verifyAudit(keel, testAdmin)).toMatchObject({ ok: false, fault: { seq: middle() } });
  });

  it('names the row whose hash was recomputed to cover an edit', async () => {
    await tamper(
      sql`UPDATE audit_log SET body = 'forged', hash = encode(sha256(convert_to(prev_hash || E'\n' || seq || E'\nforged', 'UTF8')), 'hex') WHERE seq = ${middle()}`,
    );
    expect(await verifyAudit(keel, testAdmin)).toMatchObject({ ok: false, fault: { seq: middle() + 1n } });
  });

  it('names a deleted row', async () => {
    await tamper(sql`DELETE FROM audit_log WHERE seq = ${middle()}`);
    expect(await verifyAudit(keel, testAdmin)).toMatchObject({ ok: false, fault: { seq: middle() } });
  });

  it('catches rows cut off the end', async () => {
    await tamper(sql`DELETE FROM audit_log WHERE seq = ${head.seq}`);
    expect(await verifyAudit(keel, testAdmin)).toMatchObject({ ok: false, fault: { seq: head.seq } });
  });

  it('`keel audit verify` fails with exit 1 naming the first bad row', async () => {
    await keel.closeConnection();
    try {
      const ok = await runKeel(['audit', 'verify'], keel.env);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/audit chain intact/);
    } finally {
      keel = await keel.reopen();
    }
    await tamper(sql`UPDATE audit_log SET body = body || ' ' WHERE seq = 3`);
    await keel.closeConnection();
    try {
      const bad = await runKeel(['audit', 'verify'], keel.env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/audit chain broken at row 3: row 3 was altered/);
    } finally {
      keel = await keel.reopen();
    }
  });
});
