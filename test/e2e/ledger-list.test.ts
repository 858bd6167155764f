/**
 * The ledger list in the browser (issue 15): a portfolio manager opens the Ledger from the navigation, sees
 * every entry with its totals per kind, ticks a kind and sees the count and totals narrow, with the view in
 * the URL and the export link carrying the same filter. Through the UI only.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordLedgerEntries } from '../../src/app/ledger.ts';
import type { LedgerEntryInput } from '../../src/domain/deal.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import { addUsers, haveChromium, launchChromium, logIn, serve } from './harness.ts';

const SHOTS = join(import.meta.dirname, '..', '..', '.test-results', 'screenshots');

describe.skipIf(!haveChromium)('the ledger list in the browser', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    const deals = await seedDeals(keel, { prefix: 'ledger-e2e', count: 2, amount: 100_000_000_00n });
    const entries: LedgerEntryInput[] = deals.flatMap((dealId, d) => [
      {
        clientKey: `${dealId}-commit`,
        dealId,
        kind: 'commitment' as const,
        amount: cents(50_000_000_00n),
        effectiveOn: asIsoDate('2026-01-10'),
      },
      ...[1, 2, 3].map((i) => ({
        clientKey: `${dealId}-draw-${i}`,
        dealId,
        kind: 'draw' as const,
        amount: cents(BigInt(1_000_000_00 * i + d)),
        effectiveOn: asIsoDate(`2026-0${i + 1}-15`),
      })),
    ]);
    await recordLedgerEntries(keel, testAdmin, 'ledger-e2e', entries);
    await addUsers(keel, { pm: 'portfolio_manager' });
    ({ app, base } = await serve(keel));
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  it('a portfolio manager filters the ledger by kind and sees the count and totals change', async () => {
    const page = await logIn(browser, base, 'pm@example.org');
    await page.getByRole('link', { name: 'Ledger', exact: true }).click();
    await page.getByTestId('ledger-count').filter({ hasText: '8 entries; 1–8 shown' }).waitFor();
    const totals = page.getByTestId('ledger-totals');
    await expect(totals.textContent()).resolves.toContain('commitment');
    // The box shows the URL's view, which changes a moment after the click: click, then wait for the URL
    // (check() would test the box's state before the URL has moved).
    await page.getByRole('checkbox', { name: 'draw' }).click();
    await page.waitForURL(/kind=draw/);
    await expect(page.getByRole('checkbox', { name: 'draw' }).isChecked()).resolves.toBe(true);
    await page.getByTestId('ledger-count').filter({ hasText: '6 entries; 1–6 shown' }).waitFor();
    await expect(totals.textContent()).resolves.not.toContain('commitment');
    // The two deals' draws: 2 × ($1M + $2M + $3M) and one cent on the second deal's three.
    await expect(totals.locator('[data-exact="$12,000,000.03"]').count()).resolves.toBe(1);
    const rows = page.locator('[data-testid="ledger"] tbody tr');
    await expect(rows.count()).resolves.toBe(6);
    await expect(page.locator('[data-testid="ledger"] tbody').textContent()).resolves.not.toContain(
      'commitment',
    );
    // The deal and company are names that link to their pages.
    await expect(rows.first().getByRole('link').first().getAttribute('href')).resolves.toMatch(
      /^#\/deals\/ledger-e2e-/,
    );
    await expect(page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).resolves.toContain(
      'kind=draw',
    );
    await page.screenshot({ path: join(SHOTS, 'ledger-list-portfolio-manager.png'), fullPage: true });
    await page.getByRole('checkbox', { name: 'draw' }).click();
    await page.getByTestId('ledger-count').filter({ hasText: '8 entries' }).waitFor();
    // A link past the end of the list says so and leads back to the first page.
    await page.goto(`${base}/#/ledger?offset=1000000`);
    await page.getByTestId('ledger-count').filter({ hasText: 'past the end of the list' }).waitFor();
    await page.getByRole('button', { name: 'Go to the first page' }).click();
    await page.getByTestId('ledger-count').filter({ hasText: '8 entries; 1–8 shown' }).waitFor();
    // From one deal's page to its entries alone: the list is limited to that deal, and says so.
    await rows.first().getByRole('link').first().click();
    await page.getByRole('link', { name: /In the ledger list/ }).click();
    await page.waitForURL(/dealId=ledger-e2e-/);
    await page.getByTestId('ledger-count').filter({ hasText: '4 entries; 1–4 shown' }).waitFor();
    await page.close();
  });
});
