/**
 * Issue 13, defect 7: tampering as an attacker with the database superuser would do it. Each case edits the
 * database in SQL past the append-only triggers, and `verifyAudit` (what `keel audit verify` and
 * GET /api/audit/verify run) must fail naming the table and row. Before each case the book is restored
 * to its pristine state from copies taken once.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit.ts';
import { checkpointAudit } from '../../src/app/audit-checkpoint.ts';
import type { AppContext } from '../../src/app/context.ts';
import { recordLedgerEntries, recordLedgerEntry } from '../../src/app/ledger.ts';
import { configFromEnv } from '../../src/app/open.ts';
import { chainHash } from '../../src/domain/audit-chain.ts';
import { signCheckpoint } from '../../src/domain/audit-checkpoint.ts';
import { canonicalJson, parseCanonicalJson } from '../../src/domain/canonical-json.ts';
import { describeLedgerRows, type StoredLedgerRow } from '../../src/domain/ledger-digest.ts';
import { alice, testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';
import { entry, seedDeals } from './fixtures.ts';
import { asAttacker } from './tamper.ts';

/** Tables the cases edit, copied once and put back before each case. */
const RESTORED = [
  'ledger_entries',
  'audit_log',
  'audit_head',
  'commitment_totals',
  'cap_usage',
  'deal_balances',
  'audit_checkpoints',
];
const BATCH_ROWS = 5_000;

