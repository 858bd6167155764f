/**
 * The committee and trust writes in Chromium, through the UI only (issue 15): a committee secretary puts a
 * deal on the agenda from its deal page, three members vote in their own browsers, the chair records an
 * approval with a condition, and the secretary marks it met on the deal page; a banker asks for a
 * wall-crossing that another compliance officer approves for a chosen number of days; an admin resets a
 * password and the user signs in with the new one. Set-up data is seeded through the use cases.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCompanies } from '../../src/app/companies.ts';
import { moveDealStage, openDeals } from '../../src/app/deals.ts';
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
  PASSWORD,
  seriousViolations,
  serve,
} from './harness.ts';

const DEAL = 'cw-tungsten';
const OTHER_DEAL = 'cw-nickel';
const MEETING = '2027-02-09';
const NEW_PASSWORD = 'a fresh passphrase from the link';

describe.skipIf(!haveChromium)('committee and trust writes, in the browser', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let axe: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    await addCompanies(keel, testAdmin, 'cw-co', [
      {
        id: 'cw-co',
        name: 'Tungsten Mills',
        usBased: true,
        existingClient: false,
        foreignControl: false,
        source: 'synthetic (e2e)',
        synthetic: true,
        facilities: [],
      },
    ]);
    // Two deals of the same company, opened at sourced: the committee's and the one found by name.
    const sourced = (id: string, name: string, dollars: bigint) => ({
      id,
      name,
      companyId: 'cw-co',
      subAreaId: 'critical-minerals',
      instrument: 'direct_equity' as const,
      amount: cents(dollars * 100n),
      stage: 'sourced' as const,
      classification: 'incremental' as const,
      openedOn: asIsoDate('2026-09-01'),
      team: [],
      source: 'synthetic (e2e)',
      synthetic: true,
    });
    await openDeals(keel, testAdmin, 'cw-deals', [
      sourced(DEAL, 'Tungsten carbide line', 50_000_000n),
      sourced(OTHER_DEAL, 'Nickel refinery expansion', 20_000_000n),
    ]);
    for (const dealId of [DEAL, OTHER_DEAL])
      for (const [n, to] of (['screening', 'diligence', 'committee'] as const).entries())
        await moveDealStage(keel, testAdmin, { key: `cw-move-${dealId}-${n}`, dealId, to });
    await addUsers(keel, {
      sec: 'investment_committee',
      ic1: 'investment_committee',
      ic2: 'investment_committee',
      ic3: 'investment_committee',
      bo: 'banker',
      ra: 'research_analyst',
      rc1: 'risk_compliance',
      rc2: 'risk_compliance',
      adm: 'admin',
      fg: 'banker',
    });
    ({ app, base } = await serve(keel));
    browser = await launchChromium();
    axe = axeSource();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  const expectAccessibleAndNarrow = async (page: Page) => {
    expect(await seriousViolations(page, axe)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await horizontalOverflow(page)).toBe(0);
    await page.setViewportSize({ width: 1440, height: 900 });
  };

  const vote = async (member: string) => {
    const page = await logIn(browser, base, `${member}@example.org`);
    await page.goto(`${base}/#/governance`);
    const item = page.locator(`[data-agenda-deal="${DEAL}"]`);
    await item.getByRole('button', { name: 'Vote for' }).click();
    await item.getByText('You voted for.').waitFor();
    return page;
  };

  it('the agenda, three votes, a decision with a condition, and the condition marked met', async () => {
    const sec = await logIn(browser, base, 'sec@example.org');
    await sec.goto(`${base}/#/deals/${DEAL}`);
    const agenda = sec.getByRole('form', { name: 'Put on the committee agenda' });
    await agenda.getByLabel('Committee meeting on').fill(MEETING);
    await agenda.getByRole('button', { name: 'Put on the committee agenda' }).click();
    await sec.getByText('The deal is on the committee agenda.').waitFor();
    await sec.getByText('No committee decision yet.').waitFor();
    await expectAccessibleAndNarrow(sec);

    for (const member of ['ic1', 'ic2']) await (await vote(member)).close();
    const chair = await vote('ic3');
    const item = chair.locator(`[data-agenda-deal="${DEAL}"]`);
    await item.getByLabel('Decision').selectOption('approve_with_conditions');
    await item.getByLabel('Conditions (separate with ;)').fill('Security review of the supplier');
    await item.getByRole('button', { name: 'Record decision' }).click();
    // The message names the deal, not its id.
    await chair
      .getByRole('status')
      .filter({ hasText: /^Decision recorded for (?!cw-tungsten).+\.$/ })
      .waitFor();
    await chair.close();

    // Before the condition is met, a draw's review lists it (found by a new user's pass: a draw went through
    // with a condition precedent open and nothing said so).
    const adm = await logIn(browser, base, 'adm@example.org');
    await adm.goto(`${base}/#/deals/${DEAL}`);
    const entry = adm.getByRole('form', { name: 'Ledger entry' });
    await entry.getByLabel('Entry kind').selectOption('draw');
    await entry.getByLabel('Amount of the entry (USD)').fill('1,000,000');
    await entry.getByRole('button', { name: 'Review' }).click();
    await adm.getByTestId('open-conditions').filter({ hasText: 'Security review of the supplier' }).waitFor();
    await adm.close();

    await sec.reload();
    const decisions = sec.getByTestId('committee-decisions');
    await decisions.getByText('Votes: 3 for, 0 against, 0 abstaining', { exact: false }).waitFor();
    const condition = decisions.locator('[data-condition="0"]');
    await condition.getByText('Security review of the supplier').waitFor();
    await expect(condition.locator('[data-condition-status="0"]').textContent()).resolves.toBe('open');
    await condition.getByRole('button', { name: 'Mark met' }).click();
    await condition.locator('[data-condition-status="0"]').filter({ hasText: 'met' }).waitFor();
    await sec.close();
  });

  it("the secretary finds a deal by a word of its name and puts it on a meeting's agenda; its row says so", async () => {
    const sec = await logIn(browser, base, 'sec@example.org');
    await sec.goto(`${base}/#/governance`);
    const panel = sec.getByRole('region', { name: 'Add a deal to the agenda' });
    await panel.getByLabel('Meeting on').fill('2027-05-11');
    await panel.getByLabel('Deal name').fill('nickel');
    await panel.getByRole('button', { name: 'Find deals' }).click();
    const row = panel.locator(`[data-candidate="${OTHER_DEAL}"]`);
    await row.getByRole('button', { name: 'Add to the meeting' }).click();
    await panel.getByRole('status').filter({ hasText: 'is on the agenda of 2027-05-11' }).waitFor();
    // The row no longer offers the button for that meeting: it says where the deal is.
    await row.getByText('on the agenda of 2027-05-11').waitFor();
    expect(await row.getByRole('button', { name: 'Add to the meeting' }).count()).toBe(0);
    await sec.locator(`[data-agenda-deal="${OTHER_DEAL}"]`).first().waitFor();
    // Another meeting's date offers it again.
    await panel.getByLabel('Meeting on').fill('2027-06-08');
    await row.getByRole('button', { name: 'Add to the meeting' }).waitFor();
    await sec.close();
  });

  it('a banker raises the approved amount; the deal awaits re-approval, goes on the agenda as such and can be taken off', async () => {
    const bo = await logIn(browser, base, 'bo@example.org');
    await bo.goto(`${base}/#/deals/${DEAL}`);
    await bo.getByTestId('approved-amount').filter({ hasText: '$50.00M' }).waitFor();
    await bo.getByText('Edit deal').click();
    const edit = bo.getByRole('form', { name: 'Edit deal' });
    await edit.getByLabel('Amount (USD)').fill('65000000');
    await edit.getByLabel('Reason for the change').fill('the second furnace line is added');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await bo.getByTestId('awaits-reapproval').filter({ hasText: '$50.00M' }).waitFor();
    await bo.close();

    // A commitment past the approval is called out at the review, before Confirm (the ledger would refuse it).
    const adm = await logIn(browser, base, 'adm@example.org');
    await adm.goto(`${base}/#/deals/${DEAL}`);
    const entry = adm.getByRole('form', { name: 'Ledger entry' });
    await entry.getByLabel('Entry kind').selectOption('commitment');
    await entry.getByLabel('Amount of the entry (USD)').fill('60,000,000');
    await entry.getByRole('button', { name: 'Review' }).click();
    await adm
      .getByTestId('over-approval')
      .filter({ hasText: 'covers $50,000,000.00' })
      .filter({ hasText: 'from $0.00 to $60,000,000.00' })
      .waitFor();
    // The ledger would refuse it: Confirm is not offered.
    expect(await adm.getByRole('button', { name: 'Confirm and record' }).isDisabled()).toBe(true);
    await adm.getByRole('button', { name: 'Back' }).click();
    await entry.getByLabel('Amount of the entry (USD)').fill('50,000,000');
    await entry.getByRole('button', { name: 'Review' }).click();
    await adm.getByTestId('ledger-confirm').waitFor();
    expect(await adm.getByTestId('over-approval').count()).toBe(0);
    await adm.close();

    const sec = await logIn(browser, base, 'sec@example.org');
    await sec.goto(`${base}/#/deals/${DEAL}`);
    await sec.getByTestId('awaits-reapproval').waitFor();
    const agenda = sec.getByRole('form', { name: 'Put on the committee agenda' });
    await agenda.getByLabel('Committee meeting on').fill('2027-03-09');
    await agenda.getByRole('button', { name: 'Put on the committee agenda' }).click();
    await sec.getByText('The deal is on the committee agenda.').waitFor();
    await sec.goto(`${base}/#/governance`);
    const item = sec.locator(`[data-agenda-deal="${DEAL}"]`);
    await item.locator(`[data-reapproval-of="${DEAL}"]`).filter({ hasText: 'Re-approval' }).waitFor();
    // The tab is named after the page, never by a deal id.
    expect(await sec.title()).not.toContain(DEAL);
    await expectAccessibleAndNarrow(sec);
    await item.getByRole('button', { name: 'Take off the agenda' }).click();
    await sec.getByRole('status').filter({ hasText: 'is off the agenda of 2027-03-09' }).waitFor();
    await item.waitFor({ state: 'detached' });
    await sec.close();
  });

  it('a banker asks for a wall-crossing; another compliance officer approves it for a chosen number of days', async () => {
    const bo = await logIn(browser, base, 'bo@example.org');
    await bo.goto(`${base}/#/deals/${DEAL}`);
    await bo.getByText('Bring an analyst over the wall').click();
    const form = bo.getByRole('form', { name: 'Request a wall-crossing' });
    await form.getByLabel("Analyst's user id").fill('ra');
    await form.getByLabel('Reason').fill('valuation work for the tungsten sector note');
    await form.getByLabel('Days').fill('10');
    await form.getByRole('button', { name: 'Request the wall-crossing' }).click();
    await bo.getByText('Wall-crossing requested', { exact: false }).waitFor();
    await expectAccessibleAndNarrow(bo);
    await bo.close();

    const rc = await logIn(browser, base, 'rc1@example.org');
    await rc.goto(`${base}/#/admin`);
    const row = rc.locator('[data-crossing]').filter({ hasText: 'valuation work for the tungsten' });
    await expect(row.getByLabel('Days').inputValue()).resolves.toBe('10');
    await row.getByLabel('Days').fill('4');
    await row.getByRole('button', { name: 'Approve', exact: true }).click();
    await rc.getByText('approve for 4 days recorded', { exact: false }).waitFor();
    await row.filter({ hasText: 'approved' }).waitFor();
    await expectAccessibleAndNarrow(rc);
    await rc.close();

    const ra = await logIn(browser, base, 'ra@example.org');
    await ra.goto(`${base}/#/deals/${DEAL}`);
    await ra.getByRole('heading', { name: /Tungsten carbide line/ }).waitFor();
    // The company is named, not linked: its page is not the analyst's to read.
    await ra.getByText('Tungsten Mills', { exact: true }).first().waitFor();
    expect(await ra.getByRole('link', { name: 'Tungsten Mills' }).count()).toBe(0);
    // The notice of the crossing opens the deal.
    await ra.goto(`${base}/#/notifications`);
    const open = ra.getByRole('link', { name: 'Open' }).first();
    await expect(open.getAttribute('href')).resolves.toBe(`#/deals/${DEAL}`);
    await ra.close();
  });

  it('an admin resets a password; the user sets a new one from the link and signs in with it', async () => {
    const adm = await logIn(browser, base, 'adm@example.org');
    await adm.goto(`${base}/#/admin`);
    adm.once('dialog', (dialog) => void dialog.accept());
    await adm.locator('[data-user="fg"]').getByRole('button', { name: 'Reset password' }).click();
    const shown = adm.getByTestId('reset-link');
    const link = await shown.getByLabel('Password-reset link for fg').inputValue();
    expect(link).toMatch(/#\/setup\/[A-Za-z0-9_-]{40,}$/);
    await expectAccessibleAndNarrow(adm);
    await adm.close();

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    await page.goto(link);
    await page.getByText('A new password for').waitFor();
    expect(await page.title()).toBe('A new password · Keel');
    await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set the password and sign in' }).click();
    await page.getByTestId('who').waitFor({ state: 'attached' });
    await page.close();

    const again = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await again.goto(link);
    await again.getByText('has been used or has expired', { exact: false }).waitFor();
    await again.goto(base);
    await again.getByLabel('Email').fill('fg@example.org');
    await again.getByLabel('Password').fill(PASSWORD);
    await again.getByRole('button', { name: 'Sign in' }).click();
    await again.getByRole('alert').waitFor();
    await again.getByLabel('Password').fill(NEW_PASSWORD);
    await again.getByRole('button', { name: 'Sign in' }).click();
    await again.getByTestId('who').waitFor({ state: 'attached' });
    await again.close();
  });
});
