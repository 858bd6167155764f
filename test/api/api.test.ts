import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROUTE_TABLE } from '../../src/api/route.ts';
import { buildServer } from '../../src/api/server.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/api/session-names.ts';
import { openKeel } from '../../src/app/open.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture, multipartCsv, PASSWORD } from './helpers.ts';

describeOnBackends('HTTP API', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());

  const bearer = (role: keyof ApiFixture['tokens']) => ({ authorization: `Bearer ${f.tokens[role]}` });

  it('logs in with a session cookie and refuses browser writes without the CSRF token', async () => {
    const login = await f.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'portfolio-manager@example.org', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const { csrfToken } = login.json();
    const cookies = { [SESSION_COOKIE]: cookie.value };

    const me = await f.app.inject({ method: 'GET', url: '/api/me', cookies });
    expect(me.json().user).toEqual({ id: 'portfolio-manager', role: 'portfolio_manager' });

    const body = { to: 'exited' };
    const forged = await f.app.inject({
      method: 'POST',
      url: `/api/deals/${f.sentinelDeal}/stage`,
      cookies,
      headers: { 'idempotency-key': 'csrf-1' },
      payload: body,
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error).toBe('csrf');
    const real = await f.app.inject({
      method: 'POST',
      url: `/api/deals/${f.sentinelDeal}/stage`,
      cookies,
      headers: { 'idempotency-key': 'csrf-2', [CSRF_HEADER]: csrfToken },
      payload: body,
    });
    expect(real.statusCode, real.body).toBe(422); // approved → exited breaks the pipeline rules: the request got through CSRF
    expect(real.json().message).toMatch(/cannot move from approved to exited/);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const wrong = await f.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'banker@example.org', password: 'nope' },
    });
    const unknown = await f.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.org', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  // The counters live in the database (shared by every server on it), so each test below logs in from an
  // address of its own: the fixture's other logins come from 127.0.0.1.
  const loginFrom =
    (app: FastifyInstance, remoteAddress: string, email = 'banker@example.org') =>
    () =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { email, password: 'guess' },
      });

  it('rate-limits login attempts per client, with the usual error body', async () => {
    const strict = await buildServer(f.keel, { loginRateLimit: 3 });
    try {
      const attempt = loginFrom(strict, '192.0.2.10');
      for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
      const limited = await attempt();
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({
        error: expect.any(String),
        message: expect.stringMatching(/rate limit/i),
      });
      // Another client still gets its own attempts.
      expect((await loginFrom(strict, '192.0.2.11')()).statusCode).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it('the login limit holds across two servers on one database, and across a restart', async () => {
    // A second server process on PostgreSQL is a second connection pool on the same database; on PGlite
    // (one process per data folder) it is a second server on the same open database.
    const other = backend === 'postgres' ? await openKeel(f.keel.config, { poolSize: 2 }) : f.keel;
    const a = await buildServer(f.keel, { loginRateLimit: 3 });
    let b = await buildServer(other, { loginRateLimit: 3 });
    try {
      expect((await loginFrom(a, '192.0.2.20')()).statusCode).toBe(401);
      expect((await loginFrom(b, '192.0.2.20')()).statusCode).toBe(401);
      // A restart of server b: a fresh process keeps no counters in memory.
      await b.close();
      b = await buildServer(other, { loginRateLimit: 3 });
      expect((await loginFrom(a, '192.0.2.20')()).statusCode).toBe(401);
      const limited = await loginFrom(b, '192.0.2.20')();
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect((await loginFrom(a, '192.0.2.20')()).statusCode).toBe(429);
    } finally {
      await a.close();
      await b.close();
      if (other !== f.keel) await other.close();
    }
  });

  it('logs a logout in the audit chain and ends the session', async () => {
    const login = await f.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'auditor@example.org', password: PASSWORD },
    });
    const cookies = { [SESSION_COOKIE]: login.cookies.find((c) => c.name === SESSION_COOKIE)!.value };
    const out = await f.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies,
      headers: { [CSRF_HEADER]: login.json().csrfToken },
    });
    expect(out.statusCode).toBe(200);
    expect((await f.app.inject({ method: 'GET', url: '/api/me', cookies })).statusCode).toBe(401);
    const last = await f.keel.database.db
      .selectFrom('audit_log')
      .select('body')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(last.body)).toMatchObject({ action: 'auth.logout', actor: 'auditor' });
  });

  it('serves an OpenAPI document listing every route, and secure headers', async () => {
    const doc = await f.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const paths = doc.json().paths as Record<string, Record<string, unknown>>;
    // Browser redirects (the single sign-on steps) are not API operations: the document leaves them out.
    for (const route of ROUTE_TABLE.filter((r) => !r.browserRedirect)) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
    }
    expect(doc.headers['x-content-type-options']).toBe('nosniff');
    expect(doc.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('records a ledger entry with exact cents, idempotently, and reports cap breaches as 409', async () => {
    const headers = { ...bearer('portfolio_manager'), 'idempotency-key': 'api-ledger-1' };
    const payload = { dealId: f.sentinelDeal, kind: 'commitment', amount: '0.07', effectiveOn: '2026-07-01' };
    const first = await f.app.inject({ method: 'POST', url: '/api/ledger', headers, payload });
    expect(first.statusCode, first.body).toBe(200);
    const again = await f.app.inject({ method: 'POST', url: '/api/ledger', headers, payload });
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    const over = await f.app.inject({
      method: 'POST',
      url: '/api/ledger',
      headers: { ...headers, 'idempotency-key': 'api-ledger-2' },
      payload: { ...payload, amount: '600000000.00' },
    });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ error: 'cap_exceeded', details: { capId: 'equity-vc-per-company' } });
    // One entry is not a batch: the refusal names "this entry", never "entry 1".
    expect(over.json().message).toMatch(
      /^this entry: a commitment of \$600,000,000\.00 would exceed the cap/,
    );
    const bad = await f.app.inject({
      method: 'POST',
      url: '/api/ledger',
      headers: { ...headers, 'idempotency-key': 'api-ledger-3' },
      payload: { ...payload, amount: '1.005' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/body.amount: "1.005" has more than 2 decimal places/);
    const missingKey = await f.app.inject({
      method: 'POST',
      url: '/api/ledger',
      headers: bearer('portfolio_manager'),
      payload,
    });
    expect(missingKey.statusCode).toBe(400);
    expect(missingKey.json().message).toMatch(/idempotency-key/);
  });

  it('refuses NUL characters with a 400 and writes nothing', async () => {
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/companies',
      headers: { ...bearer('admin'), 'idempotency-key': 'nul-1' },
      payload: { id: 'nul-co', name: 'a\u0000b', usBased: true, source: 'synthetic (test)' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: 'invalid_text',
      message: 'body.name contains a NUL character, which text fields cannot hold',
    });
  });

  it('refuses a lone UTF-16 surrogate (ill-formed Unicode) with a 400 and writes nothing, on every route', async () => {
    // JSON's \ud800 escape decodes to a lone surrogate, which no UTF-8 text column can store; a ledger key
    // holding one used to reach the database and answer 500.
    const body = (name: string) =>
      `{"id":"surrogate-co","name":"${name}","usBased":true,"source":"synthetic (test)"}`;
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/companies',
      headers: { ...bearer('admin'), 'idempotency-key': 'surrogate-1', 'content-type': 'application/json' },
      payload: body('a\\ud800b'),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: 'invalid_text',
      message: 'body.name contains a lone UTF-16 surrogate, which is not well-formed Unicode text',
    });
    const ledger = await f.app.inject({
      method: 'POST',
      url: '/api/ledger',
      headers: {
        ...bearer('portfolio_manager'),
        'idempotency-key': 'surrogate-3',
        'content-type': 'application/json',
      },
      payload: `{"clientKey":"k-\\udfff","dealId":"${f.sentinelDeal}","kind":"commitment","amount":"0.07","effectiveOn":"2026-07-01"}`,
    });
    expect(ledger.statusCode).toBe(400);
    expect(ledger.json().error).toBe('invalid_text');
    // A pair that makes one character is fine (U+1F600).
    const pair = await f.app.inject({
      method: 'POST',
      url: '/api/companies',
      headers: { ...bearer('admin'), 'idempotency-key': 'surrogate-2', 'content-type': 'application/json' },
      payload: body('a\\ud83d\\ude00b'),
    });
    expect(pair.statusCode).toBeLessThan(300);
  });

  it('imports a CSV upload in the background with progress, and can cancel', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `bg-co-${i},Background Co ${i},yes,synthetic (test)`);
    const upload = multipartCsv(`id,name,us_based,source\n${rows.join('\n')}\n`);
    const started = await f.app.inject({
      method: 'POST',
      url: '/api/imports/companies',
      headers: { ...bearer('admin'), ...upload.headers, 'idempotency-key': 'bg-1' },
      payload: upload.payload,
    });
    expect(started.statusCode).toBe(202);
    const job = started.json();
    let status = job;
    for (let i = 0; i < 200 && status.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (
        await f.app.inject({ method: 'GET', url: `/api/import-jobs/${job.id}`, headers: bearer('admin') })
      ).json();
    }
    expect(status).toMatchObject({ status: 'done', rows: 3000, done: 3000, total: 3000 });

    const other = await f.app.inject({
      method: 'GET',
      url: `/api/import-jobs/${job.id}`,
      headers: bearer('portfolio_manager'),
    });
    expect(other.statusCode).toBe(404); // someone else's job is not visible

    const badUpload = multipartCsv(
      'id,name,us_based,source\nok-co,OK,yes,synthetic (test)\nBAD,Bad,yes,synthetic (test)\n',
    );
    const failing = await f.app.inject({
      method: 'POST',
      url: '/api/imports/companies',
      headers: { ...bearer('admin'), ...badUpload.headers, 'idempotency-key': 'bg-2' },
      payload: badUpload.payload,
    });
    let failed = failing.json();
    for (let i = 0; i < 100 && failed.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      failed = (
        await f.app.inject({ method: 'GET', url: `/api/import-jobs/${failed.id}`, headers: bearer('admin') })
      ).json();
    }
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/line 3, field id/);
  });

  it('exports deals as CSV and XLSX with amounts as numbers', async () => {
    const csv = await f.app.inject({
      method: 'GET',
      url: '/api/exports/deals?format=csv',
      headers: bearer('auditor'),
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toBe(
      'id,company_id,sub_area_id,instrument,amount_usd,stage,classification,opened_on,announced_on,source,synthetic',
    );
    expect(csv.body).toContain(`${f.sentinelDeal},`);
    const xlsx = await f.app.inject({
      method: 'GET',
      url: '/api/exports/ledger?format=xlsx',
      headers: bearer('auditor'),
    });
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as never);
    const sheet = book.getWorksheet('ledger')!;
    expect(sheet.getRow(1).values).toContain('amount_usd');
    expect(sheet.getRow(2).getCell(5).value).toBe(12_345_678);
  });
});
