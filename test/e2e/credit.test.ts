/**
 * The credit book in the browser: a banker opens a facility on a loan deal through the dashboard's form,
 * opens its page, grades the obligor with a reason, and sees the hand-computed EL. Both pages are scanned by
 * axe-core. Set-up (a loan deal with a ledger commitment and a draw) goes through the use cases.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import {
  addUsers,
  axeSource,
  chartsRendered,
  haveChromium,
  launchChromium,
  logIn,
  seriousViolations,
  serve,
} from './harness.ts';

const M = 100_000_000n; // $1M in cents

describe.skipIf(!haveChromium)('the credit book, in the browser', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let axe: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    const [deal] = await seedDeals(keel, { prefix: 'cr-e2e', count: 1, amount: 150n * M });
    for (const [key, kind, amount] of [
      ['cr-commit', 'commitment', 150n * M],
      ['cr-draw', 'draw', 100n * M],
    ] as const)
      await recordLedgerEntry(keel, testAdmin, {
        clientKey: key,
        dealId: deal!,
        kind,
        amount: cents(amount),
        effectiveOn: asIsoDate('2026-01-05'),
      });
    await addUsers(keel, { bo: 'banker', an: 'research_analyst' });
    ({ app, base } = await serve(keel));
    browser = await launchChromium();
    axe = axeSource();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  it('a banker opens a facility, grades the obligor with a reason and sees the EL', async () => {
    const page = await logIn(browser, base, 'bo@example.org');
    await page.getByRole('link', { name: 'Credit' }).click();
    await page.getByRole('heading', { name: 'Credit', level: 1 }).waitFor();
    expect(await page.title()).toBe('Credit · Keel');

    const form = page.getByRole('form', { name: 'Open a facility' });
    await form.getByLabel('Facility id').fill('cr-term-1');
    await form.getByLabel('Loan deal').selectOption({ index: 0 });
    await form.getByLabel('Commitment (dollars)').fill('150,000,000.00');
    await form.getByLabel('Starts on').fill('2026-01-01');
    await form.getByLabel('Available until').fill('2030-12-31');
    await form.getByLabel('Matures on').fill('2031-01-01');
    await form.getByLabel('Amortisation').selectOption('bullet');
    await form.getByLabel('Seniority').selectOption('senior_unsecured');
    await form.getByLabel('Source').fill('signed facility agreement (e2e)');
    await form.getByRole('button', { name: 'Open the facility' }).click();
    await form.getByText('The facility is open.').waitFor();

    // The book lists it, ungraded: EAD but no EL. $100M drawn + 75% × $50M undrawn = $137.5M.
    const row = page.getByTestId('credit-facilities').locator('tr[data-facility="cr-term-1"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('ungraded');
    expect(await row.locator('[data-exact="$137,500,000.00"]').count()).toBe(1);
    expect(await page.getByTestId('ungraded').textContent()).toContain('Synthetic cr-e2e-0');
    expect(await seriousViolations(page, axe)).toEqual([]);

    await row.getByRole('link').click();
    await page.getByTestId('grade-history').or(page.getByText('Ungraded: no PD')).first().waitFor();
    await chartsRendered(page);
    const grade = page.getByRole('form', { name: 'Assign a grade' });
    await grade.getByLabel('Grade').selectOption('4');
    await grade.getByLabel(/Why/).fill('BBB-equivalent: leverage 2.9x, contracted offtake');
    await grade.getByRole('button', { name: 'Assign the grade' }).click();
    await grade.getByText('Synthetic cr-e2e-0 is graded.').waitFor();

    // PD 0.14% × LGD 45% × $137,500,000 = $86,625.00.
    const el = page.locator('[data-kpi="Expected loss"] [data-exact]');
    await expect.poll(() => el.getAttribute('data-exact')).toBe('$86,625.00');
    expect(await page.getByTestId('grade-history').textContent()).toContain('leverage 2.9x');
    expect(await page.getByTestId('grade-history').textContent()).toContain('bo');
    expect(await seriousViolations(page, axe)).toEqual([]);
  });

  it('the public side has no Credit link and is refused the page', async () => {
    const page = await logIn(browser, base, 'an@example.org');
    expect(await page.getByRole('link', { name: 'Credit' }).count()).toBe(0);
    await page.goto(`${base}/#/credit`);
    await page.getByTestId('page-refused').waitFor();
  });
});
