/**
 * The setup link in Chromium (issue 19): on a database with no admin, the link the server prints opens a form
 * that creates the first admin and signs them in; opened again, the link says it is spent.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.ts';
import { issueSetupLink } from '../../src/app/setup.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', '..', '.test-results', 'screenshots');
const PASSWORD = 'the very first admin passphrase';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI)
  throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package`);

describe.skipIf(!haveChromium)('setup link in Chromium', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    app = await buildServer(keel, { loginRateLimit: 1_000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  it('creates the first admin and signs them in; the link then never works again', async () => {
    const link = `${base}/#/setup/${(await issueSetupLink(keel))!.token}`;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(link);
    await page.getByLabel('User id').fill('first-admin');
    await page.getByLabel('Name').fill('First Admin');
    await page.getByLabel('Email').fill('first@example.org');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Password again').fill(PASSWORD);
    await page.screenshot({ path: join(SHOTS, 'setup-link-form.png') });
    await page.getByRole('button', { name: 'Create the admin and sign in' }).click();
    await page.waitForURL(/#\/dashboard$/);
    expect(await page.getByTestId('who').textContent()).toBe('first-admin · admin');
    await page.close();

    const again = await browser.newPage();
    await again.goto(link);
    await expect(again.getByRole('alert').textContent()).resolves.toMatch(/has been used or has expired/);
    await again.screenshot({ path: join(SHOTS, 'setup-link-spent.png') });
    await again.close();
  });
});
