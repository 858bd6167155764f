/**
 * Layout and accessibility of every page (issue 15, item 7), in Debian's Chromium: no sideways scrolling at
 * 390 px (a phone) or 1440 px (a laptop), measured as document.documentElement.scrollWidth ≤ clientWidth;
 * an axe-core scan (WCAG 2.1 A/AA and best practice) with no serious or critical violation; a title per
 * page; the navigation behind a menu button on a phone with "Log out" reachable; refusals in the server's
 * words, with the wall-crossing hint only on the information barrier. Screenshots go to
 * .test-results/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { addOrganisations } from '../../src/app/network/organisations.ts';
import { decideWallCrossing, requestWallCrossing } from '../../src/app/wall-crossings.ts';
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
  horizontalOverflow,
  launchChromium,
  logIn,
  seriousViolations,
  serve,
} from './harness.ts';

const SHOTS = join(import.meta.dirname, '..', '..', '.test-results', 'screenshots');
const WIDTHS = [390, 1440] as const;

describe.skipIf(!haveChromium)('every page at 390 and 1440 px, scanned by axe-core', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let deal: string;
  let axe: string;

  beforeAll(async () => {
    axe = axeSource();
    keel = await freshKeel('pglite');
    [deal] = (await seedDeals(keel, {
      prefix: 'layout-a-rather-long-deal-identifier-that-must-wrap',
      count: 1,
      amount: 22_995_071_000_000n,
    })) as [string];
    await recordLedgerEntry(keel, testAdmin, {
      clientKey: 'layout-c',
      dealId: deal,
      kind: 'commitment',
      amount: cents(400_000_000_00n),
      effectiveOn: asIsoDate('2026-05-01'),
    });
    // A long organisation name widens the organisation picker's select (the deal page's capital stack, the
    // network's relationship form): at 390 px it pushed the deal page 58 px sideways (the fresh-eyes attack).
    await addOrganisations(keel, testAdmin, 'layout-orgs', [
      {
        id: 'layout-long-org',
        name: 'The Consolidated Strategic Industrial Reinvestment Pension Fund of the Great Lakes',
        kind: 'fund',
        country: 'US',
        source: 'synthetic (e2e)',
      },
    ]);
    await addUsers(keel, {
      ada: 'admin',
      bo: 'banker',
      ra: 'research_analyst',
      rx: 'research_analyst',
      cc: 'council_member',
    });
    ({ app, base } = await serve(keel));
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    // Seeding and the first Chromium start are slow on a loaded machine.
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  /** Opens a route and waits until it has loaded what it shows (no "Loading…", charts drawn). */
  async function visit(page: Page, route: string) {
    await page.goto(`${base}/#${route}`);
    await page.locator('main').waitFor();
    await page.waitForFunction(
      () => !document.querySelector('main')?.textContent?.includes('Loading…'),
      null,
      {
        timeout: 30_000,
      },
    );
    await chartsRendered(page);
  }

  async function check(email: string, routes: string[]) {
    const problems: string[] = [];
    for (const width of WIDTHS) {
      const page = await logIn(browser, base, email, { width, height: 900 });
      for (const route of routes) {
        await visit(page, route);
        const overflow = await horizontalOverflow(page);
        if (overflow > 0) problems.push(`${route} at ${width} px scrolls ${overflow} px sideways`);
        const title = await page.title();
        if (!/ · Keel$/.test(title) || title === ' · Keel') problems.push(`${route} has no title`);
        for (const v of await seriousViolations(page, axe))
          problems.push(`${route} at ${width} px: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(' ')}`);
        await page.screenshot({
          path: join(SHOTS, `layout-${email.split('@')[0]}-${route.replace(/\W+/g, '-')}-${width}.png`),
          fullPage: true,
        });
      }
      await page.close();
    }
    expect(problems).toEqual([]);
  }

  it('the private side: every page an admin has', async () => {
    await check('ada@example.org', [
      '/dashboard',
      '/pipeline',
      '/deals',
      `/deals/${deal}`,
      '/companies',
      `/companies/${deal}-co`,
      '/ledger',
      '/allocation',
      '/imports',
      '/governance',
      '/network',
      '/credit',
      '/research',
      '/council',
      '/admin',
      '/audit',
      '/tokens',
      '/notifications',
    ]);
  }, 600_000);

  it('the public side: the council portal, research and API tokens', async () => {
    await check('cc@example.org', ['/council', '/tokens', '/notifications']);
    await check('ra@example.org', ['/research', '/council']);
  }, 300_000);

  it('the sign-in page', async () => {
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: 800 }, bypassCSP: true });
      await page.goto(base);
      await page.getByLabel('Email').waitFor();
      expect(await page.title()).toBe('Sign in · Keel');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page, axe)).toEqual([]);
      await page.close();
    }
  });

  it('on a phone the navigation folds behind a menu button, and Log out is reachable', async () => {
    const page = await logIn(browser, base, 'ada@example.org', { width: 390, height: 800 });
    await page.waitForURL(/#\/dashboard$/);
    const logOut = page.getByRole('button', { name: 'Log out' });
    expect(await logOut.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Pipeline' }).click();
    await page.waitForURL(/#\/pipeline$/);
    expect(await page.getByRole('link', { name: 'Dashboard' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await logOut.click();
    await page.getByLabel('Email').waitFor();
    await page.close();
  });

  it('a refusal says why; only the information barrier mentions a wall-crossing', async () => {
    const analyst = await logIn(browser, base, 'ra@example.org');
    await analyst.goto(`${base}/#/deals/${deal}`);
    await analyst.getByText('Not available to your role.').waitFor();
    expect(await analyst.locator('main').textContent()).toContain('wall-crossing');
    // A list page the role may not open shows the refusal only: no filters or "Save view" above it.
    await analyst.goto(`${base}/#/ledger?kind=draw`);
    await analyst.getByTestId('page-refused').waitFor();
    expect(await analyst.getByRole('button', { name: /save view/i }).count()).toBe(0);
    expect(await analyst.locator('main input, main select').count()).toBe(0);
    await analyst.close();

    // The private side asking for a deal that does not exist: the server's words, no hint, no "went wrong".
    const banker = await logIn(browser, base, 'bo@example.org');
    await banker.goto(`${base}/#/deals/no-such-deal`);
    await banker.getByText('Not found.').waitFor();
    const text = (await banker.locator('main').textContent()) ?? '';
    expect(text).not.toContain('wall-crossing');
    expect(text).not.toContain('Something went wrong');
    // An address with no page behind it says so (it showed the dashboard in its place).
    await banker.goto(`${base}/#/nonexistent-page`);
    await banker.getByTestId('no-such-page').waitFor();
    expect(await banker.title()).toBe('No such page · Keel');
    expect(await banker.locator('main h1').count()).toBe(0);
    await banker.close();
  });

  it('an analyst over the wall for a deal is not told to ask for the crossing they hold', async () => {
    const { result } = await requestWallCrossing(keel, testAdmin, 'layout-crossing', {
      userId: 'rx',
      dealId: deal,
      reason: 'the analyst reviews the supply chain with the deal team',
      days: 7,
    });
    await decideWallCrossing(
      keel,
      { id: 'layout-rc', role: 'risk_compliance' },
      'layout-crossing-ok',
      BigInt(result.id),
      {
        decision: 'approve',
      },
    );
    const analyst = await logIn(browser, base, 'rx@example.org');
    await analyst.goto(`${base}/#/deals/${deal}`);
    await analyst.getByTestId('ledger').waitFor();
    await analyst.getByRole('heading', { name: 'Stage history' }).waitFor();
    // Found by the fresh-eyes attack: the Notes panel refused (deals.read) with "ask compliance for a
    // wall-crossing" on the page the crossing had opened.
    const text = (await analyst.locator('main').textContent()) ?? '';
    expect(text).not.toContain('Not available to your role');
    expect(text).not.toContain('wall-crossing');
    await analyst.close();
  });
});
