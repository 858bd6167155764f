/**
 * Notifications in the browser: a committee member's bell counts up when a portfolio manager puts a deal on
 * the agenda, the notification opens the deal and is then read, and "Mark all read" clears the bell. The
 * member acts through the UI only; the portfolio manager's agenda write is the set-up (made through the use
 * case, as the optimiser page would send it). The page fits 390 px and passes axe-core.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToAgenda } from '../../src/app/committee.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import {
  addUsers,
  axeSource,
  haveChromium,
  horizontalOverflow,
  launchChromium,
  logIn,
  seriousViolations,
  serve,
} from './harness.ts';

describe.skipIf(!haveChromium)('notifications in the browser', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let deals: string[];
  const pm = { id: 'pam', role: 'portfolio_manager' } as const;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    deals = await seedDeals(keel, { prefix: 'bell', count: 2 });
    await addUsers(keel, { pam: 'portfolio_manager', ivy: 'investment_committee' });
    ({ app, base } = await serve(keel));
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  const bell = (page: Page) => page.getByTestId('bell');

  it('a committee member sees the count rise, opens the notification, and clears the rest', async () => {
    const page = await logIn(browser, base, 'ivy@example.org');
    await expect(bell(page).getAttribute('aria-label')).resolves.toBe('Notifications, none unread');
    for (const [i, dealId] of deals.entries())
      await addToAgenda(keel, pm, `bell-${i}`, {
        dealIds: [dealId],
        meetingOn: asIsoDate('2027-02-10'),
        source: 'manual',
      });
    // Any page change asks again (the bell also polls every 30 s).
    await page.getByRole('link', { name: 'Governance' }).click();
    await page.getByTestId('unread-count').filter({ hasText: '2' }).waitFor();
    await expect(bell(page).getAttribute('aria-label')).resolves.toBe('Notifications, 2 unread');

    await bell(page).click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    const items = page.getByTestId('notification');
    await expect(items.count()).resolves.toBe(2);
    await expect(items.first().textContent()).resolves.toMatch(
      /^New pam put .+ on the committee agenda for 2027-02-10/,
    );
    await items.first().getByRole('link', { name: 'Open' }).click();
    await page.waitForURL(`**/#/deals/${deals[1]}`);
    await page.getByTestId('unread-count').filter({ hasText: '1' }).waitFor();

    await bell(page).click();
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByRole('status').filter({ hasText: 'marked read' }).waitFor();
    await page.getByTestId('unread-count').waitFor({ state: 'detached' });
    await expect(page.locator('.notice-item.unread').count()).resolves.toBe(0);
    await page.close();
  }, 120_000);

  it('fits 390 px with the bell outside the folded menu, and passes axe-core', async () => {
    const axe = axeSource();
    for (const width of [390, 1440]) {
      const page = await logIn(browser, base, 'ivy@example.org', { width, height: 800 });
      await page.goto(`${base}/#/notifications`);
      await page.getByRole('heading', { name: 'Notifications' }).waitFor();
      await page.getByTestId('notification').first().waitFor();
      await expect(bell(page).isVisible()).resolves.toBe(true);
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await seriousViolations(page, axe)).toEqual([]);
      await page.close();
    }
    // Someone with no notifications is told what they will be told about.
    const empty = await logIn(browser, base, 'pam@example.org', { width: 390, height: 800 });
    await empty.goto(`${base}/#/notifications`);
    await empty.getByText('No notifications yet.').waitFor();
    expect(await horizontalOverflow(empty)).toBe(0);
    expect(await seriousViolations(empty, axe)).toEqual([]);
    await empty.close();
  }, 120_000);
});
