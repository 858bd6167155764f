/**
 * Every write a role makes in its day, through the UI only (issue 15, item 1): a banker originates a company
 * and a deal and moves it to committee; a portfolio manager records a commitment and a draw from the deal
 * page, confirming against the cap headroom, and sees a cap refusal in the server's words; an amendment of
 * the amount of a deal the ledger references needs a reason and shows in the history. Setup (users, an
 * approved deal) goes through the use cases; every test step is a click or a keystroke in Chromium.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCompanies } from '../../src/app/companies.ts';
import { openDeals } from '../../src/app/deals.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import type { DealInput } from '../../src/domain/deal.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
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

const SHOTS = join(import.meta.dirname, '..', '..', '.test-results', 'screenshots');

/** An equity deal decided outside Keel (a historical import), so the ledger may take its commitments. */
const approvedDeal = (id: string, name: string): DealInput => ({
  id,
  name,
  companyId: 'ww-gallium',
  subAreaId: 'critical-minerals',
  instrument: 'direct_equity',
  amount: cents(400_000_000_00n),
  stage: 'approved',
  historicalDecisionRef: 'IC minute 2026-07 (synthetic, e2e)',
  classification: 'incremental',
  openedOn: asIsoDate('2026-01-15'),
  team: [],
  source: 'synthetic (e2e)',
  synthetic: true,
});

