/** GET /api/event-studies on imported prices, its answer read back through the route's response schema. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventStudyResponse } from '../../src/api/responses/research.ts';
import { importFile } from '../../src/app/import.ts';
import { syntheticPrices } from '../fixtures/prices.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

describeOnBackends('event studies API', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
    await importFile(f.keel, testAdmin, 'prices', syntheticPrices());
  });
  afterAll(() => f.close());

  it('answers a research analyst with the jump in AAA, and names the ticker it has no prices for', async () => {
    const res = await f.app.inject({
      method: 'GET',
      url: '/api/event-studies?tickers=AAA,BBB,ZZZ&market=IDX&event=2026-01-22&estimation=-200:-11',
      headers: { authorization: `Bearer ${f.tokens.research_analyst}` },
    });
    expect(res.statusCode).toBe(200);
    const body = eventStudyResponse.parse(res.json());
    expect(body.market).toBe('IDX');
    expect(body.eventDay).toBe('2026-01-22');
    expect(body.firms.map((firm) => firm.ticker)).toEqual(['AAA', 'BBB']);
    expect(body.firms[0]?.car[0]).toBeGreaterThan(0.07);
    expect(body.skipped).toEqual([{ ticker: 'ZZZ', reason: 'no prices imported' }]);
    expect(body.stats.map((s) => s.window)).toEqual([
      [0, 0],
      [-1, 1],
      [0, 5],
    ]);
  });

  it('refuses a market index without prices with 404, naming it', async () => {
    const res = await f.app.inject({
      method: 'GET',
      url: '/api/event-studies?tickers=AAA&market=NOPE&event=2026-01-22',
      headers: { authorization: `Bearer ${f.tokens.research_analyst}` },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('NOPE');
  });
});
