/**
 * Single sign-on in Chromium against a real OpenID Connect provider (oidc-provider, started here on a free
 * port with its development login and consent pages): "Sign in with SSO" on Keel's login page, the provider's
 * login, back in Keel with the role the provider's claim maps to (a committee member sees Governance, not
 * Admin), then "Log out" ends the Keel session and the provider's (RP-initiated logout) and lands on Keel's
 * login page. An account whose claim names no Keel role is sent back to the login page with the reason. The
 * login page with SSO on passes axe-core.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { startProvider, type TestProvider } from '../support/oidc-provider.ts';
import { axeSource, haveChromium, launchChromium, seriousViolations, serve } from './harness.ts';

describe.skipIf(!haveChromium)('single sign-on in the browser', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let provider: TestProvider;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    ({ app, base } = await serve(keel));
    provider = await startProvider(base);
    // Set once Keel's own address is known: the provider sends the browser back to it.
    keel.sso = provider.ssoConfig({ 'ic-members': 'investment_committee' });
    provider.accounts.set('ivy', { email: 'ivy@example.com', name: 'Ivy Member', keel_role: 'ic-members' });
    provider.accounts.set('otto', {
      email: 'otto@example.com',
      name: 'Otto Outsider',
      keel_role: 'visitors',
    });
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await provider?.close();
    await app?.close();
    await keel?.close();
  });

  /** From Keel's login page through the provider's login and consent pages, as `login`. */
  async function signInWithSso(page: Page, login: string) {
    await page.goto(base);
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    await page.waitForURL(`${provider.issuer}/**`);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    // The consent page (the first time this provider session meets Keel).
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('the login page offers SSO beside the local form, and passes axe-core', async () => {
    // The policy forbids inline scripts, axe-core's injection among them (harness.ts).
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await page.goto(base);
    await page.getByRole('link', { name: 'Sign in with SSO' }).waitFor();
    await expect(page.getByLabel('Email').count()).resolves.toBe(1);
    expect(await seriousViolations(page, axeSource())).toEqual([]);
    await page.close();
  });

  it('a committee member signs in through the provider, sees their pages, and logs out of both', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInWithSso(page, 'ivy');
    await page.getByTestId('who').waitFor();
    expect(await page.getByTestId('who').textContent()).toMatch(/^sso-[0-9a-f]{24} · investment committee$/);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Governance' }).count()).resolves.toBe(1);
    await expect(nav.getByRole('link', { name: 'Admin' }).count()).resolves.toBe(0);
    await nav.getByRole('link', { name: 'Governance' }).click();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await expect(page.getByTestId('page-refused').count()).resolves.toBe(0);

    await page.getByRole('button', { name: 'Log out' }).click();
    // The provider asks whether to end its own session too; yes, then back to Keel's login page.
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('link', { name: 'Sign in with SSO' }).waitFor();
    expect(new URL(page.url()).origin).toBe(base);
    await expect(page.getByTestId('who').count()).resolves.toBe(0);
    // Keel's session is over: a reload stays on the login page.
    await page.reload();
    await page.getByRole('link', { name: 'Sign in with SSO' }).waitFor();
    await expect(page.getByTestId('who').count()).resolves.toBe(0);
    await page.close();
  });

  it('an account whose role claim names no Keel role is sent back to the login page, not signed in', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInWithSso(page, 'otto');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('has no Keel role');
    await expect(page.getByTestId('who').count()).resolves.toBe(0);
    await page.close();
  });
});
