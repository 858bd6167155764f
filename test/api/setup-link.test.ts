/**
 * The one-time setup link (issue 19): on a database with no active admin it creates the first admin, once;
 * then it never works again, nor does any other link, and no new link is issued. Kept as a SHA-256 only;
 * expires; the password policy (NIST SP 800-63B, src/domain/passwords.ts) applies.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.ts';
import { verifyAudit } from '../../src/app/audit.ts';
import { issueSetupLink } from '../../src/app/setup.ts';
import { describeOnBackends, freshKeel, type TestKeel } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';

const PASSWORD = 'a first admin passphrase that is long';

describeOnBackends('setup link', (backend) => {
  let keel: TestKeel;
  let app: Awaited<ReturnType<typeof buildServer>>;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    app = await buildServer(keel, { loginRateLimit: 1_000 });
  });
  afterAll(async () => {
    await app.close();
    await keel.close();
  });

  const admin = (token: string, id = 'first-admin', password = PASSWORD) =>
    app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token, id, name: 'First Admin', email: `${id}@example.org`, password },
    });
  const check = async (token: string) =>
    (await app.inject({ method: 'POST', url: '/api/setup/check', payload: { token } })).json().valid;

  it('works once, and then never again', async () => {
    const link = await issueSetupLink(keel);
    expect(link).not.toBeNull();
    const { token } = link!;
    const other = (await issueSetupLink(keel))!.token; // a second server start: another link
    expect(await check(token)).toBe(true);

    const stored = await keel.database.db.selectFrom('setup_links').select('token_sha256').execute();
    expect(stored.map((r) => r.token_sha256)).toContain(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(token);

    const weak = await admin(token, 'first-admin', 'passwordpassword');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toMatch(/commonly used/);
    expect(await check(token)).toBe(true); // a refused form does not spend the link

    const created = await admin(token);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().user).toEqual({ id: 'first-admin', role: 'admin' });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'first-admin@example.org', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user).toEqual({ id: 'first-admin', role: 'admin' });

    for (const [again, id] of [
      [token, 'first-admin'],
      [token, 'second-admin'],
      [other, 'second-admin'],
    ] as const) {
      const refused = await admin(again, id);
      expect(refused.statusCode).toBe(410);
      expect(refused.json().error).toBe('setup_link_invalid');
      expect(await check(again)).toBe(false);
    }
    expect(await issueSetupLink(keel)).toBeNull(); // an active admin exists: no new link
    const admins = await keel.database.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .execute();
    expect(admins).toEqual([{ id: 'first-admin' }]);
    expect((await verifyAudit(keel, testAdmin)).ok).toBe(true);
  });

  it('an expired or unknown link creates nothing', async () => {
    await keel.database.db.updateTable('users').set({ disabled: true }).execute(); // no active admin again
    const { token } = (await issueSetupLink(keel))!;
    await keel.database.db
      .updateTable('setup_links')
      .set({ expires_at: sql<string>`now() - interval '1 second'` })
      .where('used_at', 'is', null)
      .execute();
    expect((await admin(token, 'late-admin')).statusCode).toBe(410);
    expect((await admin('no-such-link', 'guessed-admin')).statusCode).toBe(410);
    const users = await keel.database.db.selectFrom('users').select('id').execute();
    expect(users.map((u) => u.id)).toEqual(['first-admin']);
  });

  it('two requests racing with one link: exactly one admin', async () => {
    const { token } = (await issueSetupLink(keel))!;
    const answers = await Promise.all([admin(token, 'racer-a'), admin(token, 'racer-b')]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 410]);
  });
});
