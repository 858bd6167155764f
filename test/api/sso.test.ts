/**
 * Single sign-on through HTTP against a real OpenID Connect provider (oidc-provider, started here): the
 * sign-in makes an account from the issuer and subject with the role its claim names, and the attacks on the
 * callback are refused without a session: a state that is not the login's, a replayed callback, a forged
 * nonce, a role that does not exist, an email that a local account holds, a disabled account.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/api/session-names.ts';
import { disableUser } from '../../src/app/accounts.ts';
import { addUser } from '../../src/app/auth.ts';
import { issuePasswordReset } from '../../src/app/password-reset.ts';
import { requestRoleChange } from '../../src/app/role-changes.ts';
import { seal, ssoUserId, unseal } from '../../src/app/sso.ts';
import { describeOnBackends, freshKeel, type TestKeel } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { signInAtProvider, startProvider, type TestProvider } from '../support/oidc-provider.ts';

// Keel is reached by inject here; the address only has to be the one the provider knows the client by.
const KEEL = 'http://127.0.0.1:9';

describeOnBackends('single sign-on (OpenID Connect)', (backend) => {
  let keel: TestKeel;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let provider: TestProvider;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    provider = await startProvider(KEEL);
    keel.sso = provider.ssoConfig({ 'ic-members': 'investment_committee', auditors: 'auditor' });
    app = await buildServer(keel, { loginRateLimit: 1_000 });
    await addUser(keel, testAdmin, {
      id: 'lola',
      email: 'lola@example.org',
      name: 'Lola Local',
      role: 'banker',
      password: 'a local password of some length',
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await provider?.close();
    await keel?.close();
  });

  const cookieOf = (response: LightMyRequestResponse, name: string) =>
    response.cookies.find((c) => c.name === name && c.value)?.value;

  /** Starts a login at Keel: the provider URL and the login cookie. */
  async function start() {
    const started = await app.inject({ method: 'GET', url: '/api/auth/oidc/login' });
    expect(started.statusCode, started.body).toBe(302);
    const cookie = cookieOf(started, 'keel_oidc');
    expect(cookie).toBeDefined();
    return { authorizationUrl: String(started.headers.location), cookie: cookie as string };
  }

  const callback = (url: string, cookie: string | undefined) =>
    app.inject({
      method: 'GET',
      url: url.slice(KEEL.length),
      ...(cookie ? { cookies: { keel_oidc: cookie } } : {}),
    });

  /** A whole sign-in as provider account `sub`: Keel's answer to the callback. */
  async function signIn(sub: string) {
    const { authorizationUrl, cookie } = await start();
    return callback(await signInAtProvider(authorizationUrl, sub), cookie);
  }

  const refusedWith = (response: LightMyRequestResponse, reason: string) => {
    expect(response.statusCode, response.body).toBe(303);
    expect(response.headers.location).toBe(`/#/login?sso=${reason}`);
    expect(cookieOf(response, SESSION_COOKIE)).toBeUndefined();
  };

  const me = (session: string) =>
    app.inject({ method: 'GET', url: '/api/me', cookies: { [SESSION_COOKIE]: session } });
  const userRow = (id: string) =>
    keel.database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

  it('tells the web app it is on, and signs a provider account in with the role its claim maps to', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/auth/oidc' })).json()).toEqual({ enabled: true });
    provider.accounts.set('ivy', { email: 'ivy@example.com', name: 'Ivy Member', keel_role: 'ic-members' });
    const done = await signIn('ivy');
    expect(done.statusCode, done.body).toBe(303);
    expect(done.headers.location).toBe('/');
    const session = cookieOf(done, SESSION_COOKIE);
    expect(session).toBeDefined();
    const id = ssoUserId(provider.issuer, 'ivy');
    const who = await me(session as string);
    expect(who.json().user).toEqual({ id, role: 'investment_committee' });
    expect(await userRow(id)).toMatchObject({
      email: 'ivy@example.com',
      name: 'Ivy Member',
      password_hash: 'sso',
    });
    const audit = await keel.database.db
      .selectFrom('audit_log')
      .select('body')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.body)).toMatchObject({
      action: 'auth.login',
      actor: id,
      details: { method: 'oidc', issuer: provider.issuer, created: 'true' },
    });

    // The account has no password here: a local login with its email is refused like a wrong password.
    const local = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ivy@example.com', password: 'sso' },
    });
    expect(local.statusCode).toBe(401);
    // Nor does it get a local second factor or a password-reset link.
    const enrol = await app.inject({
      method: 'POST',
      url: '/api/me/totp',
      cookies: { [SESSION_COOKIE]: session as string },
      headers: { 'idempotency-key': 'sso-totp', [CSRF_HEADER]: who.json().csrfToken },
    });
    expect(enrol.statusCode).toBe(422);
    await expect(issuePasswordReset(keel, testAdmin, id)).rejects.toThrow(/single sign-on/);

    // Logout ends the Keel session and sends the browser to the provider's logout (RP-initiated).
    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: { [SESSION_COOKIE]: session as string },
      headers: { 'idempotency-key': 'sso-out', [CSRF_HEADER]: who.json().csrfToken },
    });
    expect(out.statusCode, out.body).toBe(200);
    const end = new URL(out.json().endSessionUrl);
    expect(end.origin).toBe(provider.issuer);
    expect(end.searchParams.get('client_id')).toBe('keel');
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${KEEL}/`);
    expect((await me(session as string)).statusCode).toBe(401);
  });

  it('applies a role change at the provider at the next sign-in, and audits it', async () => {
    provider.accounts.set('rex', { email: 'rex@example.com', name: 'Rex', keel_role: 'ic-members' });
    const first = await signIn('rex');
    const id = ssoUserId(provider.issuer, 'rex');
    expect((await me(cookieOf(first, SESSION_COOKIE) as string)).json().user.role).toBe(
      'investment_committee',
    );
    provider.accounts.set('rex', { email: 'rex@example.com', name: 'Rex', keel_role: 'auditors' });
    const second = await signIn('rex');
    expect((await me(cookieOf(second, SESSION_COOKIE) as string)).json().user).toEqual({
      id,
      role: 'auditor',
    });
    const audit = await keel.database.db.selectFrom('audit_log').select('body').execute();
    const change = audit.map((row) => JSON.parse(row.body)).find((body) => body.action === 'user.sso_role');
    expect(change).toMatchObject({
      subject: `user:${id}`,
      details: { from: 'investment_committee', to: 'auditor' },
    });
    // Keel's own role change would be undone at the next sign-in: the provider is where it is made.
    await expect(
      requestRoleChange(keel, testAdmin, 'sso-role', id, { role: 'banker', reason: 'moves to coverage' }),
    ).rejects.toThrow(/role claim sets the role/);
  });

  it('refuses a claim naming no Keel role, or none at all, and makes no account', async () => {
    provider.accounts.set('odd', { email: 'odd@example.com', keel_role: 'superuser' });
    refusedWith(await signIn('odd'), 'role');
    provider.accounts.set('none', { email: 'none@example.com' });
    refusedWith(await signIn('none'), 'role');
    // A Keel role's own name is not in the map: with a map, only the map's values count.
    provider.accounts.set('named', { email: 'named@example.com', keel_role: 'admin' });
    refusedWith(await signIn('named'), 'role');
    for (const sub of ['odd', 'none', 'named'])
      expect(await userRow(ssoUserId(provider.issuer, sub))).toBeUndefined();
  });

  it("cannot take over a local account by its email, nor by its id as the provider's subject", async () => {
    provider.accounts.set('mallory', { email: 'LOLA@example.org', keel_role: 'ic-members' });
    refusedWith(await signIn('mallory'), 'email_taken');
    // The subject "lola" is another account than the local lola: ids come from issuer and subject.
    provider.accounts.set('lola', { email: 'lola-at-idp@example.com', keel_role: 'ic-members' });
    const done = await signIn('lola');
    const who = (await me(cookieOf(done, SESSION_COOKIE) as string)).json().user;
    expect(who.id).not.toBe('lola');
    expect(await userRow('lola')).toMatchObject({ role: 'banker', email: 'lola@example.org' });
  });

  it('refuses a disabled Keel account though the provider says yes', async () => {
    provider.accounts.set('dora', { email: 'dora@example.com', keel_role: 'auditors' });
    expect((await signIn('dora')).statusCode).toBe(303);
    await disableUser(keel, testAdmin, 'disable-dora', ssoUserId(provider.issuer, 'dora'));
    refusedWith(await signIn('dora'), 'disabled');
  });

  it('refuses a callback whose state is not the login’s, or without the login cookie, or with a forged one', async () => {
    provider.accounts.set('sam', { email: 'sam@example.com', keel_role: 'auditors' });
    const { authorizationUrl, cookie } = await start();
    const back = new URL(await signInAtProvider(authorizationUrl, 'sam'));
    const otherState = new URL(back);
    otherState.searchParams.set('state', 'not-the-state-of-this-login');
    refusedWith(await callback(otherState.href, cookie), 'provider');
    refusedWith(await callback(back.href, undefined), 'expired');
    const [payload] = cookie.split('.');
    refusedWith(await callback(back.href, `${payload}.${'A'.repeat(43)}`), 'expired');
    // Another login's cookie: its state is not this callback's.
    refusedWith(await callback(back.href, (await start()).cookie), 'provider');
  });

  it('refuses a replayed callback: the code is spent at the provider', async () => {
    provider.accounts.set('ray', { email: 'ray@example.com', keel_role: 'auditors' });
    const { authorizationUrl, cookie } = await start();
    const back = await signInAtProvider(authorizationUrl, 'ray');
    expect(cookieOf(await callback(back, cookie), SESSION_COOKIE)).toBeDefined();
    refusedWith(await callback(back, cookie), 'provider');
  });

  it('refuses an ID token whose nonce is not the login’s', async () => {
    provider.accounts.set('nina', { email: 'nina@example.com', keel_role: 'auditors' });
    const sso = provider.ssoConfig();
    const { authorizationUrl, cookie } = await start();
    const back = await signInAtProvider(authorizationUrl, 'nina');
    // The cookie's signature is forged with the client secret: only the nonce differs.
    const forged = seal(sso, { ...unseal(sso, cookie), nonce: 'another-nonce' });
    const refused = await callback(back, forged);
    refusedWith(refused, 'provider');
    expect(await userRow(ssoUserId(provider.issuer, 'nina'))).toBeUndefined();
  });

  it('gives a local account no provider logout, and an unconfigured server no SSO', async () => {
    const local = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'lola@example.org', password: 'a local password of some length' },
    });
    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: { [SESSION_COOKIE]: cookieOf(local, SESSION_COOKIE) as string },
      headers: { 'idempotency-key': 'local-out', [CSRF_HEADER]: local.json().csrfToken },
    });
    expect(out.json()).toEqual({ loggedOut: true, endSessionUrl: null });
    const sso = keel.sso;
    keel.sso = undefined;
    try {
      expect((await app.inject({ method: 'GET', url: '/api/auth/oidc' })).json()).toEqual({ enabled: false });
      refusedWith(await app.inject({ method: 'GET', url: '/api/auth/oidc/login' }), 'off');
    } finally {
      keel.sso = sso;
    }
  });
});
