/**
 * The same form sent twice: a double click, or a second click while a slow network still carries the first,
 * writes once. Found by the fresh-eyes attack: a double click on "Add note" made two identical notes. The
 * network is slowed in the browser so the second click always lands while the first post is under way.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCompanies } from '../../src/app/companies.ts';
import { openDeals } from '../../src/app/deals.ts';
import { listPipelineNotes } from '../../src/app/pipeline-notes.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { addUsers, haveChromium, launchChromium, logIn, serve } from './harness.ts';

describe.skipIf(!haveChromium)('a form sent twice writes once', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    await addCompanies(keel, testAdmin, 'dbl-co', [
      {
        id: 'dbl-co',
        name: 'Double Click Metals',
        usBased: true,
        existingClient: false,
        foreignControl: false,
        source: 'synthetic (e2e)',
        synthetic: true,
        facilities: [],
      },
    ]);
    await openDeals(keel, testAdmin, 'dbl-deals', [
      {
        id: 'dbl-01',
        name: 'Gallium recovery line',
        companyId: 'dbl-co',
        subAreaId: 'critical-minerals',
        instrument: 'term_loan',
        amount: cents(5_000_000_00n),
        stage: 'sourced',
        classification: 'incremental',
        openedOn: asIsoDate('2026-01-15'),
        team: [],
        source: 'synthetic (e2e)',
        synthetic: true,
      },
    ]);
    await addUsers(keel, { bo: 'banker' });
    ({ app, base } = await serve(keel));
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  it('a double click on "Add note" adds one note', async () => {
    const page = await logIn(browser, base, 'bo@example.org');
    await page.route('**/api/notes', async (route) => {
      if (route.request().method() === 'POST') await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await page.goto(`${base}/#/deals/dbl-01`);
    const form = page.getByRole('form', { name: 'New note' });
    await form.getByRole('textbox').fill('Offtake letter **signed** today.');
    await form.getByRole('button', { name: 'Add note' }).dblclick();
    await page.getByTestId('notes').locator('li').first().waitFor();
    // Time for a second post, were one sent, to arrive.
    await page.waitForTimeout(1_000);
    const notes = await listPipelineNotes(keel, testAdmin, { subjectKind: 'deal', subjectId: 'dbl-01' });
    expect(notes.map((n) => n.bodyMd)).toEqual(['Offtake letter **signed** today.']);
    await expect(page.getByTestId('notes').locator('li').count()).resolves.toBe(1);
    await page.close();
  }, 120_000);
});
