/** GET /api/research/io/impact on the recent BEA tables and GET /api/research/io/imports (import dependence). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

describeOnBackends('economy-wide model API', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());
  const get = (url: string) =>
    f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${f.tokens.research_analyst}` } });

  it('runs on the 2015 summary tables by default and names the table, the method and every industry', async () => {
    const res = await get('/api/research/io/impact?subArea=semiconductors&change=-0.1&model=demand&top=3');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ level: 'summary', year: 2015, sector: '334', model: 'demand' });
    expect(body.sectorName).toBe('Computer and electronic products');
    expect(body.table).toContain('IxC_TR_1997-2015_Summary.xlsx sheet 2015');
    expect(body.method).toContain('Leontief');
    expect(body.impacts).toHaveLength(3);
    for (const i of body.impacts) expect(i.name).not.toBe(i.industry);
  });

  it('takes any year 1997–2015 and the 2007 detail level, and refuses the rest with a reason', async () => {
    const y2001 = await get('/api/research/io/impact?sector=331&change=-0.2&year=2001');
    expect(y2001.statusCode).toBe(200);
    expect(y2001.json().table).toContain('sheet 2001');
    const detail = await get('/api/research/io/impact?subArea=shipbuilding&change=-0.1&level=detail');
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ level: 'detail', year: 2007, sector: '336611' });
    expect(detail.json().sectorName).toBe('Ship building and repairing');
    for (const [url, message] of [
      ['?subArea=shipbuilding&change=-0.1&level=detail&year=2015', /2007 only/],
      ['?subArea=shipbuilding&change=-0.1&year=2016', /2015/],
      ['?subArea=shipbuilding&change=-0.1&year=1996', /1997/],
      ['?subArea=shipbuilding&change=-0.1&level=1977', /level/],
      ['?sector=33;DROP&change=-0.1', /BEA industry code/],
      ['?subArea=shipbuilding&change=5', /change/],
    ] as const) {
      const res = await get(`/api/research/io/impact${url}`);
      expect(res.statusCode, url).toBe(400);
      expect(JSON.stringify(res.json()), url).toMatch(message);
    }
    const missing = await get('/api/research/io/impact?sector=336611&change=-0.1');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toMatch(/no industry "336611"/);
  });

  it('gives every commodity’s import content in a year and the path 1997–2015 of a sub-area', async () => {
    const res = await get('/api/research/io/imports?subAreas=semiconductors,shipbuilding&sectors=212');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.year).toBe(2015);
    expect(body.commodities).toHaveLength(73);
    const c334 = body.commodities.find((c: { code: string }) => c.code === '334');
    expect(c334.subAreas).toEqual(expect.arrayContaining(['semiconductors', 'solar', 'sensor-hardware']));
    // IxC_TR 2015 O79 = 1.5368959, IxC_Domestic 2015 O79 = 1.3576382 (research-import-content.test.ts).
    expect(c334.imported).toBeCloseTo(0.1792577, 10);
    expect(body.series.map((s: { subArea: string | null; sector: string }) => [s.subArea, s.sector])).toEqual(
      [
        ['semiconductors', '334'],
        ['shipbuilding', '3364OT'],
        [null, '212'],
      ],
    );
    const semis = body.series[0];
    expect(semis.path.map((p: { year: number }) => p.year)).toEqual(
      Array.from({ length: 19 }, (_, i) => 1997 + i),
    );
    expect(semis.path.at(-1).imported).toBeCloseTo(0.1792577, 10);
    const y1997 = await get('/api/research/io/imports?year=1997');
    expect(y1997.json().commodities.find((c: { code: string }) => c.code === '334').imported).toBeCloseTo(
      semis.path[0].imported,
      12,
    );
  });

  it('at the detail level: the 2007 benchmark’s 389 commodities, and a sub-area through its detail industry', async () => {
    const res = await get('/api/research/io/imports?level=detail&subAreas=semiconductors,shipbuilding');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ level: 'detail', year: 2007 });
    expect(body.commodities).toHaveLength(389);
    expect(body.source).toContain('IxC_TR_2007_Detail.xlsx');
    // Worked by hand (research-io-levels.test.ts): 1.7337243 − 1.4865995 = 0.2471248.
    const semis = body.series[0];
    expect([semis.subArea, semis.sector, semis.path.length, semis.path[0].year]).toEqual([
      'semiconductors',
      '334413',
      1,
      2007,
    ]);
    expect(semis.path[0].imported).toBeCloseTo(0.2471248, 10);
    expect(body.series[1].sector).toBe('336611');
    const c = body.commodities.find((x: { code: string }) => x.code === '334413');
    expect(c.subAreas).toContain('semiconductors');
    // The detail tables exist for 2007 only; a summary code is no detail commodity.
    const wrongYear = await get('/api/research/io/imports?level=detail&year=2015');
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json().message).toMatch(/2007 only/);
    expect((await get('/api/research/io/imports?level=detail&sectors=334')).statusCode).toBe(404);
    expect((await get('/api/research/io/imports?level=county')).statusCode).toBe(400);
  });

  it('refuses an unknown sub-area, a bad code, too many series and a year outside the tables', async () => {
    const unknown = await get('/api/research/io/imports?subAreas=semiconductors,atlantis');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().message).toContain('atlantis');
    expect((await get('/api/research/io/imports?sectors=999')).statusCode).toBe(404);
    expect((await get('/api/research/io/imports?sectors=3-4')).statusCode).toBe(400);
    expect(
      (await get(`/api/research/io/imports?sectors=${Array(13).fill('334').join(',')}`)).statusCode,
    ).toBe(400);
    expect((await get('/api/research/io/imports?year=2016')).statusCode).toBe(400);
  });
});
