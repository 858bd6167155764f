/**
 * An admin resets a user's password (issue 15): a one-time link, shown once, that ends the user's sessions
 * and sets a new password through the setup page. Attacked: a non-admin, a read-scoped admin token, a
 * disabled user, a reset of yourself, a spent, replaced or first-admin use of the link, and the secret
 * kept out of the audit trail and the idempotency store.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/api/session-names.ts';
import { addUser, createApiToken } from '../../src/app/auth.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture, PASSWORD } from './helpers.ts';

const NEW_PASSWORD = 'a brand new and long passphrase';

describeOnBackends('password reset by an admin (HTTP)', (backend) => {
  let f: ApiFixture;
  let n = 0;
  const issue = (token: string, userId: string) =>
    f.app.inject({
      method: 'POST',
      url: `/api/users/${userId}/password-reset`,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `pr-${n++}` },
    });
  const open = (url: string, payload: object) => f.app.inject({ method: 'POST', url, payload });
  const login = (email: string, password: string) => open('/api/auth/login', { email, password });

  beforeAll(async () => {
    f = await apiFixture(backend);
    for (const id of ['forgetful', 'leaver'])
      await addUser(f.keel, testAdmin, {
        id,
        email: `${id}@example.org`,
        name: id,
        role: 'banker',
        password: PASSWORD,
      });
  });
  afterAll(() => f.close());

  it('issues a link that ends the sessions, sets a new password once, and never reaches the audit trail', async () => {
    const session = await login('forgetful@example.org', PASSWORD);
    const cookies = { [SESSION_COOKIE]: session.cookies.find((c) => c.name === SESSION_COOKIE)!.value };
    expect((await f.app.inject({ method: 'GET', url: '/api/me', cookies })).statusCode).toBe(200);

    // A token made with the old password: whoever knew it may have made one.
    const minted = await createApiToken(
      f.keel,
      { id: 'forgetful', role: 'banker' },
      { name: 'old', scope: 'read' },
    );
    const bearer = { authorization: `Bearer ${minted.token}` };
    expect((await f.app.inject({ method: 'GET', url: '/api/me', headers: bearer })).statusCode).toBe(200);

    const first = await issue(f.tokens.admin, 'forgetful');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      result: { userId: 'forgetful', sessionsEnded: 1, tokensRevoked: 1 },
      replayed: false,
    });
    expect((await f.app.inject({ method: 'GET', url: '/api/me', cookies })).statusCode).toBe(401);
    expect((await f.app.inject({ method: 'GET', url: '/api/me', headers: bearer })).statusCode).toBe(401);
    // A newer link replaces the first.
    const second = await issue(f.tokens.admin, 'forgetful');
    const [old, token] = [first.json().result.token, second.json().result.token];
    expect(token).not.toBe(old);
    expect((await open('/api/setup/check', { token: old })).json()).toEqual({ valid: false, reset: null });
    expect((await open('/api/setup/check', { token })).json()).toEqual({
      valid: false,
      reset: { id: 'forgetful', email: 'forgetful@example.org', name: 'forgetful' },
    });
    expect((await open('/api/setup/password', { token: old, password: NEW_PASSWORD })).statusCode).toBe(410);
    // A reset link creates no first admin.
    const asSetup = await open('/api/setup', {
      token,
      id: 'usurper',
      name: 'Usurper',
      email: 'usurper@example.org',
      password: NEW_PASSWORD,
    });
    expect(asSetup.statusCode).toBe(410);
    const weak = await open('/api/setup/password', { token, password: 'password' });
    expect(weak.statusCode).toBe(400);

    const done = await open('/api/setup/password', { token, password: NEW_PASSWORD });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ user: { id: 'forgetful', email: 'forgetful@example.org' } });
    expect((await login('forgetful@example.org', PASSWORD)).statusCode).toBe(401);
    expect((await login('forgetful@example.org', NEW_PASSWORD)).statusCode).toBe(200);
    const reused = await open('/api/setup/password', { token, password: 'yet another long passphrase' });
    expect(reused.statusCode).toBe(410);
    expect(reused.json().error).toBe('setup_link_invalid');

    const db = f.keel.database.db;
    const { rows } = await sql<{ n: bigint }>`SELECT count(*)::bigint AS n FROM audit_log
      WHERE body::text LIKE ${`%${token}%`} OR body::text LIKE ${`%${old}%`}`.execute(db);
    expect(rows[0]!.n).toBe(0n);
    const keys = await sql<{ n: bigint }>`SELECT count(*)::bigint AS n FROM idempotency_keys
      WHERE response::text LIKE ${`%${token}%`}`.execute(db);
    expect(keys.rows[0]!.n).toBe(0n);
    const audited = await sql<{ action: string }>`SELECT body::jsonb ->> 'action' AS action FROM audit_log
      WHERE body::jsonb ->> 'subject' = 'user:forgetful' ORDER BY seq`.execute(db);
    expect(audited.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['user.password_reset_link', 'user.password_reset']),
    );
  });

  it('refuses a non-admin, a read-scoped admin token, a disabled user, yourself and an unknown user', async () => {
    for (const role of ['banker', 'risk_compliance', 'research_analyst', 'auditor'] as const)
      expect((await issue(f.tokens[role], 'leaver')).statusCode, role).toBe(403);
    const readOnly = (
      await createApiToken(f.keel, { id: 'admin', role: 'admin' }, { name: 'ro', scope: 'read' })
    ).token;
    expect((await issue(readOnly, 'leaver')).statusCode).toBe(403);
    const self = await issue(f.tokens.admin, 'admin');
    expect(self.statusCode).toBe(422);
    expect(self.json().error).toBe('invalid_account_change');
    expect((await issue(f.tokens.admin, 'no-such-user')).statusCode).toBe(404);
    // A link issued before the account is disabled dies with it; a disabled account gets no new one.
    const before = (await issue(f.tokens.admin, 'leaver')).json().result.token;
    const disabled = await f.app.inject({
      method: 'POST',
      url: '/api/users/leaver/disable',
      headers: { authorization: `Bearer ${f.tokens.admin}`, 'idempotency-key': 'pr-disable' },
    });
    expect(disabled.statusCode).toBe(200);
    const refused = await issue(f.tokens.admin, 'leaver');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message).toMatch(/disabled/);
    expect((await open('/api/setup/password', { token: before, password: NEW_PASSWORD })).statusCode).toBe(
      410,
    );
  });
});
