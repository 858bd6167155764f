/**
 * A form writes once, and to the record it was filled in on. Found by the fresh-eyes attack: a double click
 * on "Add note" made two identical notes (the network is slowed in the browser so the second click always
 * lands while the first post is under way); a ledger entry reviewed on one deal stayed on screen, with that
 * deal's cap headroom, after going to another deal, where "Confirm and record" would have recorded it.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCompanies } from '../../src/app/companies.ts';
import { openDeals } from '../../src/app/deals.ts';
import { listPipelineNotes } from '../../src/app/pipeline-notes.ts';
import type { DealInput } from '../../src/domain/deal.ts';
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
    const deal = (id: string, name: string): DealInput => ({
      id,
      name,
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
    });
    await openDeals(keel, testAdmin, 'dbl-deals', [
      deal('dbl-01', 'Gallium recovery line'),
      deal('dbl-02', 'Germanium refinery'),
    ]);
    await addUsers(keel, { bo: 'banker', pm: 'portfolio_manager' });
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

  it('a ledger entry under review on one deal is gone on the next deal page', async () => {
    const page = await logIn(browser, base, 'pm@example.org');
    await page.goto(`${base}/#/deals/dbl-01`);
    const form = page.getByRole('form', { name: 'Ledger entry' });
    await form.getByLabel('Amount of the entry (USD)').fill('1,000');
    await form.getByRole('button', { name: 'Review' }).click();
    await page.getByTestId('ledger-confirm').waitFor();
    await page.goto(`${base}/#/deals/dbl-02`);
    await page.getByRole('heading', { level: 1, name: /Germanium refinery/ }).waitFor();
    await page.getByRole('form', { name: 'Ledger entry' }).waitFor();
    await expect(page.getByTestId('ledger-confirm').count()).resolves.toBe(0);
    await page.close();
  }, 120_000);
});