describeOnBackends('tamper evidence: keel audit verify', (backend) => {
  let keel: TestKeel;
  let ctx: AppContext;
  let keyDir: string;
  let bigRow: bigint;
  let batch: { first: bigint; last: bigint };

  beforeAll(async () => {
    keel = await freshKeel(backend);
    keyDir = mkdtempSync(join(tmpdir(), 'keel-audit-key-'));
    ctx = { ...keel, auditKeyFile: join(keyDir, 'audit-key.pem') };
    const [equity] = await seedDeals(keel, { prefix: 'tam-eq', count: 1, instrument: 'direct_equity' });
    const loans = await seedDeals(keel, { prefix: 'tam-loan', count: 10 });
    const written = await recordLedgerEntry(
      keel,
      alice,
      entry('tam-75m', equity!, 'commitment', 7_500_000_000n),
    );
    bigRow = written.result.firstSeq!;
    const rows = Array.from({ length: BATCH_ROWS }, (_, i) =>
      entry(`tam-batch-${i}`, loans[i % loans.length]!, 'commitment', 10_000n + BigInt(i)),
    );
    const imported = await recordLedgerEntries(keel, alice, 'tam-batch', rows);
    batch = { first: imported.result.firstSeq!, last: imported.result.lastSeq! };
    await recordLedgerEntry(keel, alice, entry('tam-after', loans[0]!, 'draw', 5_000n));
    for (const table of RESTORED)
      await sql`CREATE TABLE ${sql.id(`pristine_${table}`)} AS SELECT * FROM ${sql.id(table)}`.execute(
        keel.database.db,
      );
  }, 240_000);
  afterAll(async () => {
    await keel.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await asAttacker(keel.database.db, async (tx) => {
      for (const table of RESTORED) {
        await sql`DELETE FROM ${sql.id(table)}`.execute(tx);
        const identity = table === 'ledger_entries' || table === 'audit_checkpoints';
        await sql`INSERT INTO ${sql.id(table)} ${sql.raw(identity ? 'OVERRIDING SYSTEM VALUE' : '')} SELECT * FROM ${sql.id(`pristine_${table}`)}`.execute(
          tx,
        );
      }
    });
  });

  const tamper = (query: ReturnType<typeof sql>) => asAttacker(keel.database.db, (tx) => query.execute(tx));
  const verify = (checkpoints = {}) => verifyAudit(ctx, testAdmin, checkpoints);

  it('passes on an untouched book, a 5,000-row batch included', async () => {
    expect(batch.last - batch.first + 1n).toBe(BigInt(BATCH_ROWS));
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: true, checkpoint: null });
  });

  it('names the $75M row changed to $0.01 with the append-only trigger disabled', async () => {
    await sql`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only`.execute(
      keel.database.db,
    );
    try {
      await sql`UPDATE ledger_entries SET amount_cents = 1 WHERE seq = ${bigRow}`.execute(keel.database.db);
    } finally {
      await sql`ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only`.execute(
        keel.database.db,
      );
    }
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: false, fault: { table: 'ledger_entries', seq: bigRow } });
    expect(verdict.ok || verdict.fault.reason).toMatch(/changed after it was written/);
  });

  it('names the one edited row inside the 5,000-row batch', async () => {
    const row = batch.first + 2_345n;
    await tamper(sql`UPDATE ledger_entries SET note = 'adjusted' WHERE seq = ${row}`);
    expect(await verify()).toMatchObject({ ok: false, fault: { table: 'ledger_entries', seq: row } });
  });

  it('still names the ledger row when the attacker also moves the totals and cap usage to match', async () => {
    await tamper(sql`UPDATE ledger_entries SET amount_cents = 1 WHERE seq = ${bigRow}`);
    await tamper(
      sql`UPDATE commitment_totals SET net_cents = net_cents - 7499999999 WHERE instrument = 'direct_equity'`,
    );
    await tamper(
      sql`UPDATE cap_usage SET used_cents = used_cents - 7499999999 WHERE cap_id LIKE 'equity-vc%'`,
    );
    expect(await verify()).toMatchObject({ ok: false, fault: { table: 'ledger_entries', seq: bigRow } });
  });

  it('names commitment_totals when the summary table alone is edited', async () => {
    await tamper(sql`UPDATE commitment_totals SET net_cents = 1 WHERE instrument = 'direct_equity'`);
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: false, fault: { table: 'commitment_totals' } });
    expect(verdict.ok || verdict.fault.reason).toMatch(/\$0\.01 but the ledger gives \$75,000,000\.00/);
  });

  it('names cap_usage when a cap row alone is edited', async () => {
    await tamper(sql`UPDATE cap_usage SET used_cents = 0 WHERE cap_id = 'equity-vc-per-company'`);
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: false, fault: { table: 'cap_usage' } });
    expect(verdict.ok || verdict.fault.reason).toMatch(/equity-vc-per-company, scope tam-eq-0-co/);
  });

  it("names deal_balances when a deal's kept balance alone is edited (the next write would fold over it)", async () => {
    await tamper(
      sql`UPDATE deal_balances SET total_cents = 1 WHERE deal_id = 'tam-eq-0' AND kind = 'commitment'`,
    );
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: false, fault: { table: 'deal_balances' } });
    expect(verdict.ok || verdict.fault.reason).toMatch(
      /deal tam-eq-0, commitment says a total of \$0\.01 but the ledger gives \$75,000,000\.00/,
    );
  });

  it('names a deleted row and a row inserted outside Keel', async () => {
    const gone = batch.first + 17n;
    await tamper(sql`DELETE FROM ledger_entries WHERE seq = ${gone}`);
    expect(await verify()).toMatchObject({ ok: false, fault: { table: 'ledger_entries', seq: gone } });
    await tamper(sql`INSERT INTO ledger_entries OVERRIDING SYSTEM VALUE
      SELECT * FROM pristine_ledger_entries WHERE seq = ${gone}`);
    const forged = await tamper(sql<{
      seq: bigint;
    }>`INSERT INTO ledger_entries (client_key, deal_id, kind, amount_cents, effective_on, recorded_by)
      VALUES ('forged', 'tam-loan-0', 'repayment', 100, '2026-03-31', 'alice') RETURNING seq`);
    const seq = (forged.rows[0] as { seq: bigint }).seq;
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: false, fault: { table: 'ledger_entries', seq } });
    expect(verdict.ok || verdict.fault.reason).toMatch(/not in the audit chain/);
  });

  it('refuses TRUNCATE, UPDATE and DELETE of the append-only tables while their triggers stand', async () => {
    const db = keel.database.db;
    for (const table of [
      'ledger_entries',
      'audit_log',
      'audit_head',
      'audit_checkpoints',
      'deal_stage_moves',
      'deal_amendments',
      'pipeline_notes',
      'documents',
      'document_contents',
      'programme_versions',
    ])
      await expect(sql`TRUNCATE ${sql.id(table)} CASCADE`.execute(db), table).rejects.toThrow(
        /append-only: TRUNCATE refused/,
      );
    await expect(sql`UPDATE audit_log SET body = 'x' WHERE seq = 1`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_head`.execute(db)).rejects.toThrow(/append-only/);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('names the truncated ledger when the TRUNCATE trigger was dropped first', async () => {
    const db = keel.database.db;
    await sql`DROP TRIGGER ledger_entries_no_truncate ON ledger_entries`.execute(db);
    try {
      await sql`TRUNCATE ledger_entries`.execute(db);
      const verdict = await verify();
      expect(verdict).toMatchObject({ ok: false, fault: { table: 'ledger_entries' } });
      expect(verdict.ok || verdict.fault.reason).toMatch(
        new RegExp(
          `table ledger_entries is empty but the audit chain records ${BATCH_ROWS + 2} row\\(s\\): it was truncated`,
        ),
      );
    } finally {
      await sql`CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change()`.execute(db);
    }
  });

  describe('a chain recomputed after an edit', () => {
    /** The attacker edits the $75M row, rewrites its audit entry to match, and rehashes the chain to the head. */
    async function rewriteHistory() {
      await tamper(sql`UPDATE ledger_entries SET amount_cents = 1 WHERE seq = ${bigRow}`);
      await tamper(
        sql`UPDATE commitment_totals SET net_cents = net_cents - 7499999999 WHERE instrument = 'direct_equity'`,
      );
      await tamper(
        sql`UPDATE cap_usage SET used_cents = used_cents - 7499999999 WHERE cap_id LIKE 'equity-vc%'`,
      );
      await tamper(
        sql`UPDATE deal_balances SET total_cents = 1 WHERE deal_id = 'tam-eq-0' AND kind = 'commitment'`,
      );
      const db = keel.database.db;
      const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      const edited = await sql<StoredLedgerRow>`SELECT seq, client_key, deal_id, kind, amount_cents,
        effective_on::text AS effective_on, note, recorded_by FROM ledger_entries WHERE seq = ${bigRow}`.execute(
        db,
      );
      let previous = '0'.repeat(64);
      let from = -1;
      for (const [i, row] of rows.entries()) {
        if (from < 0 && row.body.includes('"tam-75m"')) {
          const body = parseCanonicalJson<{ details: Record<string, unknown> }>(row.body);
          body.details.entry = { ...(body.details.entry as object), amount: 1n };
          body.details.ledgerRows = describeLedgerRows(edited.rows);
          row.body = canonicalJson(body);
          from = i;
        }
        if (from >= 0) {
          row.prev_hash = previous;
          row.hash = chainHash(previous, row.seq, row.body);
        }
        previous = row.hash;
      }
      await asAttacker(db, async (tx) => {
        for (const row of rows.slice(from))
          await tx
            .updateTable('audit_log')
            .set({ body: row.body, prev_hash: row.prev_hash, hash: row.hash })
            .where('seq', '=', row.seq)
            .execute();
        await tx.updateTable('audit_head').set({ hash: previous }).execute();
      });
    }

    it('passes without a checkpoint (what the anchor is for), and fails against the stored one', async () => {
      const { result: checkpoint } = await checkpointAudit(ctx, testAdmin);
      expect(statSync(ctx.auditKeyFile!).mode & 0o777).toBe(0o600);
      await asAttacker(keel.database.db, (tx) => sql`DELETE FROM audit_checkpoints`.execute(tx));
      await rewriteHistory();
      expect(await verify()).toMatchObject({ ok: true });
      await asAttacker(keel.database.db, (tx) =>
        tx
          .insertInto('audit_checkpoints')
          .values({
            seq: BigInt(checkpoint.seq),
            hash: checkpoint.hash,
            signed_at: checkpoint.signedAt,
            public_key: checkpoint.publicKey,
            signature: checkpoint.signature,
          })
          .execute(),
      );
      const verdict = await verify();
      expect(verdict).toMatchObject({
        ok: false,
        fault: { table: 'audit_log', seq: BigInt(checkpoint.seq) },
      });
      expect(verdict.ok || verdict.fault.reason).toMatch(
        /latest stored checkpoint .*: the chain was rewritten/,
      );
    });

    it('fails against a checkpoint kept outside when the stored ones were removed or forged', async () => {
      const { result: kept } = await checkpointAudit(ctx, testAdmin);
      await rewriteHistory();
      // The attacker removes the stored checkpoints and signs the new head with a key of their own.
      const { generateKeyPairSync } = await import('node:crypto');
      const head = await keel.database.db
        .selectFrom('audit_head')
        .select(['seq', 'hash'])
        .executeTakeFirstOrThrow();
      const forged = signCheckpoint(head, new Date().toISOString(), generateKeyPairSync('ed25519'));
      await asAttacker(keel.database.db, async (tx) => {
        await sql`DELETE FROM audit_checkpoints`.execute(tx);
        await tx
          .insertInto('audit_checkpoints')
          .values({
            seq: head.seq,
            hash: forged.hash,
            signed_at: forged.signedAt,
            public_key: forged.publicKey,
            signature: forged.signature,
          })
          .execute();
      });
      const withForgery = await verify();
      expect(withForgery).toMatchObject({ ok: false, fault: { table: 'audit_checkpoints' } });
      expect(withForgery.ok || withForgery.fault.reason).toMatch(/not signed here/);
      await asAttacker(keel.database.db, (tx) => sql`DELETE FROM audit_checkpoints`.execute(tx));
      expect(await verify()).toMatchObject({ ok: true });
      expect(await verify({ checkpoints: [kept] })).toMatchObject({
        ok: false,
        fault: { table: 'audit_log', seq: BigInt(kept.seq) },
      });
    });
  });

  it('`keel audit checkpoint` prints a signed head; `keel audit verify --checkpoint FILE` exits 1 naming the row', async () => {
    const env = { ...keel.env, KEEL_AUDIT_KEY: ctx.auditKeyFile };
    const kept = join(keyDir, 'kept-checkpoint.json');
    const reopen = async () => {
      keel = await keel.reopen();
      ctx = { ...keel, auditKeyFile: ctx.auditKeyFile };
    };
    await keel.closeConnection();
    try {
      const signed = await runKeel(['audit', 'checkpoint'], env);
      expect(signed.code, signed.stderr).toBe(0);
      expect(JSON.parse(signed.stdout)).toMatchObject({
        kind: 'keel-audit-checkpoint',
        seq: expect.any(String),
      });
      writeFileSync(kept, signed.stdout);
    } finally {
      await reopen();
    }
    await tamper(sql`UPDATE ledger_entries SET amount_cents = 1 WHERE seq = ${bigRow}`);
    await keel.closeConnection();
    try {
      const bad = await runKeel(['audit', 'verify', '--checkpoint', kept], env);
      expect(bad.code, bad.stderr).toBe(1);
      expect(bad.stderr).toMatch(
        new RegExp(
          `keel: ledger_entries: ledger row ${bigRow} \\(key "tam-75m"\\) was changed after it was written`,
        ),
      );
    } finally {
      await reopen();
    }
  }, 180_000);

  it('checks a book written before row digests (migration 0015) by key and by count', async () => {
    // As the audit entries of earlier versions were: no ledgerRows, the chain hashed over them.
    const db = keel.database.db;
    const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    let previous = '0'.repeat(64);
    for (const row of rows) {
      const body = parseCanonicalJson<{ details: Record<string, unknown> }>(row.body);
      delete body.details.ledgerRows;
      row.body = canonicalJson(body);
      row.prev_hash = previous;
      row.hash = chainHash(previous, row.seq, row.body);
      previous = row.hash;
    }
    await asAttacker(db, async (tx) => {
      await sql`DELETE FROM audit_log`.execute(tx);
      await tx.insertInto('audit_log').values(rows).execute();
      await tx.updateTable('audit_head').set({ hash: previous }).execute();
    });
    expect(await verify()).toMatchObject({ ok: true });
    await tamper(sql`UPDATE ledger_entries SET amount_cents = 1 WHERE seq = ${bigRow}`);
    expect(await verify()).toMatchObject({ ok: false, fault: { table: 'ledger_entries', seq: bigRow } });
    await tamper(sql`UPDATE ledger_entries SET amount_cents = 7500000000 WHERE seq = ${bigRow}`);
    await tamper(sql`DELETE FROM ledger_entries WHERE seq = ${batch.first + 10n}`);
    const verdict = await verify();
    expect(verdict).toMatchObject({ ok: false, fault: { table: 'ledger_entries', seq: batch.first } });
    expect(verdict.ok || verdict.fault.reason).toMatch(/1 of the 5000 ledger rows .* are missing/);
  });

  it('catches a book wiped whole (ledger, chain, head, totals, caps, balances, checkpoints) with a checkpoint kept outside', async () => {
    const { result: kept } = await checkpointAudit(ctx, testAdmin);
    await asAttacker(keel.database.db, async (tx) => {
      for (const table of [
        'ledger_entries',
        'audit_log',
        'commitment_totals',
        'cap_usage',
        'deal_balances',
        'audit_checkpoints',
      ])
        await sql`TRUNCATE ${sql.id(table)}`.execute(tx);
      await tx
        .updateTable('audit_head')
        .set({ seq: 0n, hash: '0'.repeat(64) })
        .execute();
    });
    expect(await verify()).toMatchObject({ ok: true, rows: 0n });
    const verdict = await verify({ checkpoints: [kept] });
    expect(verdict).toMatchObject({ ok: false, fault: { table: 'audit_log', seq: 1n } });
    expect(verdict.ok || verdict.fault.reason).toMatch(
      new RegExp(
        `chain ends at row 0 but the checkpoint given \\(1\\) .* records row ${kept.seq}: rows were removed`,
      ),
    );
  });

  it('refuses to sign a checkpoint over a tampered book', async () => {
    await tamper(sql`UPDATE ledger_entries SET amount_cents = 1 WHERE seq = ${bigRow}`);
    await expect(checkpointAudit(ctx, testAdmin)).rejects.toMatchObject({
      code: 'audit_chain_broken',
      details: { table: 'ledger_entries', seq: bigRow.toString() },
    });
    expect(await keel.database.db.selectFrom('audit_checkpoints').selectAll().execute()).toEqual([]);
  });

  it('keeps the signing key outside the database and its data folder', () => {
    expect(dirname(ctx.auditKeyFile!)).toBe(keyDir);
    expect(configFromEnv({ KEEL_DATA: '/srv/keel/data' }).auditKeyFile).toBe('/srv/keel/data.audit-key.pem');
    expect(
      configFromEnv({ DATABASE_URL: 'postgres://db/keel', XDG_CONFIG_HOME: '/home/op/.config' }).auditKeyFile,
    ).toBe('/home/op/.config/keel/audit-key.pem');
    expect(configFromEnv({ KEEL_AUDIT_KEY: '/etc/keel/key.pem' }).auditKeyFile).toBe('/etc/keel/key.pem');
  });
});
