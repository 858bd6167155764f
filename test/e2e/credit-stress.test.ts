/**
 * Credit stress in the browser: a portfolio manager picks a shipped research scenario on the credit dashboard
 * and sees the borrower it hits downgraded and its EL change (hand-computed), and runs the portfolio-risk
 * simulation with its progress bar. Scanned by axe-core. Set-up (a graded loan facility with a commitment and
 * a draw) goes through the use cases.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facilityInputSchema, openFacility } from '../../src/app/credit/facilities.ts';
import { assignGrade } from '../../src/app/credit/grades.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
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

const M = 100_000_000n; // $1M in cents

describe.skipIf(!haveChromium)('credit stress, in the browser', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let axe: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    const [deal] = await seedDeals(keel, {
      prefix: 'se2e',
      count: 1,
      subAreaId: 'secure-communications',
      amount: 10n * M,
    });
    for (const [kind, amount] of [
      ['commitment', 10n * M],
      ['draw', 4n * M],
    ] as const)
      await recordLedgerEntry(keel, testAdmin, {
        clientKey: `se2e-${kind}`,
        dealId: deal!,
        kind,
        amount: cents(amount),
        effectiveOn: asIsoDate('2026-02-01'),
      });
    await openFacility(
      keel,
      testAdmin,
      'se2e-open',
      facilityInputSchema.parse({
        id: 'se2e-loan',
        dealId: deal,
        terms: {
          commitment: '10,000,000.00',
          startsOn: '2026-01-01',
          availabilityEndsOn: '2099-12-30',
          maturityOn: '2099-12-31',
          amortisation: { kind: 'bullet' },
          interest: { kind: 'fixed', rate: '0.06' },
          dayCount: 'ACT/360',
          paymentFrequency: 'quarterly',
          businessDayRule: 'following',
          fees: { upfrontBps: 0, commitmentFeeBps: 0 },
          seniority: 'senior_unsecured',
          source: 'synthetic (e2e)',
        },
      }),
    );
    await assignGrade(keel, testAdmin, 'se2e-grade', 'se2e-0-co', { grade: 4, reason: 'BBB-equivalent' });
    await addUsers(keel, { pm: 'portfolio_manager' });
    ({ app, base } = await serve(keel));
    browser = await launchChromium();
    axe = axeSource();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  it('a portfolio manager runs a stress and sees the downgraded obligor and the EL change', async () => {
    const page = await logIn(browser, base, 'pm@example.org');
    await page.getByRole('link', { name: 'Credit' }).click();
    await page.getByRole('heading', { name: 'Credit', level: 1 }).waitFor();
    await page.getByTestId('stress-mapping').waitFor();
    expect(await page.getByTestId('stress-mapping').textContent()).toContain("programme's own assumption");

    const form = page.getByRole('form', { name: 'Run a stress' });
    await form.getByLabel('Scenario').selectOption({
      label: 'Gallium and germanium: China bans exports to the US (its own notch mapping)',
    });
    await form.getByRole('button', { name: 'Run the stress' }).click();
    const row = page.getByTestId('stress-results').locator('tr[data-obligor="se2e-0-co"]');
    await row.waitFor();
    // Secure communications' shortfall (25–50%) → 2 notches: grade 4 → 6. EAD $8.5M, LGD 45%:
    // base 0.14% → $5,355.00; stressed 2.93% → $112,072.50.
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toBe('Synthetic se2e-0');
    expect(cells.slice(3, 6)).toEqual(['2', '4', '6']);
    expect(await row.locator('[data-exact="$5,355.00"]').count()).toBe(1);
    expect(await row.locator('[data-exact="$112,072.50"]').count()).toBe(1);
    expect(
      await page.getByTestId('stress-results').locator('caption [data-exact="$106,717.50"]').count(),
    ).toBe(1);
    expect(await page.getByTestId('stress-mapping-used').textContent()).toContain(
      "The scenario's own mapping",
    );
    expect(await seriousViolations(page, axe)).toEqual([]);

    const risk = page.getByRole('form', { name: 'Run portfolio risk' });
    await risk.getByLabel('Scenarios').fill('20000');
    await risk.getByRole('button', { name: 'Run the simulation' }).click();
    await page.getByTestId('portfolio-risk').waitFor();
    expect(await page.getByTestId('portfolio-risk').textContent()).toContain('VaR');
    expect(await seriousViolations(page, axe)).toEqual([]);
  });
});
