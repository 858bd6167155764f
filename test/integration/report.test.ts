import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordLedgerEntries } from '../../src/app/ledger.ts';
import { monthlyPipelineReport, monthSchema } from '../../src/app/reports/monthly.ts';
import { htmlToPdf } from '../../src/app/reports/pdf.ts';
import { quarterSchema } from '../../src/app/reports/quarter.ts';
import { quarterlyReport } from '../../src/app/reports/quarterly.ts';
import { programmeSummary } from '../../src/app/summary.ts';
import { formatDollars } from '../../src/domain/money.ts';
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
    const report = await quarterlyReport(keel, testAdmin, q4);
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

  it('refuses a malformed quarter', () => {
    expect(quarterSchema.safeParse('2026Q5').success).toBe(false);
    expect(quarterSchema.safeParse('Q4 2026').success).toBe(false);
  });
});
