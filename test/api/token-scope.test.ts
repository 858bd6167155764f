/**
 * Read-scoped API tokens, built from the route table like the role × route matrix: for every role (and the
 * wall-crossed analyst), a read token is refused with 403 `forbidden` on every POST and DELETE route, and
 * allowed on exactly the GET routes its role allows with a read scope. Refused requests change nothing.
 * Then the attacks that worked before: a read token minting a write token, revoking its user's write
 * token, and running a scenario.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Access, ROUTE_TABLE } from '../../src/api/route.ts';
import { createApiToken, revokeApiToken } from '../../src/app/auth.ts';
import { can, type Principal, ROLES, type Role } from '../../src/domain/roles.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture, EXAMPLE_QUERIES, exampleBody, multipartCsv } from './helpers.ts';

type Who = Role | 'crossed_analyst';
const WHO: Who[] = [...ROLES, 'crossed_analyst'];
const userId = (who: Who) => who.replaceAll('_', '-');
const roleOf = (who: Who): Role => (who === 'crossed_analyst' ? 'research_analyst' : who);

/** A real record for each path parameter, so that an allowed GET is answered by its use case. */
function pathFor(url: string, f: ApiFixture): string {
  const id = url.startsWith('/api/deals')
    ? f.sentinelDeal
    : url.startsWith('/api/companies') || url.startsWith('/api/credit/obligors')
      ? 'sentinelhypersonics-0-co'
      : url.startsWith('/api/research/scenarios')
        ? 'antimony-export-ban'
        : url.startsWith('/api/network/organisations')
          ? 'agnico-eagle-mines'
          : url.includes('tokens')
            ? 'tok_doesnotexist'
            : url.startsWith('/api/users')
              ? 'banker'
              : url.startsWith('/api/import')
                ? 'imp_doesnotexist'
                : '1';
  return url
    .replace(':id', id)
    .replace(':kind', url.includes('exports') ? 'deals' : 'companies')
    .replace(':index', '0');
}

function readTokenAllowed(access: Access, who: Who, url: string): boolean {
  if (access === 'public' || access === 'authenticated') return true;
  const principal: Principal = { id: 'x', role: roleOf(who), scope: 'read' };
  if (who === 'crossed_analyst' && url === '/api/deals/:id') return true;
  return can(principal, access);
}

