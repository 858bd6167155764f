/**
 * Reports and scenario runs as background jobs, in a real browser (Debian's Chromium, the embedded database):
 * an admin prepares the quarterly PDF in the background and downloads it when the job is done (its bytes are
 * a PDF), and runs a scenario in the background and sees its run when the job ends.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { addUsers, haveChromium, launchChromium, logIn, serve } from './harness.ts';

describe.skipIf(!haveChromium)('background jobs in the browser', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    await addUsers(keel, { ada: 'admin' });
    ({ app, base } = await serve(keel));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  it('prepares the quarterly PDF in the background and offers it for download', async () => {
    const page = await logIn(browser, base, 'ada@example.org');
    await page.waitForURL(/#\/dashboard$/);
    const panel = page.getByRole('region', { name: 'Quarterly progress report' });
    await panel.getByRole('textbox').fill('2026Q3');
    await panel.getByRole('button', { name: 'Prepare PDF in the background' }).click();
    const download = panel.getByRole('link', { name: 'Download' });
    await download.waitFor({ timeout: 30_000 });
    const href = await download.getAttribute('href');
    expect(href).toMatch(/^\/api\/jobs\/rep_[A-Za-z0-9_-]+\/result$/);
    const file = await page.request.get(`${base}${href}`);
    expect(file.headers()['content-type']).toBe('application/pdf');
    expect((await file.body()).subarray(0, 4).toString('latin1')).toBe('%PDF');
    await page.close();
  });

  it('runs a scenario in the background and shows the run when the job is done', async () => {
    const page = await logIn(browser, base, 'ada@example.org');
    await page.goto(`${base}/#/research`);
    await page.getByRole('tab', { name: 'Scenarios' }).click();
    await page.locator('[data-run-job="antimony-export-ban"]').click();
    await page.getByTestId('run-antimony-export-ban').waitFor({ timeout: 30_000 });
    const jobs = await keel.database.db
      .selectFrom('jobs')
      .select(['kind', 'status'])
      .where('kind', '=', 'scenario_run')
      .execute();
    expect(jobs).toEqual([{ kind: 'scenario_run', status: 'done' }]);
    await page.close();
  });
});
