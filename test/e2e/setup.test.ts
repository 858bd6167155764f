/**
 * The first admin and the second factor in Chromium (issue 19): on a database with no admin, the link the
 * server prints opens a form that creates the first admin and signs them in; opened again, the link says it is
 * spent. That admin then turns on a TOTP second factor and signs in with a code.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generateSync } from 'otplib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupLink } from '../../src/app/setup.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { haveChromium, launchChromium, serve } from './harness.ts';

const SHOTS = join(import.meta.dirname, '..', '..', '.test-results', 'screenshots');
const PASSWORD = 'the very first admin passphrase';

describe.skipIf(!haveChromium)('first admin and second factor in Chromium', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    ({ app, base } = await serve(keel));
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
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
    await page.getByLabel('User id').waitFor();
    expect(await page.title()).toBe('First admin · Keel');
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
    expect(await again.title()).toBe('One-time link · Keel');
    await again.screenshot({ path: join(SHOTS, 'setup-link-spent.png') });
    await again.close();
  });

  it('the admin turns on a TOTP second factor, and then signs in with a code', async () => {
    const signIn = async (code?: string) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(base);
      await page.getByLabel('Email').fill('first@example.org');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      if (code !== undefined) {
        await page.getByLabel('Code from your authenticator app').fill(code);
        await page.getByRole('button', { name: 'Sign in' }).click();
      }
      await page.getByTestId('who').waitFor();
      return page;
    };
    const page = await signIn();
    await page.goto(`${base}/#/tokens`);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByLabel('Code').fill(generateSync({ secret }));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('status').filter({ hasText: 'Second factor on' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'totp-on.png') });
    await page.close();

    // The confirming code's time step is spent; the authenticator's next code (30 s on) signs in.
    const next = generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const withCode = await signIn(next);
    expect(await withCode.getByTestId('who').textContent()).toBe('first-admin · admin');
    await withCode.close();
  });
});
