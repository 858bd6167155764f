/**
 * Health, readiness and Prometheus metrics through HTTP, on both databases: the probes need no credentials,
 * /metrics needs its own token (404 when none is configured, 401 without it, never a user's API token),
 * and its figures are the ones in the database.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.ts';
import { addUser, createApiToken } from '../../src/app/auth.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { describeOnBackends, freshKeel, type TestKeel } from '../integration/backends.ts';
import { entry, seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import { PASSWORD } from './helpers.ts';

const METRICS_TOKEN = 'metrics-token-for-the-test';

describeOnBackends('observability', (backend) => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let withoutToken: FastifyInstance;

  beforeAll(async () => {
    keel = await freshKeel(backend);
    const [deal] = await seedDeals(keel, { prefix: 'obs', count: 1 });
    await recordLedgerEntry(keel, testAdmin, entry('obs-1', deal!, 'commitment', 250_000_000n));
    await recordLedgerEntry(keel, testAdmin, entry('obs-2', deal!, 'draw', 100_000_000n));
    app = await buildServer(keel, { metricsToken: METRICS_TOKEN });
    withoutToken = await buildServer(keel);
  });

  afterAll(async () => {
    await app?.close();
    await withoutToken?.close();
    await keel?.close();
  });

  const scrape = () =>
    app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });

  it('answers /healthz and /readyz without credentials', async () => {
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('is not ready while a migration is pending', async () => {
    const last = await keel.database.db
      .selectFrom('schema_migrations')
      .selectAll()
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow();
    await sql`DELETE FROM schema_migrations WHERE version = ${last.version}`.execute(keel.database.db);
    try {
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'not_ready', pending: [last.version] });
    } finally {
      await keel.database.db.insertInto('schema_migrations').values(last).execute();
    }
  });

  it('hides /metrics without a configured token and refuses a missing or wrong one', async () => {
    expect((await withoutToken.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer not-the-token' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toMatch(/keel_/);
    // A user's API token, even an admin's, is not the metrics token.
    const admin = { id: 'obs-admin', role: 'admin' } as const;
    await addUser(keel, testAdmin, { ...admin, email: 'obs@example.org', name: 'obs', password: PASSWORD });
    const { token } = await createApiToken(keel, admin, { name: 'obs', scope: 'read' });
    const userToken = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(userToken.statusCode).toBe(401);
  });

  it('reports request latency per route pattern, not per raw URL', async () => {
    await app.inject({ method: 'GET', url: '/api/deals/obs-0' });
    await app.inject({ method: 'GET', url: '/api/deals/some-other-deal' });
    const metrics = await scrape();
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.body).toMatch(
      /keel_http_request_duration_seconds_count\{method="GET",route="\/api\/deals\/:id",status_code="401"\} 2/,
    );
    expect(metrics.body).not.toMatch(/some-other-deal/);
  });

  it('reports ledger writes, audited writes and cap headroom from the database', async () => {
    const body = (await scrape()).body;
    expect(body).toMatch(/keel_ledger_writes_total\{kind="commitment"\} 1\n/);
    expect(body).toMatch(/keel_ledger_writes_total\{kind="draw"\} 1\n/);
    const head = await keel.database.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
    expect(body).toContain(`keel_audited_writes_total ${head.seq}\n`);
    expect(body).toMatch(/keel_import_jobs\{status="running"\} 0/);
    const headroom = [...body.matchAll(/keel_cap_headroom_dollars\{cap="([^"]+)",scope="([^"]+)"\} (\S+)/g)];
    expect(headroom.length).toBeGreaterThan(0);
    // A new commitment shows at the next scrape: the gauge is read at scrape time.
    const before = new Map(headroom.map(([, cap, scope, value]) => [`${cap}/${scope}`, Number(value)]));
    const [deal] = await seedDeals(keel, { prefix: 'obs-eq', count: 1, instrument: 'direct_equity' });
    await recordLedgerEntry(keel, testAdmin, entry('obs-3', deal!, 'commitment', 1_000_000_000n));
    const after = (await scrape()).body;
    expect(after).toMatch(/keel_ledger_writes_total\{kind="commitment"\} 2\n/);
    // The $10B equity cap loses the $10M commitment; the sub-area cap appears with its own headroom.
    expect(before.get('equity-vc/*')).toBe(10_000_000_000);
    expect(after).toMatch(/keel_cap_headroom_dollars\{cap="equity-vc",scope="\*"\} 9990000000\n/);
    expect(after).toMatch(
      /keel_cap_headroom_dollars\{cap="equity-vc-per-sub-area",scope="critical-minerals"\} 1990000000\n/,
    );
    // A company-scoped cap's scope names a counterparty: not for the metrics audience.
    expect(after).not.toMatch(/equity-vc-per-company/);
    expect(after).not.toMatch(/obs-eq/);
  });
});
