/**
 * Covenants in the browser: a banker adds a minimum-liquidity covenant on a facility's page, enters the
 * obligor's financials for a test date below it, sees the breach in the tests table, and finds the obligor on
 * the Credit dashboard's watchlist. Both pages are scanned by axe-core. The facility is opened through the
 * use case.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facilityInputSchema, openFacility } from '../../src/app/credit/facilities.ts';
import { EXAMPLE_FACILITY_TERMS } from '../fixtures/facility-terms.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import {
  addUsers,
  axeSource,
  haveChromium,
  launchChromium,
  logIn,
  seriousViolations,
  serve,
} from './harness.ts';

describe.skipIf(!haveChromium)('covenants and the watchlist, in the browser', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let axe: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    const [deal] = await seedDeals(keel, { prefix: 'cov-e2e', count: 1 });
    await openFacility(
      keel,
      testAdmin,
      'cov-e2e-open',
      facilityInputSchema.parse({ id: 'cov-e2e-tl', dealId: deal, terms: EXAMPLE_FACILITY_TERMS }),
    );
    await addUsers(keel, { bo: 'banker' });
    ({ app, base } = await serve(keel));
    browser = await launchChromium();
    axe = axeSource();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  it('financials that breach put the obligor on the watchlist', async () => {
    const page = await logIn(browser, base, 'bo@example.org');
    await page.goto(`${base}/#/credit/cov-e2e-tl`);
    await page.getByRole('heading', { name: 'Covenants' }).waitFor();

    const add = page.getByRole('form', { name: 'Add a covenant' });
    await add.getByLabel('Covenant').selectOption('min_liquidity');
    await add.getByLabel(/Threshold/).fill('5,000,000.00');
    await add.getByLabel('First test date').fill('2026-03-31');
    await add.getByLabel('Every').selectOption('3');
    await add.getByRole('button', { name: 'Add the covenant' }).click();
    await add.getByText('The covenant is added.').waitFor();

    const tests = page.getByTestId('covenant-tests');
    await tests.waitFor();
    expect(await tests.locator('tr[data-status="not_tested"]').count()).toBeGreaterThan(0);

    const fin = page.getByRole('form', { name: 'Enter financials' });
    await fin.getByLabel('Period ends on').fill('2026-06-30');
    await fin.getByLabel('EBITDA').fill('10,000,000.00');
    await fin.getByLabel('Net debt').fill('30,000,000.00');
    await fin.getByLabel('Cash flow available for debt service').fill('8,000,000.00');
    await fin.getByLabel('Debt service', { exact: true }).fill('4,000,000.00');
    await fin.getByLabel('Liquidity').fill('4,999,999.99');
    await fin.getByRole('button', { name: 'Record the financials' }).click();
    await fin.getByText(/are recorded/).waitFor();

    const breach = tests.locator('tr[data-status="breach"]');
    await breach.waitFor();
    expect(await breach.textContent()).toContain('2026-06-30');
    expect(await seriousViolations(page, axe)).toEqual([]);

    await page.getByRole('link', { name: 'Credit' }).first().click();
    const watchlist = page.getByTestId('watchlist');
    await watchlist.waitFor();
    const text = await watchlist.textContent();
    expect(text).toContain('Synthetic cov-e2e-0');
    expect(text).toContain('2026-06-30');
    expect(text).not.toContain('cov-e2e-0-co');
    expect(await seriousViolations(page, axe)).toEqual([]);
  });
});