describe.skipIf(!haveChromium)('the writes of a working day, in the browser', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    await addCompanies(keel, testAdmin, 'ww-co', [
      {
        id: 'ww-gallium',
        name: 'Gallium Refiners',
        usBased: true,
        existingClient: false,
        foreignControl: false,
        source: 'synthetic (e2e)',
        synthetic: true,
        facilities: [],
      },
    ]);
    await openDeals(keel, testAdmin, 'ww-deals', [
      approvedDeal('ww-commit', 'Gallium recovery line'),
      approvedDeal('ww-amend', 'Germanium wafer plant'),
    ]);
    await recordLedgerEntry(keel, testAdmin, {
      clientKey: 'ww-amend-commit',
      dealId: 'ww-amend',
      kind: 'commitment',
      amount: cents(100_000_000_00n),
      effectiveOn: asIsoDate('2026-02-01'),
    });
    await addUsers(keel, { bo: 'banker', pm: 'portfolio_manager', ra: 'research_analyst' });
    ({ app, base } = await serve(keel));
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  const moveTo = async (page: Page, stage: string) => {
    await page.getByLabel('Move to').selectOption(stage);
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await page
      .getByTestId('deal-stage')
      .filter({ hasText: new RegExp(`^${stage}$`) })
      .waitFor();
  };

  it('a banker originates a company and a deal and moves the deal to committee', async () => {
    const page = await logIn(browser, base, 'bo@example.org');
    await page.getByRole('link', { name: 'Deals', exact: true }).click();
    await page.getByText('New company', { exact: true }).click();
    const company = page.getByRole('form', { name: 'New company' });
    await company.getByLabel('Company name').fill('Antimony Works');
    expect(await company.getByLabel('Company id').inputValue()).toBe('antimony-works');
    await company.getByLabel('Headquarters state').selectOption({ label: 'Idaho' });
    await company.getByLabel('Source').fill('company filing, 2026-03-01');
    await company.getByRole('button', { name: 'Add company' }).click();
    await page.waitForURL(/#\/companies\/antimony-works$/);
    await page.getByRole('heading', { name: 'Antimony Works' }).waitFor();

    await page.getByText('New deal for this company').click();
    const deal = page.getByRole('form', { name: 'New deal' });
    await deal.getByLabel('Deal name').fill('Antimony smelter restart');
    await deal.getByLabel('Sub-area').selectOption({ label: 'Critical minerals mining & processing' });
    await deal.getByLabel('Instrument').selectOption({ label: 'term loan' });
    await deal.getByLabel('Amount (USD)').fill('75,000,000');
    await deal.getByText('$75,000,000.00').waitFor();
    await deal.getByLabel('Source').fill('mandate letter, 2026-03-02');
    await deal.getByRole('button', { name: 'Open deal' }).click();
    await page.waitForURL(/#\/deals\/antimony-smelter-restart$/);
    await page.getByRole('heading', { name: 'Antimony smelter restart' }).waitFor();
    await expect(page.getByTestId('deal-stage').textContent()).resolves.toBe('sourced');

    for (const stage of ['screening', 'diligence', 'committee']) await moveTo(page, stage);
    await page.getByText('Moved from diligence to committee.').waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'deal-originated-banker.png'), fullPage: true });
    await page.close();
  });

  it('a banker sees a refusal in the server words when the deal id is taken', async () => {
    const page = await logIn(browser, base, 'bo@example.org');
    await page.goto(`${base}/#/companies/ww-gallium`);
    await page.getByText('New deal for this company').click();
    const deal = page.getByRole('form', { name: 'New deal' });
    await deal.getByLabel('Deal name').fill('Duplicate');
    await deal.getByLabel('Deal id').fill('ww-commit');
    await deal.getByLabel('Sub-area').selectOption({ label: 'Critical minerals mining & processing' });
    await deal.getByLabel('Instrument').selectOption({ label: 'term loan' });
    await deal.getByLabel('Amount (USD)').fill('1000');
    await deal.getByLabel('Source').fill('synthetic (e2e)');
    await deal.getByRole('button', { name: 'Open deal' }).click();
    await page.getByRole('alert').filter({ hasText: 'already exists' }).waitFor();
    await page.close();
  });

  it('a portfolio manager records a commitment and a draw, confirming the cap headroom', async () => {
    const page = await logIn(browser, base, 'pm@example.org');
    await page.goto(`${base}/#/deals/ww-commit`);
    const entry = page.getByRole('form', { name: 'Ledger entry' });
    await entry.getByLabel('Entry kind').selectOption('commitment');
    await entry.getByLabel('Amount of the entry (USD)').fill('100,000,000');
    await entry.getByLabel('Entry note').fill('first close');
    await entry.getByRole('button', { name: 'Review' }).click();
    const confirm = page.getByTestId('ledger-confirm');
    await confirm.waitFor();
    // The programme-wide equity cap: $10B, of which the other deal's $100M is used.
    const programmeCap = confirm.locator('[data-cap="equity-vc"]');
    await expect(programmeCap.getByTestId('headroom-before').textContent()).resolves.toBe(
      '$9,900,000,000.00',
    );
    await expect(programmeCap.getByTestId('headroom-after').textContent()).resolves.toBe('$9,800,000,000.00');
    // The per-company cap: $500M, $100M used by the other deal of the same company.
    const companyCap = confirm.locator('[data-cap="equity-vc-per-company"]');
    await expect(companyCap.getByTestId('headroom-after').textContent()).resolves.toBe('$300,000,000.00');
    await page.screenshot({ path: join(SHOTS, 'ledger-confirm-pm.png'), fullPage: true });
    await confirm.getByRole('button', { name: 'Confirm and record' }).click();
    await page.getByText('Recorded commitment of $100,000,000.00').waitFor();
    await page
      .locator('[data-testid="ledger"] tbody tr')
      .first()
      .filter({ hasText: 'first close' })
      .waitFor();
    // The capital stack follows the ledger without a reload of the page (it stayed at $0.00 before).
    await page.getByTestId('stack-total').filter({ hasText: '$100.00M' }).waitFor();

    await entry.getByLabel('Entry kind').selectOption('draw');
    await entry.getByLabel('Amount of the entry (USD)').fill('25000000.00');
    await entry.getByRole('button', { name: 'Review' }).click();
    await confirm.getByText('does not move cap usage').waitFor();
    await confirm.getByRole('button', { name: 'Confirm and record' }).click();
    await page.getByText('Recorded draw of $25,000,000.00').waitFor();
    // The page reloads the deal after the write: the second row arrives with it.
    await page.locator('[data-testid="ledger"] tbody tr').nth(1).filter({ hasText: 'draw' }).waitFor();

    // Over the per-company cap: the preview says so, and the server refuses in its own words.
    await entry.getByLabel('Entry kind').selectOption('commitment');
    await entry.getByLabel('Amount of the entry (USD)').fill('350,000,000');
    await entry.getByRole('button', { name: 'Review' }).click();
    await expect(companyCap.getByTestId('headroom-after').textContent()).resolves.toBe(
      'over by $50,000,000.00',
    );
    await confirm.getByRole('button', { name: 'Confirm and record' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'would exceed the cap "Equity and VC per company"' })
      .waitFor();
    expect(await page.locator('[data-testid="ledger"] tbody tr').count()).toBe(2);
    await page.close();
  });

  it('an amount the ledger references changes only with a reason, and shows in the history', async () => {
    const page = await logIn(browser, base, 'pm@example.org');
    await page.goto(`${base}/#/deals/ww-amend`);
    await page.getByText('Edit deal', { exact: true }).click();
    const edit = page.getByRole('form', { name: 'Edit deal' });
    await edit.getByLabel('Amount (USD)').fill('450,000,000');
    // The amount changed: the reason is now required here, before Save (the server would refuse without one).
    await edit.getByText('Reason for the change (required: the ledger references this deal)').waitFor();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const reason = edit.getByLabel('Reason for the change');
    expect(await reason.evaluate((el) => (el as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
    await page.getByText('Deal saved.').waitFor({ state: 'detached' });
    await edit.getByLabel('Reason for the change').fill('upsized at signing');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Deal saved.').waitFor();
    const row = page.locator('[data-testid="amendments"] tr[data-field="amount"]');
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('$400,000,000.00');
    expect(text).toContain('$450,000,000.00');
    expect(text).toContain('upsized at signing');
    expect(text).toContain('pm');
    await page.close();
  });

  it('a note on a deal renders its markdown, and its HTML as text', async () => {
    const page = await logIn(browser, base, 'bo@example.org');
    await page.goto(`${base}/#/deals/ww-amend`);
    const form = page.getByRole('form', { name: 'New note' });
    await form.getByRole('textbox').fill('**Signed** the NDA\n\n<img src=x onerror="window.pwned=1">');
    await form.getByRole('button', { name: 'Add note' }).click();
    const note = page.getByTestId('notes').locator('li').first();
    await note.locator('strong', { hasText: 'Signed' }).waitFor();
    await expect(note.textContent()).resolves.toContain('<img src=x onerror="window.pwned=1">');
    expect(await note.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await page.close();
  });

  it('shows no write forms to a role without the write permissions', async () => {
    const page = await logIn(browser, base, 'bo@example.org');
    await page.goto(`${base}/#/deals/ww-commit`);
    await page.getByRole('heading', { name: 'Gallium recovery line' }).waitFor();
    // A banker opens and edits deals but does not record ledger entries.
    expect(await page.getByRole('form', { name: 'Ledger entry' }).count()).toBe(0);
    expect(await page.getByText('Edit deal', { exact: true }).count()).toBe(1);
    await page.close();
    const analyst = await logIn(browser, base, 'ra@example.org');
    await analyst.goto(`${base}/#/deals`);
    await analyst.getByRole('alert').waitFor();
    expect(await analyst.getByText('New deal', { exact: true }).count()).toBe(0);
    expect(await analyst.getByText('New company', { exact: true }).count()).toBe(0);
    await analyst.close();
  });

  it('the forms fit a phone and pass an axe-core scan, open', async () => {
    const axe = axeSource();
    const page = await logIn(browser, base, 'pm@example.org', { width: 390, height: 800 });
    await page.goto(`${base}/#/deals`);
    await page.getByText('New deal', { exact: true }).click();
    await page.getByText('New company', { exact: true }).click();
    await page.getByRole('form', { name: 'New company' }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page, axe)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'new-deal-forms-390.png'), fullPage: true });
    await page.goto(`${base}/#/deals/ww-commit`);
    await page.getByText('Edit deal', { exact: true }).click();
    const entry = page.getByRole('form', { name: 'Ledger entry' });
    await entry.getByLabel('Amount of the entry (USD)').fill('1,000');
    await entry.getByRole('button', { name: 'Review' }).click();
    await page.getByTestId('ledger-confirm').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page, axe)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'deal-forms-390.png'), fullPage: true });
    await page.close();
  });
});
