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
    await addUsers(keel, {
      bo: 'banker',
      ic1: 'investment_committee',
      ic2: 'investment_committee',
      ic3: 'investment_committee',
      chair: 'admin',
      rc: 'risk_compliance',
    });
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

  it('a waiver is put to the committee, voted, decided by the chair and applied once by the credit officer', async () => {
    const officer = await logIn(browser, base, 'bo@example.org');
    await officer.goto(`${base}/#/credit/cov-e2e-tl`);
    const put = officer.getByRole('form', { name: 'Put a breach to the committee' });
    await put.getByLabel('Breach').selectOption('1@2026-06-30');
    await put.getByLabel('Action').selectOption('waiver');
    await put.getByLabel(/Why/).fill('one quarter below the minimum, cash comes in July');
    await put.getByRole('button', { name: 'Put the breach to the committee' }).click();
    await put.getByText('The breach is before the committee.').waitFor();
    const question = officer.locator('[data-credit-question="1"]');
    await question.waitFor();
    await officer.locator('[data-question-status="1"]', { hasText: 'open' }).waitFor();
    // Nothing to apply yet: the committee has not decided.
    expect(await question.getByRole('button', { name: 'Apply' }).count()).toBe(0);

    // The committee's members vote on the committee page (three: the programme's default quorum).
    for (const member of ['ic1', 'ic2', 'ic3']) {
      const page = await logIn(browser, base, `${member}@example.org`);
      await page.goto(`${base}/#/governance?tab=committee`);
      const item = page.locator('[data-credit-question="1"]');
      await item.getByRole('button', { name: 'Vote for' }).click();
      await page.getByText('Your vote (for) on credit question 1 is recorded.').waitFor();
      if (member === 'ic1') expect(await seriousViolations(page, axe)).toEqual([]);
      await page.close();
    }

    // The chair records the decision; a decision without the quorum would have been refused as such.
    const chair = await logIn(browser, base, 'chair@example.org');
    await chair.goto(`${base}/#/governance?tab=committee`);
    const decide = chair.getByRole('form', { name: 'Decide credit question 1' });
    await decide.getByLabel('Decision').selectOption('approve');
    await decide.getByLabel('Decided on').fill('2026-07-15');
    await decide.getByRole('button', { name: 'Record decision' }).click();
    await chair.getByText('Decision recorded on credit question 1.').waitFor();
    await chair.close();

    // The credit officer applies it: the breach is waived and leaves the watchlist.
    await officer.reload();
    const approved = officer.locator('[data-credit-question="1"]');
    await approved.getByRole('button', { name: 'Apply' }).click();
    await officer.getByText('Credit question 1 is applied.').waitFor();
    // The list is read again after the message: wait for it rather than read it at once (a race under load).
    await officer.locator('[data-question-status="1"]', { hasText: 'applied' }).waitFor();
    await approved.getByRole('button', { name: 'Apply' }).waitFor({ state: 'detached' });
    const breach = officer.getByTestId('covenant-tests').locator('tr[data-status="breach"]');
    await breach.getByText('waiver (credit question 1)').waitFor();
    expect(await seriousViolations(officer, axe)).toEqual([]);
    await officer.getByRole('link', { name: 'Credit' }).first().click();
    await officer.getByText(/No obligor is in breach/).waitFor();
  });

  it('risk & compliance corrects the financials, with the reason: the corrected figure is tested from then on', async () => {
    const page = await logIn(browser, base, 'rc@example.org');
    await page.goto(`${base}/#/credit/cov-e2e-tl`);
    const tests = page.getByTestId('covenant-tests');
    await tests.locator('tr[data-status="breach"]').waitFor();
    const fin = page.getByRole('form', { name: 'Correct financials' });
    await fin.getByLabel('Period ends on').fill('2026-06-30');
    await fin.getByLabel('EBITDA').fill('10,000,000.00');
    await fin.getByLabel('Net debt').fill('30,000,000.00');
    await fin.getByLabel('Cash flow available for debt service').fill('8,000,000.00');
    await fin.getByLabel('Debt service', { exact: true }).fill('4,000,000.00');
    await fin.getByLabel('Liquidity').fill('5,200,000.00');
    await fin.getByLabel('Replaces version').fill('1');
    await fin.getByLabel('Why').fill('a cash account was left out of liquidity');
    await fin.getByRole('button', { name: 'Correct the financials' }).click();
    await fin.getByText(/are corrected; the earlier figures are kept/).waitFor();
    // June now passes at $5.2M; the waiver the committee recorded on its breach stays on the row.
    const june = tests.locator('tr', { hasText: '2026-06-30' }).first();
    await tests.locator('tr[data-status="pass"]', { hasText: '2026-06-30' }).waitFor();
    expect(await june.textContent()).toContain('waiver');
    expect(await seriousViolations(page, axe)).toEqual([]);
    await page.close();
  });
});
