import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bookAsOf } from '../../src/app/credit/book.ts';
import {
  addCovenant,
  covenantInputSchema,
  financialsInputSchema,
  recordFinancials,
} from '../../src/app/credit/covenants.ts';
import { facilityInputSchema, openFacility } from '../../src/app/credit/facilities.ts';
import { assignGrade } from '../../src/app/credit/grades.ts';
import { recordLedgerEntries } from '../../src/app/ledger.ts';
import { monthlyPipelineReport, monthSchema } from '../../src/app/reports/monthly.ts';
import { htmlToPdf } from '../../src/app/reports/pdf.ts';
import { quarterSchema } from '../../src/app/reports/quarter.ts';
import { countedSeries, quarterlyReport } from '../../src/app/reports/quarterly.ts';
import { programmeSummary } from '../../src/app/summary.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { formatDollars } from '../../src/domain/money.ts';
import { EXAMPLE_FACILITY_TERMS } from '../fixtures/facility-terms.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { entry, seedDeals } from './fixtures.ts';

const canPrint =
  existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') && existsSync('/usr/bin/pdftotext');
if (!canPrint && process.env.CI)
  throw new Error('the report test needs chromium and poppler-utils (.ci/run installs them)');

describeOnBackends('quarterly report', (backend) => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    const deals = await seedDeals(keel, { prefix: 'rep', count: 3, amount: 500_000_000_00n });
    await recordLedgerEntries(keel, testAdmin, 'rep-ledger', [
      entry('rep-1', deals[0]!, 'commitment', 120_000_000_00n, '2026-08-15'), // before Q4
      entry('rep-2', deals[1]!, 'commitment', 33_333_333_33n, '2026-10-01'), // in Q4
      entry('rep-3', deals[2]!, 'commitment', 7_000_000_01n, '2026-12-31'), // last day of Q4
      entry('rep-4', deals[1]!, 'cancellation', 1_000_000_00n, '2026-11-30'), // in Q4
      entry('rep-5', deals[2]!, 'commitment', 99_000_000_00n, '2027-01-01'), // after Q4: not in the report
    ]);
    // Equity (under the caps) only after Q4, so that the hand-worked Q4 figures below stay as they are.
    const equity = await seedDeals(keel, {
      prefix: 'rep-eq',
      count: 2,
      instrument: 'direct_equity',
      subAreaId: 'robotics',
      amount: 100_000_000_00n,
    });
    await keel.database.db
      .updateTable('deals')
      .set({ opened_on: '2027-01-15' })
      .where('id', 'in', equity)
      .execute();
    await recordLedgerEntries(keel, testAdmin, 'rep-eq-ledger', [
      entry('rep-eq-1', equity[0]!, 'commitment', 50_000_000_00n, '2027-02-01'),
      entry('rep-eq-2', equity[1]!, 'commitment', 30_000_000_00n, '2027-05-01'),
    ]);
  });
  afterAll(() => keel.close());

  it('headline figures equal the ledger as of the quarter end, and the PDF says the same', async () => {
    const q4 = quarterSchema.parse('2026Q4');
    expect(q4).toEqual({ label: '2026Q4', start: '2026-10-01', end: '2026-12-31' });
    const report = await quarterlyReport(keel, testAdmin, q4, { today: asIsoDate('2027-12-31') });
    expect(report.figures).toMatchObject({ asOf: '2026-12-31', toDate: false });
    const asOfEnd = await programmeSummary(keel, testAdmin, '2026-12-31');
    // Reference programme: term loans count in full, so the figures can be worked by hand as well.
    expect(report.figures.countedToDate).toBe(asOfEnd.counted.total);
    expect(report.figures.countedToDate).toBe(
      120_000_000_00n + 33_333_333_33n + 7_000_000_01n - 1_000_000_00n,
    );
    expect(report.figures.countedInQuarter).toBe(33_333_333_33n + 7_000_000_01n - 1_000_000_00n);
    expect(report.html).toContain(
      `<b id="counted-to-date">${formatDollars(report.figures.countedToDate)}</b>`,
    );
    expect(report.html).toContain('<svg');
    if (!canPrint || backend !== 'pglite') return; // one PDF is enough; the figures above run on both databases
    const dir = mkdtempSync(join(tmpdir(), 'keel-report-'));
    try {
      const file = join(dir, 'report.pdf');
      writeFileSync(file, await htmlToPdf(report.html));
      const text = execFileSync('/usr/bin/pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('Quarterly progress report, 2026Q4');
      expect(text).toContain('$159,333,333.34'); // counted to date
      expect(text).toContain('$39,333,333.34'); // counted in the quarter
      expect(text).toContain('counting methodology v1');
      // Every page carries the marking and its number.
      const pages = Number(/Page \d+ of (\d+)/.exec(text)?.[1]);
      expect(pages).toBeGreaterThan(1);
      expect(text.match(/CONFIDENTIAL — programme internal/g)?.length).toBeGreaterThanOrEqual(pages);
      expect(text).toContain(`Page ${pages} of ${pages}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('cap usage as of a past date comes from the ledger up to that date, not from the usage now', async () => {
    const capRows = async (asOf?: string) =>
      (await programmeSummary(keel, testAdmin, asOf)).caps.map((c) => [c.scopeKey, c.used]);
    expect(await capRows('2027-03-31')).toEqual(
      expect.arrayContaining([
        ['*', 50_000_000_00n],
        ['robotics', 50_000_000_00n],
        ['rep-eq-0-co', 50_000_000_00n],
      ]),
    );
    expect((await capRows('2027-03-31')).some(([scope]) => scope === 'rep-eq-1-co')).toBe(false);
    expect(await capRows()).toEqual(
      expect.arrayContaining([
        ['*', 80_000_000_00n],
        ['robotics', 80_000_000_00n],
        ['rep-eq-1-co', 30_000_000_00n],
      ]),
    );
    expect(await capRows('2026-12-31')).toEqual([['*', 0n]]);
  });

  it('the monthly pipeline report counts the applications of the month and the open pipeline at month end', async () => {
    const r = await monthlyPipelineReport(keel, testAdmin, monthSchema.parse('2026-01'));
    // seedDeals opens its three deals on 2026-01-15, in stage approved, at $500M each.
    expect(r.figures.applications).toBe(3);
    expect(r.figures.requestedCents).toBe(1_500_000_000_00n);
    expect(r.figures.openDeals).toBe(3);
    expect(r.html).toContain('<b id="applications">3</b>');
    const before = await monthlyPipelineReport(keel, testAdmin, monthSchema.parse('2025-12'));
    expect(before.figures).toMatchObject({ applications: 0, openDeals: 0 });
    expect(monthSchema.safeParse('2026-13').success).toBe(false);
  });

  it('a quarter not yet over is reported to date; one not begun is refused', async () => {
    const q4 = quarterSchema.parse('2026Q4');
    const midway = await quarterlyReport(keel, testAdmin, q4, { today: asIsoDate('2026-11-15') });
    expect(midway.figures).toMatchObject({ asOf: '2026-11-15', toDate: true, quarterEnd: '2026-12-31' });
    // Only rep-1 (August) and rep-2 (1 October): the cancellation of 30 November and rep-3 are still ahead.
    expect(midway.figures.countedToDate).toBe(120_000_000_00n + 33_333_333_33n);
    expect(midway.figures.countedInQuarter).toBe(33_333_333_33n);
    expect(midway.html).toContain(
      'Quarterly progress report, 2026Q4 to date (figures as of 2026-11-15; the quarter ends 2026-12-31)',
    );
    expect(midway.html).toContain('Counted in 2026Q4 to date');
    await expect(
      quarterlyReport(keel, testAdmin, quarterSchema.parse('2027Q1'), { today: asIsoDate('2026-11-15') }),
    ).rejects.toThrow('2027Q1 has not begun (today is 2026-11-15)');
  });

  it('the counted series stops at the report date, and caps and areas carry names, not ids', async () => {
    const summary = await programmeSummary(keel, testAdmin, '2026-11-15');
    const series = countedSeries(summary.byYear, '2026-11-15');
    const years = summary.byYear.map((y) => y.year);
    expect(years.some((y) => y > 2026)).toBe(true);
    years.forEach((year, i) => {
      if (year > 2026) expect(series[i], String(year)).toBeNull();
      else expect(series[i], String(year)).toBe(Number(summary.byYear[i]!.cumulativeCounted) / 100);
    });

    const q2 = await quarterlyReport(keel, testAdmin, quarterSchema.parse('2027Q2'), {
      today: asIsoDate('2027-12-31'),
    });
    const names = await keel.database.db
      .selectFrom('sub_areas')
      .select('name')
      .where('id', '=', 'robotics')
      .union(keel.database.db.selectFrom('companies').select('name').where('id', '=', 'rep-eq-0-co'))
      .execute();
    expect(names).toHaveLength(2);
    for (const { name } of names) expect(q2.html).toContain(`<td>${name}</td>`);
    expect(q2.html).not.toContain('<td>robotics</td>');
    expect(q2.html).not.toContain('<td>rep-eq-0-co</td>');
    expect(q2.html).not.toMatch(/<td>[a-z]+(-[a-z]+)+<\/td>/); // no area or sub-area id in any cell
    expect(q2.html).toContain('CONFIDENTIAL — programme internal');
  });

  it('a month not yet over is reported to date', async () => {
    const r = await monthlyPipelineReport(keel, testAdmin, monthSchema.parse('2026-01'), {
      today: asIsoDate('2026-01-10'),
    });
    // seedDeals opens its deals on 2026-01-15: after this report's date.
    expect(r.figures).toMatchObject({ asOf: '2026-01-10', toDate: true, applications: 0 });
    expect(r.html).toContain('Monthly pipeline report — 2026-01 to date (as of 2026-01-10)');
    expect(r.html).toContain('CONFIDENTIAL — programme internal');
  });

  it('refuses a malformed quarter', () => {
    expect(quarterSchema.safeParse('2026Q5').success).toBe(false);
    expect(quarterSchema.safeParse('Q4 2026').success).toBe(false);
  });

  it('the credit section shows EAD, EL, concentration and the watchlist as of the quarter end, by name', async () => {
    const q4 = quarterSchema.parse('2026Q4');
    const before = await quarterlyReport(keel, testAdmin, q4, { today: asIsoDate('2027-12-31') });
    expect(before.html).toMatch(/Credit book as of 2026-12-31.*No lending facilities/s);
    await openFacility(
      keel,
      testAdmin,
      'rep-fac',
      facilityInputSchema.parse({ id: 'rep-fac', dealId: 'rep-0', terms: EXAMPLE_FACILITY_TERMS }),
    );
    await assignGrade(keel, testAdmin, 'rep-grade', 'rep-0-co', {
      grade: 6,
      reason: 'first review of the obligor',
    });
    await addCovenant(
      keel,
      testAdmin,
      'rep-cov',
      'rep-fac',
      covenantInputSchema.parse({
        kind: 'min_liquidity',
        threshold: '1000.00',
        firstTestOn: '2026-09-30',
        everyMonths: 3,
      }),
    );
    await recordFinancials(
      keel,
      testAdmin,
      'rep-fin',
      financialsInputSchema.parse({
        rows: [
          {
            companyId: 'rep-0-co',
            periodEnd: '2026-09-30',
            ebitda: '1.00',
            netDebt: '1.00',
            cfads: '1.00',
            debtService: '1.00',
            liquidity: '999.99',
          },
          // After the quarter: not in the Q4 report's watchlist.
          {
            companyId: 'rep-0-co',
            periodEnd: '2027-03-31',
            ebitda: '1.00',
            netDebt: '1.00',
            cfads: '1.00',
            debtService: '1.00',
            liquidity: '0.00',
          },
        ],
      }),
    );
    const report = await quarterlyReport(keel, testAdmin, q4, { today: asIsoDate('2027-12-31') });
    const book = await bookAsOf(keel, '2026-12-31');
    expect(book.totals.programme.ead).toBeGreaterThan(0n);
    const text = (id: string) => new RegExp(`id="${id}">([^<]*)<`).exec(report.html)?.[1];
    expect(text('credit-ead')).toBe(formatDollars(book.totals.programme.ead));
    expect(text('credit-el')).toBe(formatDollars(book.totals.programme.el));
    expect(text('credit-watchlist')).toBe('1');
    expect(text('credit-hhi')).toBe('1.0000');
    const section = report.html.slice(
      report.html.indexOf('id="credit"'),
      report.html.indexOf('Supply-chain'),
    );
    expect(section).toContain(book.facilities[0]!.companyName);
    expect(section).not.toContain('rep-0-co');
    // The first quarter of 2027 sees the later breach too, still one obligor.
    const q1 = await quarterlyReport(keel, testAdmin, quarterSchema.parse('2027Q1'), {
      today: asIsoDate('2027-12-31'),
    });
    expect(/id="credit-watchlist">(\d+)</.exec(q1.html)?.[1]).toBe('1');
  });
});
