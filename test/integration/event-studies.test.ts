import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventStudyQuerySchema, runEventStudy } from '../../src/app/event-studies.ts';
import { importFile } from '../../src/app/import.ts';
import { syntheticPrices } from '../fixtures/prices.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';

describeOnBackends('event studies on imported prices', (backend) => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    await importFile(keel, testAdmin, 'prices', syntheticPrices());
  });
  afterAll(() => keel.close());

  it('finds the jump in AAA on the event day, none in BBB, and lists a ticker without prices', async () => {
    const q = eventStudyQuerySchema.parse({
      tickers: 'AAA,BBB,ZZZ',
      market: 'IDX',
      event: '2026-01-22',
      estimation: '-200:-11',
    });
    const r = await runEventStudy(keel, { id: 'ana', role: 'research_analyst' }, q);
    expect(r.eventDay).toBe('2026-01-22');
    const aaa = r.firms.find((f) => f.ticker === 'AAA');
    expect(aaa?.beta).toBeCloseTo(1.2, 1);
    expect(aaa?.car[0]).toBeGreaterThan(0.07);
    expect(Math.abs(r.firms.find((f) => f.ticker === 'BBB')?.car[0] ?? 1)).toBeLessThan(0.02);
    expect(r.skipped).toEqual([{ ticker: 'ZZZ', reason: 'no prices imported' }]);
    expect(r.stats).toHaveLength(3);
  });

  it('refuses a price file with a bad row, importing nothing', async () => {
    await expect(
      importFile(
        keel,
        testAdmin,
        'prices',
        'ticker,date,close,source\nCCC,2026-01-02,10.5,x\nCCC,2026-01-05,-3,x\n',
      ),
    ).rejects.toThrow(/line 3, field close/);
    const { count } = await keel.database.db
      .selectFrom('prices')
      .select((eb) => eb.fn.countAll<bigint>().as('count'))
      .where('ticker', '=', 'CCC')
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(0);
  });
});
