/**
 * What every browser test needs: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * a running Keel on a fresh embedded database, sign-in, and axe-core injected into a page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildServer } from '../../src/api/server.ts';
import { addUser } from '../../src/app/auth.ts';
import type { Role } from '../../src/domain/roles.ts';
import type { TestKeel } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PASSWORD = 'correct horse battery staple';

// Under CI a missing browser is a failure (.ci/run installs it); on a developer machine the suite is skipped.
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI)
  throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package`);

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // playwright gives every launch a fresh temporary profile (--user-data-dir) of its own.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Adds users who sign in as `<id>@example.org` with PASSWORD, by id and role. */
export async function addUsers(keel: TestKeel, users: Record<string, Role>): Promise<void> {
  for (const [id, role] of Object.entries(users))
    await addUser(keel, testAdmin, { id, email: `${id}@example.org`, name: id, role, password: PASSWORD });
}

export async function serve(keel: TestKeel): Promise<{ app: FastifyInstance; base: string }> {
  const app = await buildServer(keel, { loginRateLimit: 1_000 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return { app, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

export async function logIn(
  browser: Browser,
  base: string,
  email: string,
  viewport = { width: 1440, height: 900 },
): Promise<Page> {
  // The app's Content-Security-Policy forbids inline scripts, axe-core's injection among them: the tests that
  // scan a page let the browser bypass it (the policy itself is tested by the API tests).
  const page = await browser.newPage({ viewport, bypassCSP: true });
  await page.goto(base);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who').waitFor({ state: 'attached' });
  return page;
}

export const chartsRendered = (page: Page) =>
  page.waitForFunction(() =>
    [...document.querySelectorAll('[data-chart]')].every(
      (c) => (c as HTMLElement).dataset.rendered === 'true',
    ),
  );

/** axe-core's browser bundle: the dev dependency, or AXE_CORE_PATH where node_modules does not have it yet. */
export function axeSource(): string {
  const fromEnv = process.env.AXE_CORE_PATH;
  if (fromEnv) return readFileSync(fromEnv, 'utf8');
  return readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core (WCAG 2.x A and AA rules) on the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page, source: string): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: source });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    })) as {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    };
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)),
      }));
  });
}

/** How far the page scrolls sideways: 0 when nothing overflows the viewport. */
export const horizontalOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
