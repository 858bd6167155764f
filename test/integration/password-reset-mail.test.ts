/**
 * A password-reset link mailed to its user (KEEL_SMTP_URL and KEEL_PUBLIC_URL set): the admin is told where it
 * went, never the link; the link in the mail works once; it is nowhere in the database (audit trail, outbox,
 * idempotency store). A server that refuses the mail gets a 502 answer and leaves no live link behind.
 * Without a public address Keel cannot build a link for a mail, so it shows the link to the admin as before.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser, login } from '../../src/app/auth.ts';
import type { AppContext } from '../../src/app/context.ts';
import { checkResetLink, completePasswordReset, issuePasswordReset } from '../../src/app/password-reset.ts';
import { testAdmin } from '../principals.ts';
import { localSmtp } from '../support/local-smtp.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';

const PASSWORD = 'correct horse battery staple';

describeOnBackends('password-reset links by mail', (backend) => {
  let keel: TestKeel;
  let smtp: Awaited<ReturnType<typeof localSmtp>>;
  let ctx: AppContext;

  beforeAll(async () => {
    keel = await freshKeel(backend);
    smtp = await localSmtp();
    ctx = {
      ...keel,
      mail: { url: smtp.url, from: 'Keel <keel@example.org>', publicUrl: 'https://keel.example.org/' },
    };
    await addUser(keel, testAdmin, {
      id: 'mailed',
      email: 'mailed@example.org',
      name: 'Mai Led',
      role: 'banker',
      password: PASSWORD,
    });
  }, 120_000);
  afterAll(async () => {
    await smtp?.close();
    await keel?.close();
  });

  it('mails the link to the user and tells the admin where, not what; the mailed link works once', async () => {
    const issued = await issuePasswordReset(ctx, testAdmin, 'mailed');
    expect(issued).toMatchObject({ delivery: 'mail', mailedTo: 'mailed@example.org', userId: 'mailed' });
    expect(issued).not.toHaveProperty('token');
    expect(smtp.received.at(-1)).toEqual({
      to: ['mailed@example.org'],
      subject: 'Your Keel password-reset link',
    });
    const token = /https:\/\/keel\.example\.org\/#\/setup\/([A-Za-z0-9_-]{43})/.exec(
      smtp.bodies.at(-1)!,
    )?.[1];
    expect(token, smtp.bodies.at(-1)).toBeDefined();
    // The secret is stored nowhere: not in the audit trail, the outbox or the idempotency store.
    for (const table of ['audit_log', 'mail_outbox', 'idempotency_keys']) {
      const rows = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} t
        WHERE t::text LIKE ${`%${token}%`}`.execute(keel.database.db);
      expect(Number(rows.rows[0]!.n), table).toBe(0);
    }
    expect(await checkResetLink(keel, token!)).toMatchObject({ id: 'mailed' });
    await completePasswordReset(keel, { token: token!, password: 'a new and much longer passphrase' });
    await expect(login(keel, { email: 'mailed@example.org', password: PASSWORD })).rejects.toThrow();
    await login(keel, { email: 'mailed@example.org', password: 'a new and much longer passphrase' });
    expect(await checkResetLink(keel, token!)).toBeNull();
  });

  it('a mail the server refuses is answered mail_failed, and no live link is left behind', async () => {
    const first = await issuePasswordReset(ctx, testAdmin, 'mailed');
    expect(first.delivery).toBe('mail');
    const mailed = /#\/setup\/([A-Za-z0-9_-]{43})/.exec(smtp.bodies.at(-1)!)![1]!;
    smtp.state.refusing = true;
    try {
      await expect(issuePasswordReset(ctx, testAdmin, 'mailed')).rejects.toMatchObject({
        code: 'mail_failed',
      });
    } finally {
      smtp.state.refusing = false;
    }
    const live = await sql<{ n: string }>`SELECT count(*) AS n FROM setup_links
      WHERE user_id = 'mailed' AND used_at IS NULL`.execute(keel.database.db);
    expect(Number(live.rows[0]!.n)).toBe(0);
    // The earlier mailed link was superseded by the refused one, which was voided.
    expect(await checkResetLink(keel, mailed)).toBeNull();
  });

  it('without a public address to build the link from, the link is shown to the admin once, as before', async () => {
    const shown = await issuePasswordReset(
      { ...keel, mail: { url: smtp.url, from: 'Keel <keel@example.org>' } },
      testAdmin,
      'mailed',
    );
    if (shown.delivery !== 'shown') throw new Error(`mailed, not shown: ${JSON.stringify(shown)}`);
    expect(shown.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await checkResetLink(keel, shown.token!)).toMatchObject({ id: 'mailed' });
  });
});
