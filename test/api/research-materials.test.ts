/** GET /api/research/materials: the release's figures over its years, each with file, row and column. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

interface Sourced {
  year: number;
  text: string;
  at: { file: string; row: number; column: string };
}

describeOnBackends('research materials API', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());

  it('gives the net import reliance 2020–2024 as printed and the shares of 2023 and 2024e', async () => {
    const res = await f.app.inject({
      method: 'GET',
      url: '/api/research/materials',
      headers: { authorization: `Bearer ${f.tokens.research_analyst}` },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      materials: {
        id: string;
        netImportRelianceTrend: (Sourced & { fraction: number | null })[];
        productionTrend: { year: number; status: string; shares: { code: string; sharePct: number }[] }[];
        shareTrend: { year: number; leader: { sharePct: number | null; at: Sourced['at'] | null } }[];
      }[];
      scoringRules: string[];
    };
    const titanium = body.materials.find((m) => m.id === 'titanium');
    expect(titanium?.netImportRelianceTrend.map((y) => [y.year, y.text, y.fraction])).toEqual([
      [2020, '>50', 0.5],
      [2021, '>95', 0.95],
      [2022, '>95', 0.95],
      [2023, '>95', 0.95],
      [2024, '>95', 0.95],
    ]);
    expect(titanium?.netImportRelianceTrend[4]?.at).toEqual({
      figure: 'US net import reliance 2024',
      publication: expect.stringContaining('Mineral Commodity Summaries 2025'),
      file: 'data/research/usgs-mcs-2025/salient_commodity/mcs2025-titan_salient.csv',
      row: 6,
      column: 'NIR_Sponge_pct',
    });
    const antimony = body.materials.find((m) => m.id === 'antimony');
    expect(antimony?.productionTrend.map((p) => p.year)).toEqual([2023, 2024]);
    expect(antimony?.productionTrend[0]?.shares[0]).toMatchObject({ code: 'CN' });
    expect(antimony?.productionTrend[0]?.shares[0]?.sharePct).toBeCloseTo((100 * 62_300) / 106_000, 9);
    // The leader's share per year of the release (2023, 2024e), each with the row it was read from.
    expect(antimony?.shareTrend.map((y) => y.year)).toEqual([2023, 2024]);
    expect(antimony?.shareTrend[0]?.leader.sharePct).toBeCloseTo((100 * 62_300) / 106_000, 9);
    expect(antimony?.shareTrend[0]?.leader.at?.file).toBe(
      'data/research/usgs-mcs-2025/world_data/MCS2025_World_Data.csv',
    );
    const germanium = body.materials.find((m) => m.id === 'germanium');
    expect(germanium?.productionTrend.map((p) => p.status)).toEqual(['withheld', 'withheld']);
    expect(body.scoringRules.join(' ')).toMatch(/scored at the bound/);
  });

  it('scores weigh the EU economic importance by the value added of the year asked (2015 by default); a year outside 1997–2015 is refused', async () => {
    const get = (query: string) =>
      f.app.inject({
        method: 'GET',
        url: `/api/research/scores${query}`,
        headers: { authorization: `Bearer ${f.tokens.research_analyst}` },
      });
    const byDefault = await get('');
    expect(byDefault.statusCode).toBe(200);
    expect(byDefault.json().valueAdded.year).toBe(2015);
    const of1997 = await get('?valueAddedYear=1997');
    expect(of1997.statusCode).toBe(200);
    const va = of1997.json().valueAdded as { year: number; bySubArea: { sheet: string }[] };
    expect(va.year).toBe(1997);
    expect(new Set(va.bySubArea.map((v) => v.sheet))).toEqual(new Set(['1997']));
    for (const bad of ['2016', '1996', 'soon']) {
      const res = await get(`?valueAddedYear=${bad}`);
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatch(/valueAddedYear/);
    }
  });
});
