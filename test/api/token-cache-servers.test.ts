/**
 * API tokens and sessions cached by servers on one PostgreSQL database (app/token-cache.ts, migrations 0038 and 0039): two servers
 * each cache a token; a revocation through one, a user disabled by an operator's SQL, reach the other by
 * the database's notice; a server whose notice connection is down trusts no cached token. PostgreSQL only:
 * the embedded database has one process, whose own writes empty its cache.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.ts';
import { addUser, createApiToken, revokeApiToken } from '../../src/app/auth.ts';
import { openKeel } from '../../src/app/open.ts';
import { freshKeel, SERVER_URL, type TestKeel } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

describe.skipIf(!SERVER_URL)('API tokens cached by two servers on one PostgreSQL', () => {
  let keel: TestKeel;
  let a: Awaited<ReturnType<typeof openKeel>>;
  let b: Awaited<ReturnType<typeof openKeel>>;
  let serverA: Awaited<ReturnType<typeof buildServer>>;
  let serverB: Awaited<ReturnType<typeof buildServer>>;
  const me = (server: typeof serverA, token: string) =>
    server.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
  /** Polls until `server` answers `status` for `token`; answers the milliseconds it took. */
  async function until(server: typeof serverA, token: string, status: number, limitMs = 3_000) {
    const started = performance.now();
    for (;;) {
      if ((await me(server, token)).statusCode === status) return performance.now() - started;
      if (performance.now() - started > limitMs) throw new Error(`still not ${status} after ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const newToken = async (user: string) =>
    createApiToken(keel, { id: user, role: 'banker' }, { name: `t-${Math.random()}`, scope: 'read' });

  beforeAll(async () => {
    keel = await freshKeel('postgres');
    for (const id of ['banker-1', 'banker-2'])
      await addUser(keel, testAdmin, {
        id,
        email: `${id}@example.org`,
        name: id,
        role: 'banker',
        password: 'correct horse battery staple',
      });
    a = await openKeel(keel.config, { poolSize: 2, cacheTokens: true });
    b = await openKeel(keel.config, { poolSize: 2, cacheTokens: true });
    serverA = await buildServer(a);
    serverB = await buildServer(b);
  });
  afterAll(async () => {
    await serverA?.close();
    await serverB?.close();
    await a?.close();
    await b?.close();
    await keel.close();
  });

  it('a token revoked through one server is refused by the other once the notice arrives', async () => {
    const { id, token } = await newToken('banker-1');
    const before = await me(serverB, token);
    expect(before.statusCode).toBe(200);
    // Who am I names the token, so that its holder knows which one to revoke.
    expect(before.json().user).toMatchObject({ scope: expect.any(String), tokenId: id });
    expect(b.tokenCache?.tokens.get(sha256(token))).toBeDefined(); // cached on b
    await revokeApiToken(a, testAdmin, id);
    // Through a itself, at once (its own write emptied its cache).
    expect((await me(serverA, token)).statusCode).toBe(401);
    const ms = await until(serverB, token, 401);
    expect(ms).toBeLessThan(1_000);
  });

  it('an operator disabling a user by SQL reaches both servers', async () => {
    const { token } = await newToken('banker-2');
    expect((await me(serverA, token)).statusCode).toBe(200);
    expect((await me(serverB, token)).statusCode).toBe(200);
    await sql`UPDATE users SET disabled = true WHERE id = 'banker-2'`.execute(keel.database.db);
    await until(serverA, token, 401);
    await until(serverB, token, 401);
    await sql`UPDATE users SET disabled = false WHERE id = 'banker-2'`.execute(keel.database.db);
  });

  it('a server that cannot hear the notices trusts no cached token, and caches again once it listens', async () => {
    const { token } = await newToken('banker-1');
    expect((await me(serverB, token)).statusCode).toBe(200);
    expect(b.tokenCache?.tokens.get(sha256(token))).toBeDefined();
    // Cut every listening connection (the notices of both servers).
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = current_database() AND query LIKE 'LISTEN keel_credentials%'`.execute(
      keel.database.db,
    );
    // Lost notice or not: once b knows its connection is gone, nothing cached is used.
    const deadline = performance.now() + 3_000;
    while (b.tokenCache?.tokens.get(sha256(token)) !== undefined && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(b.tokenCache?.tokens.get(sha256(token))).toBeUndefined();
    // A change while b is deaf (the trigger's notice goes nowhere): b asks the database, so refuses at once.
    await sql`UPDATE users SET disabled = true WHERE id = 'banker-1'`.execute(keel.database.db);
    expect((await me(serverB, token)).statusCode).toBe(401);
    await sql`UPDATE users SET disabled = false WHERE id = 'banker-1'`.execute(keel.database.db);
    // b listens again within its reconnect pause, and caches again.
    const back = performance.now() + 5_000;
    for (;;) {
      expect((await me(serverB, token)).statusCode).toBe(200);
      if (b.tokenCache?.tokens.get(sha256(token)) !== undefined) break;
      if (performance.now() > back) throw new Error('b did not listen again within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('a session ended through one server (logout), or by an operator, is refused by the other', async () => {
    const login = async () => {
      const res = await serverA.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'banker-2@example.org', password: 'correct horse battery staple' },
      });
      expect(res.statusCode).toBe(200);
      const cookie = res.cookies.find((c) => c.name === 'keel_session')!;
      return { token: cookie.value, csrf: (res.json() as { csrfToken: string }).csrfToken };
    };
    const meBy = (server: typeof serverA, cookie: string) =>
      server.inject({ method: 'GET', url: '/api/me', cookies: { keel_session: cookie } });
    const untilSession = async (server: typeof serverA, cookie: string) => {
      const started = performance.now();
      while ((await meBy(server, cookie)).statusCode !== 401) {
        if (performance.now() - started > 3_000) throw new Error('the session still works after 3 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return performance.now() - started;
    };
    const first = await login();
    expect((await meBy(serverB, first.token)).statusCode).toBe(200);
    expect(b.tokenCache?.sessions.get(sha256(first.token)), 'cached on b').toBeDefined();
    const out = await serverA.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: { keel_session: first.token },
      headers: { 'x-csrf-token': first.csrf },
    });
    expect(out.statusCode).toBe(200);
    expect((await meBy(serverA, first.token)).statusCode, 'at once through a').toBe(401);
    expect(await untilSession(serverB, first.token)).toBeLessThan(1_000);

    const second = await login();
    expect((await meBy(serverB, second.token)).statusCode).toBe(200);
    await sql`DELETE FROM sessions WHERE user_id = 'banker-2'`.execute(keel.database.db);
    await untilSession(serverA, second.token);
    await untilSession(serverB, second.token);
  });
});