async function writesSoFar(f: ApiFixture): Promise<string> {
  const { rows } = await sql<{ audit: bigint; keys: bigint; tokens: bigint }>`
    SELECT (SELECT seq FROM audit_head) AS audit, (SELECT count(*) FROM idempotency_keys) AS keys,
           (SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL) AS tokens`.execute(f.keel.database.db);
  return JSON.stringify(rows[0], (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

describeOnBackends('read-scoped API tokens', (backend) => {
  let f: ApiFixture;
  const readTokens = {} as Record<Who, string>;
  const readTokenIds = {} as Record<Who, string>;

  beforeAll(async () => {
    f = await apiFixture(backend);
    // Each user mints a read token for itself through the API, with its write token.
    for (const who of WHO) {
      const created = await f.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: { authorization: `Bearer ${f.tokens[who]}`, 'idempotency-key': `ro-${userId(who)}` },
        payload: { name: 'read only', scope: 'read' },
      });
      expect(created.statusCode, created.body).toBe(200);
      readTokens[who] = created.json().result.token;
      readTokenIds[who] = created.json().result.id;
    }
  });
  afterAll(() => f.close());

  const asRead = (who: Who) => ({ authorization: `Bearer ${readTokens[who]}` });

  it('every role: 403 on every POST and DELETE route, allowed on the GETs its role allows; nothing written', async () => {
    const before = await writesSoFar(f);
    const failures: string[] = [];
    let n = 0;
    for (const route of ROUTE_TABLE) {
      for (const who of WHO) {
        n++;
        const key = `scope-${userId(who)}-${n}`;
        const url = `${pathFor(route.url, f)}${EXAMPLE_QUERIES[route.url] ?? ''}`;
        const headers: Record<string, string> = asRead(who);
        let payload: string | object | undefined;
        if (route.method !== 'GET') {
          headers['idempotency-key'] = key;
          if (route.multipart) {
            const upload = multipartCsv(
              `id,name,us_based,source\nro-${n},Read Only Co,yes,synthetic (test)\n`,
            );
            Object.assign(headers, upload.headers);
            payload = upload.payload;
          } else payload = exampleBody(route, f, key) ?? {};
        }
        const response = await f.app.inject({
          method: route.method,
          url,
          headers,
          ...(payload === undefined ? {} : { payload }),
        });
        const cell = `${route.method} ${route.url} with ${who}'s read token → ${response.statusCode}`;
        if (response.statusCode >= 500) failures.push(`${cell}: server error ${response.body.slice(0, 200)}`);
        if (route.method !== 'GET') {
          if (response.statusCode !== 403 || response.json().error !== 'forbidden')
            failures.push(`${cell}: a read token must be refused (${response.body.slice(0, 160)})`);
          continue;
        }
        const allowed = readTokenAllowed(route.access, who, route.url);
        if (allowed && (response.statusCode === 401 || response.statusCode === 403))
          failures.push(`${cell}: should be allowed (${response.body.slice(0, 160)})`);
        if (!allowed && response.statusCode !== 403) failures.push(`${cell}: should be refused`);
      }
    }
    expect(failures).toEqual([]);
    expect(n).toBeGreaterThan(ROUTE_TABLE.length * ROLES.length);
    expect(await writesSoFar(f)).toBe(before);
  });

  it('a read token cannot mint a write token (nor any token), and the use case refuses it too', async () => {
    for (const scope of ['write', 'read']) {
      const minted = await f.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: { ...asRead('portfolio_manager'), 'idempotency-key': `mint-${scope}` },
        payload: { name: 'escalate', scope },
      });
      expect(minted.statusCode, minted.body).toBe(403);
      expect(minted.json()).toMatchObject({
        error: 'forbidden',
        message: expect.stringMatching(/read-scoped/),
      });
    }
    // Below the HTTP layer: a read-scoped principal asking the use case directly is refused as well.
    const readPrincipal: Principal = { id: 'portfolio-manager', role: 'portfolio_manager', scope: 'read' };
    await expect(
      createApiToken(f.keel, readPrincipal, { name: 'escalate', scope: 'write' }),
    ).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/cannot create a write-scoped/),
    });
    await expect(
      createApiToken(f.keel, readPrincipal, { name: 'same', scope: 'read' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    // Nobody mints a token for someone else, not even an admin with a write credential: it would let one
    // person act as another (approve their own wall-crossing or role change under another admin's name).
    for (const scope of ['read', 'write'] as const)
      await expect(
        createApiToken(
          f.keel,
          { id: 'admin', role: 'admin', scope },
          { name: 'x', scope: 'read', userId: 'banker' },
        ),
      ).rejects.toMatchObject({ code: 'forbidden' });
    const overHttp = await f.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { authorization: `Bearer ${f.tokens.admin}`, 'idempotency-key': 'mint-for-banker' },
      payload: { name: 'impersonate', scope: 'write', userId: 'banker' },
    });
    expect(overHttp.statusCode, overHttp.body).toBe(403);
    expect(overHttp.json().message).toMatch(/created by its own user/);
    const { rows } = await sql<{
      n: bigint;
    }>`SELECT count(*) AS n FROM api_tokens WHERE name IN ('escalate', 'same', 'x')`.execute(
      f.keel.database.db,
    );
    expect(rows[0]!.n).toBe(0n);
  });

  it("a read token cannot revoke its user's write token", async () => {
    const created = await f.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { authorization: `Bearer ${f.tokens.banker}`, 'idempotency-key': 'banker-second-write' },
      payload: { name: 'second write', scope: 'write' },
    });
    expect(created.statusCode).toBe(200);
    const { id, token } = created.json().result;
    const revoke = await f.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${id}`,
      headers: { ...asRead('banker'), 'idempotency-key': 'ro-revoke' },
    });
    expect(revoke.statusCode, revoke.body).toBe(403);
    await expect(
      revokeApiToken(f.keel, { id: 'banker', role: 'banker', scope: 'read' }, id),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const me = await f.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(200);
    // Its own write token can revoke it.
    const real = await f.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${id}`,
      headers: { authorization: `Bearer ${f.tokens.banker}`, 'idempotency-key': 'rw-revoke' },
    });
    expect(real.statusCode, real.body).toBe(200);
    const after = await f.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
  });

  it('a read token cannot run a scenario (a write under research.read)', async () => {
    const before = await writesSoFar(f);
    const run = await f.app.inject({
      method: 'POST',
      url: '/api/research/scenarios/antimony-export-ban/runs',
      headers: { ...asRead('admin'), 'idempotency-key': 'ro-run' },
    });
    expect(run.statusCode, run.body).toBe(403);
    expect(await writesSoFar(f)).toBe(before);
  });

  it('lists tokens without their secrets: your own, or everyone for an admin', async () => {
    const own = await f.app.inject({ method: 'GET', url: '/api/tokens', headers: asRead('banker') });
    expect(own.statusCode).toBe(200);
    const items = own.json().items as Array<Record<string, unknown>>;
    expect(new Set(items.map((t) => t.userId))).toEqual(new Set(['banker']));
    expect(items.map((t) => t.id)).toContain(readTokenIds.banker);
    expect(own.body).not.toMatch(/keel_|token_sha256/);
    const all = await f.app.inject({ method: 'GET', url: '/api/tokens', headers: asRead('admin') });
    expect(new Set(all.json().items.map((t: { userId: string }) => t.userId)).size).toBeGreaterThan(5);
  });
});
