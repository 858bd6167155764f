/**
 * No audit row is dated before the row it follows, whatever the clock of the process that wrote it: a write
 * takes its time before it locks the chain head, and servers' clocks differ. Each path that appends rows is
 * run with this process's clock set an hour back: the single ledger write (grouped), a write through
 * runWrite, and a lone audit row (a login's). A row dated far ahead takes the database's time instead, so
 * one server's wrong clock cannot date every later row after it (found by an attack on the first version).
 */

import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { verifyAudit } from '../../src/app/audit.ts';
import { recordLedgerEntries, recordLedgerEntry } from '../../src/app/ledger.ts';
import { appendAudit, auditAppendCtes, auditBody } from '../../src/db/audit-repo.ts';
import { alice, testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { entry, seedDeals } from './fixtures.ts';

describeOnBackends('audit row times', (backend) => {
  let keel: TestKeel;
  let deal: string;

  beforeAll(async () => {
    keel = await freshKeel(backend);
    [deal] = (await seedDeals(keel, { prefix: 'when', count: 1 })) as [string];
  });
  afterAll(() => keel.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const rows = async () =>
    (await keel.database.db.selectFrom('audit_log').select(['seq', 'body']).orderBy('seq').execute()).map(
      (row) => ({ seq: row.seq, at: JSON.parse(row.body).at as string }),
    );

  it('dates a row written by a clock that runs behind at the time of the row before it', async () => {
    await recordLedgerEntry(keel, alice, entry('when-1', deal, 'commitment', 100n));
    const [before] = (await rows()).slice(-1);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Date.now() - 3_600_000));
    await recordLedgerEntry(keel, alice, entry('when-2', deal, 'commitment', 100n));
    await recordLedgerEntries(keel, alice, 'when-batch', [entry('when-3', deal, 'draw', 50n)]);
    await keel.database.db.transaction().execute((tx) =>
      appendAudit(tx, {
        actor: alice.id,
        role: alice.role,
        action: 'auth.login',
        subject: `user:${alice.id}`,
        details: {},
      }),
    );
    vi.useRealTimers();
    await recordLedgerEntry(keel, alice, entry('when-4', deal, 'draw', 10n));

    const all = await rows();
    const slow = all.filter((row) => row.seq > before!.seq).slice(0, 3);
    expect(slow.map((row) => row.at)).toEqual([before!.at, before!.at, before!.at]);
    const last = all.at(-1)!;
    expect(last.at > before!.at).toBe(true);
    for (const [i, row] of all.entries()) if (i > 0) expect(row.at >= all[i - 1]!.at).toBe(true);
    const head = await keel.database.db
      .selectFrom('audit_head')
      .select(['seq', 'at'])
      .executeTakeFirstOrThrow();
    expect(head).toEqual({ seq: last.seq, at: last.at });
    expect(await verifyAudit(keel, testAdmin)).toMatchObject({ ok: true });
  });

  it("dates a row written by a clock far ahead at the database's time, so later rows keep theirs", async () => {
    const ahead = auditBody(
      { actor: alice.id, role: alice.role, action: 'auth.login', subject: `user:${alice.id}`, details: {} },
      '9999-12-31T23:59:59.999Z',
    );
    await keel.database.db
      .transaction()
      .execute((tx) => sql`WITH RECURSIVE ${auditAppendCtes([ahead])} SELECT 1`.execute(tx));
    await recordLedgerEntry(keel, alice, entry('when-5', deal, 'draw', 10n));
    const [dated, after] = (await rows()).slice(-2);
    const now = new Date().toISOString();
    expect(dated!.at <= now && after!.at <= now).toBe(true);
    expect(after!.at >= dated!.at).toBe(true);
    expect(await verifyAudit(keel, testAdmin)).toMatchObject({ ok: true });
  });
});
