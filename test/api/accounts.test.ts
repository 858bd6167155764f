/**
 * Accounts through HTTP: passwords per NIST SP 800-63B (length, the shipped list of common passwords, no
 * composition rules), one account per email without regard to case, and disabling a user, which ends the
 * user's sessions and revokes every token at once, and enabling them again (the tokens stay revoked).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/api/session-names.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture, PASSWORD } from './helpers.ts';

describeOnBackends('accounts', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());

  let n = 0;
  const addUser = (user: { id?: string; email?: string; password: string }) => {
    n++;
    return f.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${f.tokens.admin}`, 'idempotency-key': `acct-${n}` },
      payload: {
        id: user.id ?? `acct-${n}`,
        email: user.email ?? `acct-${n}@example.org`,
        name: 'Account Test',
        role: 'auditor',
        password: user.password,
      },
    });
  };
  const login = (email: string, password = PASSWORD) =>
    f.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

  it.each([
    ['aaaaaaaaaaaa', /at least 15 characters/],
    ['fourteen chars', /at least 15 characters/],
    ['aaaaaaaaaaaaaaaaaaaa', /repeated/],
    ['abcabcabcabcabcabc', /repeated/],
    ['123456789012345678', /simple sequence/],
    ['zyxwvutsrqponmlkj', /simple sequence/],
    ['qwertyuiopasdfghjkl', /simple sequence/],
    ['passwordpassword', /commonly used/],
    ['1qaz2wsx3edc4rfv', /commonly used/],
    ['PasswordPassword', /commonly used/], // compared without regard to case
  ])('refuses %s with a message that says why', async (password, message) => {
    const response = await addUser({ password });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toMatch(/password/);
    expect(response.json().message).toMatch(message);
  });

  it("refuses the account's own email as its password", async () => {
    const email = 'my.own.address@example.org';
    const response = await addUser({ id: 'own-words', email, password: email.toUpperCase() });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().message).toMatch(/own id, name or email/);
  });

  it.each([
    PASSWORD, // the fixtures' passphrase: 28 characters, not on the list
    'lowercase words only here',
    'ünïcödé pässwörd wörks fine',
    'x'.repeat(1) + 'y7'.repeat(31) + 'z', // 64 characters
    Array.from({ length: 256 }, (_, i) => String.fromCharCode(33 + ((i * 7) % 90))).join(''),
  ])('accepts a long password with no composition rules (%#)', async (password) => {
    const response = await addUser({ password });
    expect(response.statusCode, response.body).toBe(200);
  });

  it('refuses a password longer than 256 characters', async () => {
    const response = await addUser({ password: 'long passphrase '.repeat(17) });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/at most 256 characters/);
  });

  it('one account per email without regard to case; login ignores case', async () => {
    const clash = await addUser({ id: 'banker-upper', email: 'BANKER@example.org', password: PASSWORD });
    expect(clash.statusCode, clash.body).toBe(409);
    expect(clash.json().error).toBe('duplicate_id');
    const added = await addUser({ id: 'mixed-case', email: 'Mixed.Case@Example.ORG', password: PASSWORD });
    expect(added.statusCode, added.body).toBe(200);
    const stored = await f.keel.database.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', 'mixed-case')
      .executeTakeFirstOrThrow();
    expect(stored.email).toBe('mixed.case@example.org');
    expect((await login('MIXED.CASE@example.org')).statusCode).toBe(200);
    expect((await login('BANKER@EXAMPLE.ORG')).statusCode).toBe(200);
  });

  it('the database itself refuses a second account for the same email in another case', async () => {
    await expect(
      f.keel.database.db
        .insertInto('users')
        .values({
          id: 'sql-clash',
          email: 'Banker@example.org',
          name: 'x',
          role: 'banker',
          password_hash: 'x',
        })
        .execute(),
    ).rejects.toThrow(/users_email_lower|check constraint|unique/i);
  });

  it('an admin disables a user: sessions end, tokens are revoked, login is refused', async () => {
    const added = await addUser({ id: 'leaver', email: 'leaver@example.org', password: PASSWORD });
    expect(added.statusCode).toBe(200);
    const session = await login('leaver@example.org');
    const cookies = { [SESSION_COOKIE]: session.cookies.find((c) => c.name === SESSION_COOKIE)!.value };
    const token = await f.app.inject({
      method: 'POST',
      url: '/api/tokens',
      cookies,
      headers: { 'idempotency-key': 'leaver-token', [CSRF_HEADER]: session.json().csrfToken },
      payload: { name: 'laptop', scope: 'write' },
    });
    expect(token.statusCode, token.body).toBe(200);
    const bearer = { authorization: `Bearer ${token.json().result.token}` };
    expect((await f.app.inject({ method: 'GET', url: '/api/me', headers: bearer })).statusCode).toBe(200);

    const byBanker = await f.app.inject({
      method: 'POST',
      url: '/api/users/leaver/disable',
      headers: { authorization: `Bearer ${f.tokens.banker}`, 'idempotency-key': 'disable-by-banker' },
    });
    expect(byBanker.statusCode).toBe(403);

    const disabled = await f.app.inject({
      method: 'POST',
      url: '/api/users/leaver/disable',
      headers: { authorization: `Bearer ${f.tokens.admin}`, 'idempotency-key': 'disable-leaver' },
    });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json().result).toMatchObject({
      id: 'leaver',
      disabled: true,
      sessionsEnded: 1,
      tokensRevoked: 1,
      jobsCancelled: 0,
    });

    expect((await f.app.inject({ method: 'GET', url: '/api/me', cookies })).statusCode).toBe(401);
    expect((await f.app.inject({ method: 'GET', url: '/api/me', headers: bearer })).statusCode).toBe(401);
    expect((await login('leaver@example.org')).statusCode).toBe(401);
  });

  it('an admin enables a disabled user again: they sign in, their old token stays revoked; audited', async () => {
    await addUser({ id: 'returner', email: 'returner@example.org', password: PASSWORD });
    const session = await login('returner@example.org');
    const created = await f.app.inject({
      method: 'POST',
      url: '/api/tokens',
      cookies: { [SESSION_COOKIE]: session.cookies.find((c) => c.name === SESSION_COOKIE)!.value },
      headers: { 'idempotency-key': 'returner-token', [CSRF_HEADER]: session.json().csrfToken },
      payload: { name: 'returner', scope: 'read' },
    });
    expect(created.statusCode, created.body).toBe(200);
    const token = created.json().result.token as string;
    const enable = (who: 'admin' | 'banker' | 'auditor', key: string, id = 'returner') =>
      f.app.inject({
        method: 'POST',
        url: `/api/users/${id}/enable`,
        headers: { authorization: `Bearer ${f.tokens[who]}`, 'idempotency-key': key },
      });
    // Not disabled: nothing to enable.
    const active = await enable('admin', 'enable-active');
    expect(active.statusCode).toBe(422);
    expect(active.json().message).toBe('returner is not disabled');
    const off = await f.app.inject({
      method: 'POST',
      url: '/api/users/returner/disable',
      headers: { authorization: `Bearer ${f.tokens.admin}`, 'idempotency-key': 'disable-returner' },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect((await login('returner@example.org')).statusCode).toBe(401);

    expect((await enable('banker', 'enable-by-banker')).statusCode).toBe(403);
    expect((await enable('auditor', 'enable-by-auditor')).statusCode).toBe(403);
    const unknown = await enable('admin', 'enable-nobody', 'nobody');
    expect(unknown.statusCode).toBe(404);
    const enabled = await enable('admin', 'enable-returner');
    expect(enabled.statusCode, enabled.body).toBe(200);
    expect(enabled.json()).toEqual({
      result: { id: 'returner', disabled: false, role: 'auditor' },
      replayed: false,
    });
    // The same request again is a replay; the login works; a token revoked by the disabling stays revoked.
    expect((await enable('admin', 'enable-returner')).json().replayed).toBe(true);
    expect((await login('returner@example.org')).statusCode).toBe(200);
    const me = await f.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(401);
    const audit = await f.keel.database.db
      .selectFrom('audit_log')
      .select('body')
      .where('body', 'like', '%"action":"user.enable"%')
      .execute();
    expect(audit.map((row) => JSON.parse(row.body))).toMatchObject([
      { actor: 'admin', action: 'user.enable', subject: 'user:returner' },
    ]);
  });

  it('a token is refused by the first request after its revocation, even with requests racing the revocation', async () => {
    // The embedded mode keeps resolved tokens (app/token-cache.ts): a revocation must still take effect at once.
    const { token, id } = (
      await f.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: { authorization: `Bearer ${f.tokens.admin}`, 'idempotency-key': 'race-token' },
        payload: { name: 'race', scope: 'read' },
      })
    ).json().result as { token: string; id: string };
    const bearer = { authorization: `Bearer ${token}` };
    const me = () => f.app.inject({ method: 'GET', url: '/api/me', headers: bearer });
    expect((await me()).statusCode).toBe(200);
    const racing = Array.from({ length: 20 }, me);
    const revoked = await f.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${id}`,
      headers: { authorization: `Bearer ${f.tokens.admin}` },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    await Promise.all(racing);
    for (let i = 0; i < 5; i++) expect((await me()).statusCode).toBe(401);
  });

  it('an admin cannot disable their own account', async () => {
    const self = await f.app.inject({
      method: 'POST',
      url: '/api/users/admin/disable',
      headers: { authorization: `Bearer ${f.tokens.admin}`, 'idempotency-key': 'disable-self' },
    });
    expect(self.statusCode).toBe(422);
    expect(self.json().error).toBe('invalid_account_change');
  });
});
