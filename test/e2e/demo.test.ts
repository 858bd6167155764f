/**
 * The "synthetic demo data" banner in Chromium: on every page of a folder seeded by `keel demo` (the sign-in
 * page included, and on a phone without sideways scrolling), and nowhere on a real folder.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/app/demo.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { addUsers, haveChromium, horizontalOverflow, launchChromium, logIn, serve } from './harness.ts';

const SHOTS = join(import.meta.dirname, '..', '..', '.test-results', 'screenshots');
const BANNER = 'Synthetic demo data — not real deals';

describe.skipIf(!haveChromium)('the synthetic demo banner in Chromium', () => {
  const keels: TestKeel[] = [];
  const apps: FastifyInstance[] = [];
  let browser: Browser;
  let demoBase: string;
  let realBase: string;

  beforeAll(async () => {
    const demo = await freshKeel('pglite', { init: false });
    await seedDemo(demo, testAdmin, { deals: 30, seed: 5 });
    const real = await freshKeel('pglite');
    keels.push(demo, real);
    for (const keel of keels) await addUsers(keel, { ada: 'admin' });
    const served = [await serve(demo), await serve(real)];
    apps.push(...served.map((s) => s.app));
    [demoBase, realBase] = served.map((s) => s.base) as [string, string];
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    for (const app of apps) await app.close();
    for (const keel of keels) await keel.close();
  });

  it('shows the banner on the sign-in page and on every page after, on a phone too', async () => {
    const signIn = await browser.newPage();
    await signIn.goto(demoBase);
    await expect(signIn.getByTestId('demo-banner').textContent()).resolves.toBe(BANNER);
    await signIn.close();

    const page = await logIn(browser, demoBase, 'ada@example.org', { width: 390, height: 844 });
    for (const route of ['/dashboard', '/deals', '/pipeline', '/governance']) {
      await page.goto(`${demoBase}/#${route}`);
      await page.locator('main').waitFor();
      await expect(page.getByTestId('demo-banner').isVisible()).resolves.toBe(true);
      expect(await horizontalOverflow(page), route).toBeLessThanOrEqual(0);
    }
    await page.screenshot({ path: join(SHOTS, 'demo-banner-390.png') });
    await page.close();
  });

  it('shows no banner on a real folder', async () => {
    const signIn = await browser.newPage();
    await signIn.goto(realBase);
    await signIn.getByLabel('Email').waitFor();
    await signIn.waitForLoadState('networkidle');
    const page = await logIn(browser, realBase, 'ada@example.org');
    await page.goto(`${realBase}/#/dashboard`);
    await page.locator('main').waitFor();
    // The status arrives with the first answers: wait until the page has asked, then look.
    await page.waitForLoadState('networkidle');
    await expect(signIn.getByTestId('demo-banner').count()).resolves.toBe(0);
    await expect(page.getByTestId('demo-banner').count()).resolves.toBe(0);
    await expect(page.getByText(BANNER).count()).resolves.toBe(0);
    await signIn.close();
    await page.close();
  });
});
