import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordLedgerEntries } from '../../src/app/ledger.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture, serverSentEvents } from './helpers.ts';

describeOnBackends('allocation and pacing API', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
    // The sentinel deal ($12,345,678 committed on 2026-02-01): draw it, distribute part, mark the rest.
    await recordLedgerEntries(f.keel, testAdmin, 'alloc-flows', [
      {
        clientKey: 'alloc-draw',
        dealId: f.sentinelDeal,
        kind: 'draw',
        amount: cents(10_000_000_00n),
        effectiveOn: asIsoDate('2026-02-01'),
      },
      {
        clientKey: 'alloc-dist',
        dealId: f.sentinelDeal,
        kind: 'distribution',
        amount: cents(2_500_000_00n),
        effectiveOn: asIsoDate('2026-08-01'),
      },
      {
        clientKey: 'alloc-mark',
        dealId: f.sentinelDeal,
        kind: 'valuation',
        amount: cents(9_000_000_00n),
        effectiveOn: asIsoDate('2026-09-30'),
      },
    ]);
  });
  afterAll(() => f.close());
  const get = (url: string, role: keyof ApiFixture['tokens'] = 'portfolio_manager') =>
    f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${f.tokens[role]}` } });

  it('reports book metrics with exact amounts and the multiples of their definitions', async () => {
    const response = await get('/api/metrics?by=deal&asOf=2026-09-30');
    expect(response.statusCode).toBe(200);
    const [row] = response.json().rows;
    expect(row).toMatchObject({
      key: f.sentinelDeal,
      paidIn: '1000000000',
      distributed: '250000000',
      nav: '900000000',
    });
    expect(row.dpi).toBeCloseTo(0.25, 12);
    expect(row.tvpi).toBeCloseTo(1.15, 12);
    // Held 241 days on 2026-09-30: a return for under a year is not annualised (GIPS, ILPA).
    expect(row.xirr).toMatchObject({ status: 'not_meaningful' });
    expect(row.xirr.reason).toContain('241 days');
    // A year after the first draw the rate is shown: -10M, +2.5M half a year in, a 9M mark after one year.
    const year = await get('/api/metrics?by=deal&asOf=2027-02-01');
    expect(year.statusCode).toBe(200);
    const [held] = year.json().rows;
    expect(held.xirr.status).toBe('ok');
    expect(held.xirr.rate).toBeGreaterThan(0.15);
    expect(held.xirr.rate).toBeLessThan(0.2);
  });

  it('reports pacing for the council too (aggregates only)', async () => {
    const response = await get('/api/pacing?asOf=2026-12-31', 'council_member');
    expect(response.statusCode).toBe(200);
    const total = response.json().lines.find((l: { target: string }) => l.target === 'total');
    // One deal is fewer than k = 3: the council sees the goal and plan, not the counted figure.
    expect(total).toMatchObject({ counted: null, status: null, runRate: null });
    expect(response.body.toLowerCase()).not.toContain('sentinel');
    const exact = await get('/api/pacing?asOf=2026-12-31', 'portfolio_manager');
    expect(exact.json().lines.find((l: { target: string }) => l.target === 'total')).toMatchObject({
      counted: '1234567800',
      status: 'behind',
    });
  });

  it('projects the equity book reproducibly from a seed, with ordered bands', async () => {
    const a = (await get('/api/projections?paths=2000&seed=11&quarters=8')).json();
    const b = (await get('/api/projections?paths=2000&seed=11&quarters=8')).json();
    const c = (await get('/api/projections?paths=2000&seed=12&quarters=8')).json();
    expect(a.nav).toEqual(b.nav);
    expect(a.nav).not.toEqual(c.nav);
    expect(a.nav).toHaveLength(8);
    for (const band of a.nav) expect(band.p10 <= band.p50 && band.p50 <= band.p90).toBe(true);
    expect(a.capUsage[0].p50).toBeGreaterThan(0);
    const refused = await get('/api/projections?paths=5000000');
    expect(refused.statusCode).toBe(400);
    // The same projection as a stream: progress events, then the same result.
    const stream = await get('/api/projections/stream?paths=2000&seed=11&quarters=8');
    expect(stream.headers['content-type']).toContain('text/event-stream');
    const events = serverSentEvents(stream.body);
    expect(events.filter((e) => e.event === 'progress').at(-1)?.data).toEqual({ done: 2000, total: 2000 });
    expect(events.at(-1)?.event).toBe('result');
    expect(events.at(-1)?.data.nav).toEqual(a.nav);
  });

  it('streams the optimisation: a progress event per solve, then the result the plain route gives', async () => {
    const ids = await seedDeals(f.keel, {
      prefix: 'stream-opt',
      count: 3,
      instrument: 'term_loan',
      subAreaId: 'robotics',
      stage: 'approved',
      amount: 50_000_000_00n,
    });
    await f.keel.database.db
      .updateTable('deals')
      .set({ resilience_score: 5, expected_return: 0.1 })
      .where('id', 'in', ids)
      .execute();
    const body = { year: 2027, frontierPoints: 2, timeLimitSeconds: 10 };
    const post = (url: string) =>
      f.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${f.tokens.portfolio_manager}` },
        payload: body,
      });
    const plain = await post('/api/optimise');
    expect(plain.statusCode, plain.body).toBe(200);
    const stream = await post('/api/optimise/stream');
    expect(stream.headers['content-type']).toContain('text/event-stream');
    const events = serverSentEvents(stream.body);
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data);
    expect(progress[0]).toMatchObject({ done: 0, total: 4, stage: 'selection' });
    expect(progress.at(-1)).toEqual({ done: 4, total: 4, stage: 'done' });
    const last = events.at(-1);
    expect(last?.event).toBe('result');
    const { solveSeconds: _a, ...streamed } = last?.data ?? {};
    const { solveSeconds: _b, ...answered } = plain.json();
    expect(streamed).toEqual(answered);
    expect(answered.candidates).toBe(3);
    // A bad request is refused before any stream starts, with the field named.
    const refused = await f.app.inject({
      method: 'POST',
      url: '/api/optimise/stream',
      headers: { authorization: `Bearer ${f.tokens.portfolio_manager}` },
      payload: { year: 'next' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toContain('application/json');
    expect(refused.json().message).toContain('year');
    expect(answered.selection.length).toBeGreaterThan(0);
  });
});
