/**
 * The governance and research writes that had only an API (issue 15, item 1), through the UI only: a
 * coverage manager adds a specialist and sets a hiring-plan figure; a banker adds a permit to a deal and moves
 * it a stage, and a move dated before the last one is refused in the server's words; a research analyst
 * authors a scenario with a shock and a buffer, saves and runs it, after an impossible shock (150 %) is
 * refused at its field. Each form is scanned by axe-core and must fit 390 px. Set-up (users, a company and an
 * open deal) goes through the use cases.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCompanies } from '../../src/app/companies.ts';
import { openDeals } from '../../src/app/deals.ts';
import { listScenarios } from '../../src/app/research/scenarios.ts';
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
const MINERALS = 'Critical minerals mining & processing';

describe.skipIf(!haveChromium)('governance and research forms, in the browser', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let axe: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    await addCompanies(keel, testAdmin, 'gf-co', [
      {
        id: 'gf-antimony',
        name: 'Antimony Smelting',
        usBased: true,
        existingClient: false,
        foreignControl: false,
        source: 'synthetic (e2e)',
        synthetic: true,
        facilities: [],
      },
    ]);
    await openDeals(keel, testAdmin, 'gf-deals', [
      {
        id: 'gf-smelter',
        name: 'Antimony smelter restart',
        companyId: 'gf-antimony',
        subAreaId: 'critical-minerals',
        instrument: 'term_loan',
        amount: cents(75_000_000_00n),
        stage: 'sourced',
        classification: 'incremental',
        openedOn: asIsoDate('2026-01-15'),
        team: [],
        source: 'synthetic (e2e)',
        synthetic: true,
      },
    ]);
    await addUsers(keel, { pm: 'portfolio_manager', bo: 'banker', ra: 'research_analyst' });
    ({ app, base } = await serve(keel));
    browser = await launchChromium();
    axe = axeSource();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  /** At phone width nothing scrolls sideways, and axe-core finds nothing serious on the page as it is. */
  const fitsAndPasses = async (page: Page, shot: string) => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.waitForFunction(() => window.innerWidth === 390);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page, axe)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
  };

  it('a coverage manager adds a specialist and sets a hiring-plan figure, and the gaps change', async () => {
    const year = new Date().getUTCFullYear();
    const page = await logIn(browser, base, 'pm@example.org');
    await page.goto(`${base}/#/governance`);
    await page.getByRole('tab', { name: 'Coverage & hiring' }).click();
    await page.getByTestId('uncovered').getByText(MINERALS).waitFor();

    await page.getByText('Add a staff member', { exact: true }).click();
    const staff = page.getByRole('form', { name: 'Add staff member' });
    await staff.getByLabel('Name').fill('Ada Ore');
    expect(await staff.getByLabel('Staff id').inputValue()).toBe('ada-ore');
    await staff.getByLabel('Role').selectOption({ label: 'sector specialist' });
    await staff.getByLabel('Sub-areas').selectOption([{ label: MINERALS }]);
    await staff.getByRole('button', { name: 'Add staff member' }).click();
    await page.getByText('Ada Ore added.').waitFor();
    await page.getByText('Every sub-area with open pipeline has a specialist.').waitFor();
    expect(await page.getByTestId('uncovered').getByText(MINERALS).count()).toBe(0);

    // The same id again: the server's refusal, in its words.
    await staff.getByLabel('Name').fill('Ada Ore');
    await staff.getByRole('button', { name: 'Add staff member' }).click();
    await staff.getByRole('alert').filter({ hasText: 'staff "ada-ore" is already recorded' }).waitFor();

    await page.getByText('Edit the hiring plan', { exact: true }).click();
    const plan = page.getByRole('form', { name: 'Hiring plan' });
    const cell = plan.getByLabel(`${MINERALS}, ${year}`);
    await cell.fill('2.5');
    await plan.getByRole('button', { name: 'Save hiring plan' }).click();
    await plan
      .getByRole('alert')
      .filter({ hasText: `${MINERALS} ${year}: each figure must be a whole number from 0 to 1000` })
      .waitFor();
    await cell.fill('3');
    await plan.getByRole('button', { name: 'Save hiring plan' }).click();
    await plan.getByText('Hiring plan saved (1 figure).').waitFor();
    const row = page.getByTestId('hiring-plan').locator('tbody tr', { hasText: MINERALS }).first();
    await expect
      .poll(async () => (await row.locator('td').allTextContents()).slice(1))
      .toEqual(['3', '1', '2']);
    await fitsAndPasses(page, 'coverage-forms-390.png');
    await page.close();
  });

  it('a banker adds a permit to a deal and moves it a stage; a move back in time is refused', async () => {
    const page = await logIn(browser, base, 'bo@example.org');
    await page.goto(`${base}/#/deals/gf-smelter`);
    const permits = page.getByTestId('permits');
    await permits.getByText('No permits recorded for this deal.').waitFor();

    const add = page.getByRole('form', { name: 'Add permit' });
    await add.getByLabel('Permit kind').selectOption({ label: 'NEPA environmental assessment' });
    await add.getByLabel('Agency').fill('Bureau of Land Management');
    await add.getByLabel('Jurisdiction').selectOption('federal');
    await add.getByLabel('Current stage').selectOption('applied');
    await add.getByLabel('Since').fill('2026-03-01');
    await add.getByRole('button', { name: 'Add permit' }).click();
    await add.getByText('Permit added.').waitFor();
    const stage = permits.getByTestId('permit-stage').first();
    await expect.poll(() => stage.textContent()).toBe('applied since 2026-03-01');

    const move = page.getByRole('form', { name: 'Move permit' });
    const next = move.getByLabel('Next stage');
    expect(await next.locator('option').allTextContents()).toEqual([
      'under review',
      'approved',
      'denied',
      'withdrawn',
    ]);
    await next.selectOption('under_review');
    await move.getByLabel('Moved on').fill('2026-04-15');
    await move.getByRole('button', { name: 'Move permit' }).click();
    await move.getByText('moved to under review.').waitFor();
    await expect.poll(() => stage.textContent()).toBe('under review since 2026-04-15');
    await permits.locator('tbody tr').first().getByText('applied 45 d').waitFor();
    expect(await next.locator('option').allTextContents()).toEqual(['approved', 'denied', 'withdrawn']);

    await next.selectOption('approved');
    await move.getByLabel('Moved on').fill('2026-04-01');
    await move.getByRole('button', { name: 'Move permit' }).click();
    await move
      .getByRole('alert')
      .filter({ hasText: '2026-04-01 is before the last move (2026-04-15)' })
      .waitFor();
    expect(await stage.textContent()).toBe('under review since 2026-04-15');
    await fitsAndPasses(page, 'permit-forms-390.png');
    await page.close();
  });

  it('a research analyst runs an economy-wide impact on the 2007 detail table and charts and exports import dependence', async () => {
    const page = await logIn(browser, base, 'ra@example.org');
    await page.goto(`${base}/#/research`);
    await page.getByRole('tab', { name: 'Economy-wide' }).click();
    const impact = page.getByRole('form', { name: 'Economy-wide impact' });
    await impact.getByLabel('Sub-area').selectOption({ label: 'Shipbuilding' });
    await impact.getByLabel('Year').selectOption('2009');
    await impact.getByLabel('Tables').selectOption('detail');
    // The detail tables exist for 2007 only: the year goes away rather than being sent.
    expect(await impact.getByLabel('Year').count()).toBe(0);
    await impact.getByRole('button', { name: 'Compute impact' }).click();
    const result = page.getByTestId('io-impact');
    await result.getByText('BEA 2007 benchmark, detail level', { exact: false }).waitFor();
    // Industries by name, not by code.
    expect(await result.locator('tbody tr td').first().textContent()).toBe('Ship building and repairing');
    await impact.getByLabel('Tables').selectOption('summary');
    await impact.getByLabel('Year').selectOption('2009');
    await impact.getByRole('button', { name: 'Compute impact' }).click();
    await result.getByText('BEA annual I-O accounts 2009', { exact: false }).waitFor();
    expect(await result.locator('tbody tr td').first().textContent()).toBe('Other transportation equipment');

    const imports = page.getByRole('form', { name: 'Import dependence' });
    await imports
      .getByLabel('Sub-areas')
      .selectOption([{ label: 'Semiconductors' }, { label: 'Shipbuilding' }]);
    await imports.getByRole('button', { name: 'Show import dependence' }).click();
    await page.locator('[data-chart="import-dependence-paths"][data-rendered="true"]').waitFor();
    await page.screenshot({ path: join(SHOTS, 'research-economy.png'), fullPage: true });
    const table = page.getByTestId('import-content-table');
    expect(await table.locator('tbody tr').count()).toBe(73);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV', exact: true }).click(),
    ]);
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync((await download.path()) as string, 'utf8').split('\n');
    expect(csv[0]).toBe(
      'code,commodity,sub_areas,total_requirement,domestic_requirement,imported_per_dollar',
    );
    expect(csv.length).toBe(74);
    // IxC_TR 2015 minus IxC_Domestic 2015, column O row 79: 1.5368959 − 1.3576382.
    const c334 = csv.find((l) => l.startsWith('334,'));
    expect(Number(c334?.split(',').at(-1))).toBeCloseTo(0.1792577, 10);
    await fitsAndPasses(page, 'research-economy-390.png');
    await page.close();
  }, 120_000);

  it('a research analyst authors a scenario with a shock and a buffer, saves and runs it', async () => {
    const page = await logIn(browser, base, 'ra@example.org');
    await page.goto(`${base}/#/research`);
    await page.getByRole('tab', { name: 'Scenarios' }).click();
    await page.getByText('New scenario', { exact: true }).click();
    const form = page.getByRole('form', { name: 'New scenario' });
    await form.getByLabel('Scenario name').fill('Gallium refinery outage');
    expect(await form.getByLabel('Scenario id').inputValue()).toBe('gallium-refinery-outage');
    await form.getByLabel('Horizon (months)').fill('12');
    const shock = form.getByRole('group', { name: 'Shock 1' });
    await shock.getByLabel('Kind').selectOption({ label: 'plant outage' });
    await shock.getByLabel('Node').selectOption({ label: 'Gallium (primary, low purity)' });
    await shock.getByLabel('Supply shortfall (%)').fill('150');
    await shock.getByLabel('Lasting (months)').fill('6');
    await form.getByRole('button', { name: 'Add a buffer' }).click();
    const buffer = form.getByRole('group', { name: 'Buffer 1' });
    await buffer.getByLabel('Buffered node').selectOption({ label: 'Gallium (primary, low purity)' });
    await buffer.getByLabel('Stockpile (months of use)').fill('3');
    await buffer.getByLabel('Substitution (%)').fill('20');
    await form.getByRole('button', { name: 'Save scenario' }).click();
    await form.getByRole('alert').filter({ hasText: 'The scenario was not saved' }).waitFor();
    await shock.getByText('must be at most 100 %').waitFor();
    expect(await shock.getByLabel('Supply shortfall (%)').getAttribute('aria-invalid')).toBe('true');
    await fitsAndPasses(page, 'scenario-form-refused-390.png');
    await page.setViewportSize({ width: 1440, height: 900 });

    await shock.getByLabel('Supply shortfall (%)').fill('40');
    // Its own mapping for the credit stress: 2 notches from a 25% shortfall.
    await form.getByRole('button', { name: 'Add a step' }).click();
    const step = form.getByRole('group', { name: 'Step 1' });
    await step.getByLabel('From a shortfall of (%)').fill('25');
    await step.getByLabel('Notches down').fill('2');
    await form
      .getByLabel('What the mapping assumes')
      .fill('an outage of months: two notches from a quarter lost');
    await form.getByRole('button', { name: 'Save scenario' }).click();
    await form.getByText('Scenario "Gallium refinery outage" saved').waitFor();
    expect(await form.getByRole('alert').count()).toBe(0);
    const saved = (await listScenarios(keel, testAdmin)).find((s) => s.id === 'gallium-refinery-outage');
    expect(saved?.creditNotches).toEqual({
      assumption: 'an outage of months: two notches from a quarter lost',
      thresholds: [{ minShortfall: 0.25, notches: 2 }],
    });
    const run = page.locator('[data-run="gallium-refinery-outage"]');
    await run.click();
    const result = page.getByTestId('run-gallium-refinery-outage');
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain('Gallium refinery outage');
    await page.close();
  });
});
