/**
 * The public record over HTTP: importing reported deals and peer awards through the import route (all
 * rows or none, errors by line and column), the statements' search, and the barrier: the reported-deal
 * list is private side; the council reads the peers and the summary's public record only.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.ts';
import { addUser, createApiToken } from '../../src/app/auth.ts';
import { initKeel } from '../../src/app/init.ts';
import { jobSettled } from '../../src/app/jobs/use-cases.ts';
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
  const start = (kind: string, csv: string, key: string, who: string) => {
    const body = multipartCsv(csv);
    return app.inject({
      method: 'POST',
      url: `/api/imports/${kind}`,
      headers: { ...as(who), ...body.headers, 'idempotency-key': key },
      payload: body.payload,
    });
  };
  async function upload(kind: string, csv: string, key: string, who = 'pm') {
    const started = await start(kind, csv, key, who);
    expect(started.statusCode).toBe(202);
    await jobSettled(started.json().id);
    const job = await app.inject({
      method: 'GET',
      url: `/api/import-jobs/${started.json().id}`,
      headers: as(who),
    });
    expect(job.statusCode).toBe(200);
    return job.json();
  }
  const count = async (table: 'reported_deals' | 'peer_awards' | 'deals' | 'ledger_entries' | 'companies') =>
    (
      await keel.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

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

  const DEALS_HEADER = 'date,company,instrument,amount_usd,sub_area,status,sources';

  it('a research analyst adds the next reported deal and peer award with their sources', async () => {
    const aggregates = async () =>
      (await app.inject({ method: 'GET', url: '/api/programme/aggregates', headers: as('ra') })).json()
        .publicRecord;
    const before = await aggregates();
    const done = await upload(
      'public-deals',
      `${DEALS_HEADER}\n2026-09-20,Analyst Forge,"[amount = round total; JPM share undisclosed] Co-lead of Series C",180000000,shipbuilding,verified,https://example.org/forge\n`,
      'ra-pd',
      'ra',
    );
    expect(done).toMatchObject({ status: 'done', rows: 1, owner: 'ra' });
    // The analyst sees the record grow in the public aggregates; the private side sees the row itself.
    const after = await aggregates();
    expect(after.undisclosed.deals).toBe(before.undisclosed.deals + 1);
    expect(BigInt(after.undisclosed.reportedTotals) - BigInt(before.undisclosed.reportedTotals)).toBe(
      18_000_000_000n,
    );
    const deals = (
      await app.inject({ method: 'GET', url: '/api/public-record/deals', headers: as('pm') })
    ).json().deals;
    expect(deals.find((d: { company: string }) => d.company === 'Analyst Forge')).toMatchObject({
      sources: [{ url: 'https://example.org/forge' }],
      origin: expect.stringMatching(/^import [0-9a-f]{12}, line 2$/),
    });
    const awards = await upload(
      'peer-awards',
      'programme,recipient,technology_or_sub_area,amount_usd,date,state,status,source\nDoW Office of Strategic Capital,Analyst Magnets,rare-earth magnets,2000000,2026-09-21,TX,conditional loan commitment,https://example.org/magnets\n',
      'ra-pa',
      'ra',
    );
    expect(awards).toMatchObject({ status: 'done', rows: 1 });
    const peers = (await app.inject({ method: 'GET', url: '/api/peers', headers: as('ra') })).json();
    expect(peers.awards.some((a: { recipient: string }) => a.recipient === 'Analyst Magnets')).toBe(true);
  });

  it('a research analyst imports nothing else: ledger, deals and companies are refused and nothing is written', async () => {
    const tables = ['ledger_entries', 'deals', 'companies'] as const;
    const before = await Promise.all(tables.map(count));
    for (const [kind, csv] of [
      [
        'ledger',
        'key,deal_id,kind,amount_usd,effective_on\nra-1,perpetua-2025-equity,commitment,1000000,2026-09-01\n',
      ],
      [
        'deals',
        'id,company_id,sub_area_id,instrument,amount_usd,classification,opened_on,source\nra-deal,perpetua,critical-minerals,equity,1000000,direct,2026-09-01,https://example.org/x\n',
      ],
      ['companies', 'id,name,us_based,source\nra-co,Analyst Co,yes,https://example.org/co\n'],
    ] as const) {
      const refused = await start(kind, csv, `ra-${kind}`, 'ra');
      expect(refused.statusCode, kind).toBe(403);
      expect(refused.json()).toMatchObject({ error: 'forbidden' });
      expect(refused.json().message).toContain('imports.run');
    }
    expect(await Promise.all(tables.map(count))).toEqual(before);
  });

  it("an analyst's bad row fails the file by line and column, writes nothing, and tells nothing private", async () => {
    const before = await count('reported_deals');
    // Line 3 has no source; line 2 names the booked Perpetua deal's company and own amount, which must
    // make no difference to what the analyst is told.
    const failed = await upload(
      'public-deals',
      `${DEALS_HEADER},own_amount_usd\n2026-09-22,Perpetua Resources,Direct equity,75000000,critical minerals,verified,https://example.org/p,75000000\n2026-09-23,Sourceless Co,Lead of a loan,100000000,shipbuilding,verified,,\n`,
      'ra-bad',
      'ra',
    );
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/line 3, field sources: is required/);
    expect(await count('reported_deals')).toBe(before);
    const text = JSON.stringify(failed).toLowerCase();
    expect(text).not.toContain('perpetua-2025-equity');
    expect(text).not.toContain('linked');
    // A private-side import's job (and its error) is its owner's: the analyst cannot poll it.
    const pmJob = await start('companies', 'id,name,us_based,source\npm-co,PM Co,maybe,x\n', 'pm-co', 'pm');
    await jobSettled(pmJob.json().id);
    const peek = await app.inject({
      method: 'GET',
      url: `/api/import-jobs/${pmJob.json().id}`,
      headers: as('ra'),
    });
    expect(peek.statusCode).toBe(404);
    expect(peek.body).not.toContain('PM Co');
  });
});
