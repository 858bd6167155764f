/**
 * The public record over HTTP: importing reported deals and peer awards through the import route (all
 * rows or none, errors by line and column), the statements' search, and the barrier: the reported-deal
 * list is private side; the council reads the peers and the summary's public record only.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.ts';
import { addUser, createApiToken } from '../../src/app/auth.ts';
import { importJobSettled } from '../../src/app/import-jobs.ts';
import { initKeel } from '../../src/app/init.ts';
import { describeOnBackends, freshKeel, type TestKeel } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { multipartCsv } from './helpers.ts';

describeOnBackends('public record over HTTP', (backend) => {
  let keel: TestKeel;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    keel = await freshKeel(backend, { init: false });
    await initKeel(keel, testAdmin);
    for (const [id, role] of [
      ['pm', 'portfolio_manager'],
      ['cc', 'council_member'],
      ['ra', 'research_analyst'],
    ] as const) {
      await addUser(keel, testAdmin, {
        id,
        email: `${id}@example.org`,
        name: id,
        role,
        password: 'correct horse battery staple',
      });
      tokens[id] = (await createApiToken(keel, { id, role }, { name: 't', scope: 'write' })).token;
    }
    app = await buildServer(keel, { loginRateLimit: 1_000 });
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await keel.close();
  });

  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  async function upload(kind: string, csv: string, key: string) {
    const body = multipartCsv(csv);
    const started = await app.inject({
      method: 'POST',
      url: `/api/imports/${kind}`,
      headers: { ...as('pm'), ...body.headers, 'idempotency-key': key },
      payload: body.payload,
    });
    expect(started.statusCode).toBe(202);
    await importJobSettled(started.json().id);
    return (
      await app.inject({ method: 'GET', url: `/api/import-jobs/${started.json().id}`, headers: as('pm') })
    ).json();
  }

  it('imports reported deals all or none, with the source required on every row', async () => {
    const header = 'date,company,instrument,amount_usd,sub_area,status,sources';
    const failed = await upload(
      'public-deals',
      `${header}\n2026-09-10,Next Yards,"[amount = round total; JPM share undisclosed] Co-lead of Series B",250000000,shipbuilding,verified,https://example.org/yards\n2026-09-11,No Source Co,Lead of a loan,100000000,shipbuilding,verified,\n2026-09-12,Bad Day Co,Lead of a loan,100000000,shipbuilding,verified,https://example.org/x\n2026-02-30,Bad Day Co,Lead,1,shipbuilding,maybe,https://example.org/y\n`,
      'pd-bad',
    );
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/line 3, field sources: is required/);
    expect(failed.error).toMatch(/line 5, field date: /);
    const none = await app.inject({ method: 'GET', url: '/api/public-record/deals', headers: as('pm') });
    expect(none.json().deals.some((d: { company: string }) => d.company === 'Next Yards')).toBe(false);
    const done = await upload(
      'public-deals',
      `${header},state\n2026-09-10,Next Yards,"[amount = round total; JPM share undisclosed] Co-lead of Series B",250000000,shipbuilding,verified,https://example.org/yards,ME\n`,
      'pd-good',
    );
    expect(done.status).toBe('done');
    const deals = (
      await app.inject({ method: 'GET', url: '/api/public-record/deals', headers: as('pm') })
    ).json().deals;
    expect(deals.find((d: { company: string }) => d.company === 'Next Yards')).toMatchObject({
      reportedAmount: '25000000000',
      ownAmount: null,
      ownAmountDisclosed: false,
      roles: ['co_lead'],
      subAreaId: 'shipbuilding',
      stateFips: '23',
      stage: 'reported',
      sources: [{ label: null, url: 'https://example.org/yards', text: 'https://example.org/yards' }],
    });
    expect(
      deals.filter((d: { stage: string }) => d.stage === 'lead').map((d: { company: string }) => d.company),
    ).toEqual(['Reflection AI', 'Valar Atomics']);
    const summary = (
      await app.inject({ method: 'GET', url: '/api/programme/summary', headers: as('pm') })
    ).json();
    expect(summary.publicRecord.undisclosed.deals).toBe(7);
  });

  it('searches the statements and serves one as text; the list of reported deals is private side', async () => {
    const found = await app.inject({
      method: 'GET',
      url: '/api/public-record/statements?q=conditional%20commitment&limit=5',
      headers: as('cc'),
    });
    expect(found.statusCode).toBe(200);
    const hits = found.json().statements;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(5);
    const one = await app.inject({
      method: 'GET',
      url: `/api/public-record/statement?path=${encodeURIComponent(hits[0].path)}`,
      headers: as('cc'),
    });
    expect(one.statusCode).toBe(200);
    expect(one.json().sourceUrl).toMatch(
      /^https:\/\/(bidenwhitehouse\.archives\.gov|www\.whitehouse\.gov)\//,
    );
    const traversal = await app.inject({
      method: 'GET',
      url: `/api/public-record/statement?path=${encodeURIComponent('../../../etc/passwd')}`,
      headers: as('cc'),
    });
    expect(traversal.statusCode).toBe(400);
    for (const who of ['cc', 'ra'])
      expect(
        (await app.inject({ method: 'GET', url: '/api/public-record/deals', headers: as(who) })).statusCode,
      ).toBe(403);
    const peers = (await app.inject({ method: 'GET', url: '/api/peers', headers: as('cc') })).json();
    expect(peers.awards.length).toBe(47);
    expect(peers.states.every((s: { ourDeployed: unknown }) => s.ourDeployed === null)).toBe(true);
    const aggregates = (
      await app.inject({ method: 'GET', url: '/api/programme/aggregates', headers: as('cc') })
    ).json();
    expect(aggregates.publicRecord.booked).toBeNull();
    expect(aggregates.publicRecord.undisclosed.deals).toBe(7);
  });
});
