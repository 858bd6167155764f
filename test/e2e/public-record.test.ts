/**
 * The public record in Chromium, on a first start (`keel init` with the shipped data): the peer register
 * and the map show the awards of data/public-record/peer-awards.csv with their sources, a White House
 * statement opens as text (an imported award whose name looks like HTML stays text), and a council member
 * sees the peers' public figures beside the programme's own only where k deals make them. A banker finds the
 * unverified reports on the pipeline board as public leads before screening, with their sources and outside
 * the stage's count and total; a research analyst is offered the public record's two import kinds only.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/app/import.ts';
import { initKeel } from '../../src/app/init.ts';
import { exactAmount } from '../../src/domain/format.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { addUsers, haveChromium, launchChromium, serve, logIn as signIn } from './harness.ts';

const SHOTS = join(import.meta.dirname, '..', '..', '.test-results', 'screenshots');
const HOSTILE = '<img src=x onerror="window.__xss=1">Hostile Magnets';

describe.skipIf(!haveChromium)('the public record in Chromium', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let awardCount: number;

  beforeAll(async () => {
    keel = await freshKeel('pglite', { init: false });
    await initKeel(keel, testAdmin);
    await importFile(
      keel,
      testAdmin,
      'peer-awards',
      `programme,recipient,technology_or_sub_area,amount_usd,date,state,status,source\nDoW Office of Strategic Capital,"${HOSTILE.replaceAll('"', '""')}",rare-earth magnets,1000000,2026-09-01,TX,conditional loan commitment,https://example.org/hostile\n`,
    );
    awardCount = (await keel.database.db.selectFrom('peer_awards').select('id').execute()).length;
    await addUsers(keel, {
      ada: 'admin',
      cc: 'council_member',
      bb: 'banker',
      ra: 'research_analyst',
    });
    ({ app, base } = await serve(keel));
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  const logIn = (email: string) => signIn(browser, base, email);

  it('the peer register lists every award with its sources, and a statement opens as text', async () => {
    const page = await logIn('ada@example.org');
    await page.goto(`${base}/#/governance`);
    await page.getByRole('tab', { name: 'Reshoring & peers' }).click();
    const awards = page.getByTestId('peer-awards');
    await awards.waitFor();
    expect(await awards.locator('tbody tr').count()).toBe(awardCount);
    // Every award row links to at least one source.
    const linkless = await awards
      .locator('tbody tr')
      .evaluateAll((rows) => rows.filter((r) => r.querySelectorAll('a[href^="http"]').length === 0).length);
    expect(linkless).toBe(0);
    // Intel's final CHIPS award replaces its preliminary terms; the final figure is in the register.
    await expect(awards.textContent()).resolves.toContain('$7,865,000,000.00');
    await expect(
      page.getByTestId('crowding').locator('[data-sub-area="critical-minerals"]').textContent(),
    ).resolves.toContain(
      '$4,535,700,000.00', // $4,534.7M of the file plus the $1M imported above
    );
    // The hostile name is shown as text; no element was made from it.
    await awards.getByText(HOSTILE).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await awards.locator('img').count()).toBe(0);
    // The TSMC final award links to the White House statement in the collection.
    await awards
      .getByRole('button', { name: /statement: .*final CHIPS award for TSMC/i })
      .first()
      .click();
    const statement = page.getByTestId('statement');
    await statement.waitFor();
    await expect(statement.textContent()).resolves.toContain('TSMC');
    expect(await statement.locator('a[href^="https://bidenwhitehouse.archives.gov/"]').count()).toBe(1);
    // Search the statements.
    await page.getByLabel('Search the White House statements').fill('Make More in America');
    await page.getByTestId('statement-search').getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('statement-search').locator('li').first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'peer-register-admin.png'), fullPage: true });
    await page.close();
  });

  it("the map shows the peer awards by state beside the programme's deployment, with sources", async () => {
    const page = await logIn('ada@example.org');
    await page.goto(`${base}/#/governance`);
    await page.getByRole('tab', { name: 'Map' }).click();
    const table = page.getByTestId('map-peer-awards');
    await table.waitFor();
    // Nevada: Lithium Nevada's closed loan, $2.26B (its conditional commitment is replaced, not added).
    await expect(table.locator('[data-state="32"]').textContent()).resolves.toContain('$2,260,000,000.00');
    // Idaho holds no peer award; Perpetua's deployment is beside the awards where a state has both.
    expect(await table.locator('[data-state="32"] a[href^="http"]').count()).toBeGreaterThan(0);
    await page.locator('[data-chart="us-map"]').waitFor();
    await page.screenshot({ path: join(SHOTS, 'map-peer-awards.png'), fullPage: true });
    await page.close();
  });

  it('the public record tab shows leads apart, undisclosed amounts as undisclosed, and Perpetua once, booked', async () => {
    const page = await logIn('ada@example.org');
    await page.goto(`${base}/#/governance`);
    await page.getByRole('tab', { name: 'Public record' }).click();
    const table = page.getByTestId('reported-deals');
    await table.waitFor();
    const rows = await table.locator('tbody tr').count();
    expect(rows).toBe((await keel.database.db.selectFrom('reported_deals').select('id').execute()).length);
    expect(await table.locator('tr[data-stage="lead"]').count()).toBe(2); // Reflection AI, Valar Atomics
    const perpetua = table.locator('tr', { hasText: 'Perpetua Resources' });
    expect(await perpetua.count()).toBe(1);
    await expect(perpetua.locator('a[href="#/deals/perpetua-2025-equity"]').count()).resolves.toBe(1);
    await expect(perpetua.textContent()).resolves.toContain('$75,000,000.00');
    await expect(table.locator('tr', { hasText: 'Anthropic' }).textContent()).resolves.toContain(
      'undisclosed',
    );
    await page.screenshot({ path: join(SHOTS, 'public-record-admin.png'), fullPage: true });
    await page.close();
  });

  it("a council member sees the peers' public figures and only aggregates of the programme's own", async () => {
    const page = await logIn('cc@example.org');
    await page.waitForURL(/#\/council$/);
    const crowding = page.getByTestId('crowding');
    await crowding.waitFor();
    const minerals = await crowding.locator('[data-sub-area="critical-minerals"]').textContent();
    expect(minerals).toContain('$4,535,700,000.00');
    // One deal counts in critical minerals: fewer than k = 3, so the programme's figure is not shown.
    expect(minerals).toContain('fewer than 3 deals — not shown');
    expect(minerals).not.toContain('$75,000,000.00');
    const record = await page.getByTestId('public-record-summary').textContent();
    expect(record).toContain('is not shown to the public side');
    expect(await page.getByTestId('peer-awards').locator('tbody tr').count()).toBe(awardCount);
    const html = await page.content();
    expect(html).not.toContain('perpetua-2025-equity');
    const status = await page.evaluate(async () => (await fetch('/api/public-record/deals')).status);
    expect(status).toBe(403);
    await page.screenshot({ path: join(SHOTS, 'council-peers.png'), fullPage: true });
    await page.close();
  });

  it('a banker sees the unverified reports as public leads before screening, with their sources, outside the totals', async () => {
    const page = await logIn('bb@example.org');
    await page.goto(`${base}/#/pipeline`);
    const sourced = page.locator('[data-stage="sourced"]');
    const leads = sourced.getByTestId('public-leads');
    await leads.waitFor();
    // The stage counts come from a request of their own: wait for them before reading.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="count-sourced"]')?.textContent?.trim() !== '',
    );
    for (const company of ['Reflection AI', 'Valar Atomics']) {
      const card = leads.locator('[data-lead]', { hasText: company });
      expect(await card.count()).toBe(1);
      const text = await card.textContent();
      expect(text).toContain('unverified public lead');
      expect(text).toContain('own amount undisclosed');
      expect(await card.locator('a[href^="http"]').count()).toBeGreaterThan(0);
      // A lead is not a deal: no link to a deal page, no move.
      expect(await card.locator('a[href^="#/deals/"], select').count()).toBe(0);
    }
    await expect(leads.locator('[data-lead]', { hasText: 'Reflection AI' }).textContent()).resolves.toContain(
      'reported size $2.50B, not counted',
    );
    // No other stage shows them; the first stage's count and total are its deals' alone.
    expect(await page.locator('[data-lead]').count()).toBe(2);
    const atSourced = await keel.database.db
      .selectFrom('deals')
      .select(['amount_cents'])
      .where('stage', '=', 'sourced')
      .execute();
    await expect(page.getByTestId('count-sourced').textContent()).resolves.toBe(String(atSourced.length));
    const booked = atSourced.reduce((sum, d) => sum + BigInt(d.amount_cents), 0n);
    await expect(
      page.getByTestId('total-sourced').locator('[data-exact]').getAttribute('data-exact'),
    ).resolves.toBe(exactAmount(booked));
    await page.screenshot({ path: join(SHOTS, 'pipeline-public-leads.png'), fullPage: true });
    await page.close();
  });

  it('a research analyst finds the import page offering only the public record', async () => {
    const page = await logIn('ra@example.org');
    await page.getByRole('link', { name: 'Import & export' }).click();
    const kind = page.getByLabel('Kind');
    await kind.waitFor();
    const options = await kind
      .locator('option')
      .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
    expect(options).toEqual(['public-deals', 'peer-awards']);
    expect(await page.getByRole('heading', { name: 'Export', exact: true }).count()).toBe(0);
    await page.close();
  });
});
