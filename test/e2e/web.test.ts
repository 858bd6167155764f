/**
 * End to end in a real browser: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * against the real server on the embedded database. Three roles log in and see their own landing page; a
 * deal is dragged across the pipeline board; a CSV import is watched to the end; a council member cannot
 * reach a deal page, in the UI or through the API; admins add, re-role (four eyes) and disable a user and an
 * API token is made and revoked. Screenshots go to .test-results/screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToAgenda, castVote } from '../../src/app/committee.ts';
import { addMeeting, addRecommendation } from '../../src/app/governance/council.ts';
import { addPermit } from '../../src/app/governance/permits.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { addOrganisations } from '../../src/app/network/organisations.ts';
import { requestWallCrossing } from '../../src/app/wall-crossings.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import {
  addUsers,
  CHROMIUM,
  chartsRendered,
  haveChromium,
  launchChromium,
  PASSWORD,
  serve,
  logIn as signIn,
} from './harness.ts';

const SHOTS = join(import.meta.dirname, '..', '..', '.test-results', 'screenshots');

if (!haveChromium)
  process.stdout.write(`\n${CHROMIUM} not found: browser tests SKIPPED (apt-get install chromium)\n`);

describe.skipIf(!haveChromium)('web app in Chromium', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let profile: string;
  let movable: string;
  let secret: string;
  let munitions: string;
  let committeeDeal: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    [movable] = (await seedDeals(keel, {
      prefix: 'e2e-board',
      count: 1,
      stage: 'sourced',
      subAreaId: 'shipbuilding',
    })) as [string];
    [secret] = (await seedDeals(keel, {
      prefix: 'e2e-secretco',
      count: 1,
      instrument: 'direct_equity',
      subAreaId: 'space-launch',
    })) as [string];
    await recordLedgerEntry(keel, testAdmin, {
      clientKey: 'e2e-c',
      dealId: secret,
      kind: 'commitment',
      amount: cents(42_000_000_00n),
      effectiveOn: asIsoDate('2026-05-01'),
    });
    await keel.database.db
      .updateTable('deals')
      .set({ resilience_score: 42, expected_return: 0.08 })
      .where('id', '=', movable)
      .execute();
    await addUsers(keel, {
      ada: 'admin',
      ad2: 'admin',
      rc: 'risk_compliance',
      rc2: 'risk_compliance',
      bo: 'banker',
      pm: 'portfolio_manager',
      cc: 'council_member',
      ra: 'research_analyst',
      ic: 'investment_committee',
      ic2: 'investment_committee',
      ic3: 'investment_committee',
    });
    [munitions] = (await seedDeals(keel, {
      prefix: 'e2e-ammo',
      count: 1,
      subAreaId: 'munitions-missiles-hypersonics',
      amount: 80_000_000_00n,
    })) as [string];
    await recordLedgerEntry(keel, testAdmin, {
      clientKey: 'e2e-ammo-c',
      dealId: munitions,
      kind: 'commitment',
      amount: cents(50_000_000_00n),
      effectiveOn: asIsoDate('2026-05-02'),
    });
    await addOrganisations(keel, testAdmin, 'e2e-orgs', [
      {
        id: 'e2e-pension',
        name: 'Example Pension Fund',
        kind: 'fund',
        country: 'US',
        source: 'synthetic (e2e)',
      },
    ]);
    [committeeDeal] = (await seedDeals(keel, {
      prefix: 'e2e-ic',
      count: 1,
      stage: 'committee',
      subAreaId: 'robotics',
    })) as [string];
    await addToAgenda(keel, testAdmin, 'e2e-agenda', {
      dealIds: [committeeDeal],
      meetingOn: asIsoDate('2026-12-15'),
      source: 'manual',
    });
    // Place the munitions company in Autauga County, Alabama (01001), for the map.
    await keel.database.db
      .updateTable('companies')
      .set({ hq_state_fips: '01', hq_county_fips: '01001' })
      .where('id', '=', `${munitions}-co`)
      .execute();
    await keel.database.db
      .insertInto('facilities')
      .values({
        company_id: `${munitions}-co`,
        name: 'Example plant',
        kind: 'energetics plant',
        state_fips: '01',
        county_fips: '01001',
        jobs: 120,
        source: 'synthetic (e2e)',
      })
      .execute();
    const { result: meeting } = await addMeeting(keel, testAdmin, 'e2e-council', {
      heldOn: asIsoDate('2026-12-10'),
      title: 'Fourth-quarter council',
      items: ['Pacing of the programme'],
    });
    await addRecommendation(keel, testAdmin, 'e2e-rec', {
      meetingId: meeting.id,
      text: 'Publish permitting review times',
      owner: 'head of policy',
    });
    await addPermit(keel, testAdmin, 'e2e-permit', {
      dealId: munitions,
      kind: 'air_permit',
      agency: 'ADEM',
      jurisdiction: 'state',
      stage: 'applied',
      on: asIsoDate('2026-02-01'),
    });
    ({ app, base } = await serve(keel));
    profile = mkdtempSync(join(tmpdir(), 'keel-chromium-'));
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  const logIn = (email: string) => signIn(browser, base, email);

  it('an admin lands on the dashboard and its headline equals the ledger', async () => {
    const page = await logIn('ada@example.org');
    await page.waitForURL(/#\/dashboard$/);
    await page
      .getByRole('heading', { name: 'Security and Resiliency Initiative (reference case)' })
      .waitFor();
    await chartsRendered(page);
    // Compact on the page, the exact figure on hover (issue 15: numbers people can read).
    const counted = page.locator('[data-kpi="Counted to date"] .kpi-value .amount');
    await expect(counted.textContent()).resolves.toBe('$92.00M');
    await expect(counted.getAttribute('title')).resolves.toBe('$92,000,000.00');
    await expect(
      page.locator('[data-cap="equity-vc"] .amount[title="$9,958,000,000.00"]').textContent(),
    ).resolves.toBe('$9.95B'); // headroom (the equity deal only: the munitions deal is a term loan)
    expect(await page.locator('[data-chart="plan-vs-counted"] svg').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'dashboard-admin.png'), fullPage: true });
    await page.close();
  });

  it('a banker drags a deal from sourced to screening on the pipeline board', async () => {
    const page = await logIn('bo@example.org');
    await page.goto(`${base}/#/pipeline`);
    await page.locator(`[data-deal="${movable}"]`).waitFor();
    // The count comes from the server's stage totals, a request of its own that may land after the cards.
    await page.getByTestId('count-sourced').filter({ hasText: /^1$/ }).waitFor();
    await page.dragAndDrop(`[data-deal="${movable}"]`, '[data-stage="screening"]');
    await page.locator(`[data-stage="screening"] [data-deal="${movable}"]`).waitFor();
    await page.getByRole('status').filter({ hasText: 'sourced → screening' }).waitFor();
    // The column totals come from the server, reloaded after the move.
    await page.getByTestId('count-sourced').filter({ hasText: /^0$/ }).waitFor();
    await page
      .getByTestId('total-screening')
      .filter({ hasText: /^\$1\.00M$/ })
      .waitFor();
    // Skipping the committee is refused by the use case, and the board says why.
    await page.dragAndDrop(`[data-deal="${movable}"]`, '[data-stage="approved"]');
    await page.getByRole('status').filter({ hasText: 'cannot move from screening to approved' }).waitFor();
    // Each desk's pipeline: the equity board does not show the term loan.
    await page.getByRole('tab', { name: 'Direct equity & venture' }).click();
    // Each column loads its page from the server after the tab changes: wait for the board, do not read it once.
    await page.locator(`[data-deal="${secret}"]`).waitFor();
    await page.locator(`[data-deal="${movable}"]`).waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'All deals' }).click();
    await page.screenshot({ path: join(SHOTS, 'pipeline-banker.png'), fullPage: true });
    const deal = await keel.database.db
      .selectFrom('deals')
      .select('stage')
      .where('id', '=', movable)
      .executeTakeFirstOrThrow();
    expect(deal.stage).toBe('screening');
    await page.close();
  });

  it('a portfolio manager imports a CSV and watches it finish', async () => {
    const csv = join(profile, 'companies.csv');
    writeFileSync(
      csv,
      `id,name,us_based,source\n${Array.from({ length: 2500 }, (_, i) => `e2e-import-${i},Imported ${i},yes,synthetic (e2e)`).join('\n')}\n`,
    );
    const page = await logIn('pm@example.org');
    // The bell asks for its count on every page change: the one this page asks for is the count before.
    const counted = page.waitForResponse((r) => r.url().endsWith('/api/notifications/unread-count'));
    await page.goto(`${base}/#/imports`);
    await counted;
    await page.getByLabel('Kind').selectOption('companies');
    await page.getByLabel('File').setInputFiles(csv);
    const unread = async () =>
      Number((await page.getByTestId('bell').getAttribute('aria-label'))?.match(/\d+/)?.[0] ?? 0);
    const before = await unread();
    await page.getByRole('button', { name: 'Import' }).click();
    await page.locator('.job[data-status="done"]').waitFor({ timeout: 60_000 });
    await expect(page.locator('.job').textContent()).resolves.toContain('Imported 2500 rows.');
    // The bell counts the import's notification when the job ends, not at its next 30-second poll.
    await expect.poll(unread, { timeout: 5_000 }).toBe(before + 1);
    await page.screenshot({ path: join(SHOTS, 'import-portfolio-manager.png'), fullPage: true });
    const { count } = await keel.database.db
      .selectFrom('companies')
      .select((eb) => eb.fn.countAll<bigint>().as('count'))
      .where('id', 'like', 'e2e-import-%')
      .executeTakeFirstOrThrow();
    expect(count).toBe(2500n);
    await page.close();
  });

  it('a portfolio manager sees pacing and projection bands, and runs the optimiser', async () => {
    const page = await logIn('pm@example.org');
    await page.goto(`${base}/#/allocation`);
    await page.locator('[data-target="total"] [data-status="behind"]').waitFor();
    await page.locator('[data-chart="pacing-path"]').waitFor();
    await page.locator('[data-chart="nav-projection"]').waitFor();
    await chartsRendered(page);
    await page.getByLabel('Year', { exact: true }).fill('2027');
    await page.getByRole('button', { name: 'Run optimiser' }).click();
    await page.getByTestId('optimiser-result').waitFor();
    await expect(page.getByTestId('optimiser-result').textContent()).resolves.toContain(movable);
    await page.getByLabel('Committee meeting').fill('2027-01-20');
    await page.getByRole('button', { name: 'Send selection to the committee agenda' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'put on the committee agenda for 2027-01-20' })
      .waitFor();
    const agenda = await keel.database.db
      .selectFrom('committee_agenda')
      .select(['deal_id', 'source'])
      .where('meeting_on', '=', '2027-01-20')
      .execute();
    expect(agenda).toEqual([{ deal_id: movable, source: 'optimiser' }]);
    await chartsRendered(page);
    await page.screenshot({ path: join(SHOTS, 'allocation-portfolio-manager.png'), fullPage: true });
    await page.close();
  });

  it('a council member sees aggregates, and cannot reach a deal page in the UI or the API', async () => {
    const page = await logIn('cc@example.org');
    await page.waitForURL(/#\/council$/);
    await page.getByRole('heading', { name: 'Council portal' }).waitFor();
    await chartsRendered(page);
    // Two deals are fewer than k = 3: the council sees the total suppressed, not their $92M.
    await expect(page.locator('[data-kpi="Counted to date"] .kpi-value').textContent()).resolves.toBe(
      'fewer than 3 deals — not shown',
    );
    expect(await page.getByRole('link', { name: 'Pipeline' }).count()).toBe(0);
    // Names, not keys (a new user's pass found "written_off" and raw sub-area keys on this page).
    expect(await page.locator('main').textContent()).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
    await page.screenshot({ path: join(SHOTS, 'council-portal.png'), fullPage: true });

    await page.goto(`${base}/#/deals/${secret}`);
    await page.getByText('Not available to your role.').waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain('secretco');
    const status = await page.evaluate(async (id) => (await fetch(`/api/deals/${id}`)).status, secret);
    expect(status).toBe(403);
    const body = await page.evaluate(async () => (await fetch('/api/programme/aggregates')).text());
    expect(body.toLowerCase()).not.toContain('secretco');
    await page.screenshot({ path: join(SHOTS, 'council-denied-deal.png'), fullPage: true });
    await page.close();
  });

  it('a research analyst explores the graph, sorts and exports criticality, and runs a scenario without deal data', async () => {
    const page = await logIn('ra@example.org');
    await page.goto(`${base}/#/research`);
    await page.locator('[data-chart="research-graph"]').waitFor();
    await chartsRendered(page);
    await page.getByLabel('Find a node').selectOption('gallium');
    await expect(page.getByTestId('node-source').textContent()).resolves.toContain(
      'Mineral Commodity Summaries 2025 Data Release',
    );
    // A figure of the release shows, on click, the file, row and column it was read from.
    await page.getByTestId('material-release').getByRole('button', { name: '100' }).last().click();
    await expect(page.getByTestId('figure-source').textContent()).resolves.toMatch(
      /US net import reliance 2024: .*mcs2025-galli_salient\.csv row 6, column “NIR_pct”/,
    );
    // The EU's published assessments beside Keel's EU-method figure, with why they differ.
    await expect(page.getByTestId('eu-assessments').locator('tr').last().textContent()).resolves.toBe(
      '20233.93.7',
    );
    await expect(page.getByTestId('material-release').textContent()).resolves.toContain(
      "Keel's EU-method SR",
    );
    // Keel's EU-method terms on the annex's own shares beside the published SR, and the share trend.
    await expect(page.getByTestId('eu-computed').textContent()).resolves.toContain('published SR 3.9');
    await expect(page.getByTestId('share-trend').textContent()).resolves.toContain('2024e');
    await page.screenshot({ path: join(SHOTS, 'research-graph-analyst.png'), fullPage: true });
    await page.getByRole('tab', { name: 'Criticality' }).click();
    // Each material's net import reliance 2020–2024, as printed, beside its scores.
    await expect(
      page.locator('[data-node="titanium"] [data-nir-trend]').getAttribute('data-nir-trend'),
    ).resolves.toBe('>50 >95 >95 >95 >95');
    // The leading producer's share in the release's two years, the US's where USGS prints it.
    await expect(
      page.locator('[data-node="titanium"] [data-share-trend]').getAttribute('data-share-trend'),
    ).resolves.toMatch(/^2023: .*%, US withheld; 2024e: .*%, US withheld$/);
    await page.getByRole('button', { name: 'HHI' }).click();
    await expect(
      page.locator('[data-testid="criticality-table"] tbody tr').first().getAttribute('data-node'),
    ).resolves.toBe('gallium');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const path = join(profile, 'criticality.csv');
    await download.saveAs(path);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe(
      'id,kind,hhi,concern,nir,producers,usgs,euSr,euEi,inherited,from,leader,leaderShare2023,leaderShare2024e,usShare2023,usShare2024e',
    );
    // The EU economic importance weighs end uses by the value added of a chosen year (2015 by default).
    await expect(page.getByTestId('value-added-source').textContent()).resolves.toContain('sheet 2015');
    await page.getByLabel('Year of the value added weighing the EU economic importance').selectOption('1997');
    await expect.poll(() => page.getByTestId('value-added-source').textContent()).toContain('sheet 1997');
    await page.getByRole('tab', { name: 'Scenarios' }).click();
    await page.locator('[data-run="antimony-export-ban"]').click();
    await page.getByTestId('run-antimony-export-ban').waitFor();
    await expect(page.getByTestId('run-antimony-export-ban').textContent()).resolves.toContain(
      'not shown to your role',
    );
    expect(await page.content()).not.toContain(munitions);
    await page.close();
  });

  it('an admin runs the antimony scenario and sees the committed munitions deal at risk', async () => {
    const page = await logIn('ada@example.org');
    await page.goto(`${base}/#/research`);
    await page.getByRole('tab', { name: 'Scenarios' }).click();
    await page.locator('[data-run="antimony-export-ban"]').click();
    await page.getByTestId('capital-at-risk').waitFor();
    const run = await keel.database.db
      .selectFrom('research_scenario_runs')
      .select('result')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const atRisk = BigInt(
      (run.result as { capitalAtRiskCents: { $bigint: string } }).capitalAtRiskCents.$bigint,
    );
    expect(atRisk).toBeGreaterThan(0n);
    const { formatDollars } = await import('../../src/domain/money.ts');
    // Compact on the page, exact on hover.
    await expect(
      page.getByTestId('capital-at-risk').locator('.amount').first().getAttribute('title'),
    ).resolves.toBe(formatDollars(atRisk));
    await expect(page.getByTestId('run-antimony-export-ban').textContent()).resolves.toContain(munitions);
    await page.locator('[data-run="gallium-germanium-export-ban"]').click();
    await page.getByTestId('run-gallium-germanium-export-ban').waitFor();
    await page.getByRole('button', { name: /Compare the 2 runs/ }).click();
    await page.getByTestId('comparison').waitFor();
    await chartsRendered(page);
    await page.screenshot({ path: join(SHOTS, 'research-scenarios-admin.png'), fullPage: true });
    await page.close();
  });

  it('an admin builds a capital stack: an arranged syndicate part, once committed, raises the programme total by its amount', async () => {
    const page = await logIn('ada@example.org');
    await page.goto(`${base}/#/deals/${munitions}`);
    await page.getByTestId('capital-stack').waitFor();
    await expect(page.getByTestId('stack-total').textContent()).resolves.toBe('$50.00M');
    await page.getByLabel('Party', { exact: true }).selectOption('e2e-pension');
    await page.getByLabel('Role').selectOption('syndicate_member');
    await page.getByLabel('Instrument').selectOption('syndicated_loan');
    await page.getByLabel('Amount (USD)').fill('25000000.00');
    await page.getByRole('button', { name: 'Add participant' }).click();
    await page.locator('[data-participation="e2e-pension"] [data-status="proposed"]').waitFor();
    await page.locator('[data-participation="e2e-pension"]').getByRole('button', { name: 'Commit' }).click();
    await page.locator('[data-participation="e2e-pension"] [data-status="committed"]').waitFor();
    await expect(page.getByTestId('stack-facilitated').textContent()).resolves.toBe('$25.00M');
    await expect(page.getByTestId('stack-total').textContent()).resolves.toBe('$75.00M');
    await page.getByLabel('Gap to fill (USD)').fill('10000000');
    await page.getByRole('button', { name: 'Rank co-investors' }).click();
    await page.locator('[data-candidate="e2e-pension"]').waitFor();
    // At 1280 px each total keeps its label over it (a grid of loose dt and dd cells had wrapped them apart).
    await page.setViewportSize({ width: 1280, height: 900 });
    const figures = await page
      .locator('[data-testid="capital-stack"] dl.figures > div')
      .evaluateAll((pairs) =>
        pairs.map((pair) => {
          const [dt, dd] = [pair.querySelector('dt')!, pair.querySelector('dd')!].map((e) =>
            e.getBoundingClientRect(),
          ) as [DOMRect, DOMRect];
          return {
            below: dd.top >= dt.bottom - 1,
            aligned: Math.abs(dd.left - dt.left) < 2,
            oneLine: dd.height < 40,
          };
        }),
      );
    expect(figures).toHaveLength(5);
    for (const figure of figures) expect(figure).toEqual({ below: true, aligned: true, oneLine: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: join(SHOTS, 'capital-stack-admin.png'), fullPage: true });
    await page.goto(`${base}/#/dashboard`);
    await chartsRendered(page);
    await expect(page.locator('[data-kpi="Counted to date"] .amount').getAttribute('title')).resolves.toBe(
      '$117,000,000.00',
    );
    await page.goto(`${base}/#/network`);
    const newOrganisation = page.locator('form').filter({ hasText: 'Add organisation' });
    await newOrganisation.getByLabel('Id').fill('e2e-arranger');
    await newOrganisation.getByLabel('Name', { exact: true }).fill('Example Arranger Bank');
    await newOrganisation.getByLabel('Kind').selectOption('bank');
    await newOrganisation.getByLabel('Country').fill('GB');
    await newOrganisation.getByLabel('Source').fill('synthetic (e2e)');
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await page.getByRole('status').filter({ hasText: 'Organisation saved' }).waitFor();
    await page.getByLabel('From', { exact: true }).selectOption('e2e-pension');
    await page.getByLabel('Relationship').selectOption('client_of');
    // The picker lists twenty organisations at most: a word of the name finds the new one.
    await page.getByLabel('Find to by name').fill('arranger');
    await page.locator('select[name="to"] option[value="e2e-arranger"]').waitFor({ state: 'attached' });
    await page.locator('select[name="to"]').selectOption('e2e-arranger');
    await page
      .locator('form')
      .filter({ hasText: 'Add relationship' })
      .getByLabel('Source')
      .fill('synthetic (e2e)');
    await page.getByRole('button', { name: 'Add relationship' }).click();
    await page.getByRole('status').filter({ hasText: 'Relationship saved' }).waitFor();
    // The organisation index: the new bank is found by a word of its name; the pension fund's row opens its network.
    await page.getByTestId('organisations').locator('[data-organisation="e2e-arranger"]').waitFor();
    await page.locator('[data-organisation="e2e-pension"]').getByRole('button').click();
    await page.getByText('client of (corporate banking) → Example Arranger Bank').waitFor();
    expect(page.url()).toContain('org=e2e-pension');
    await page.locator('[data-chart="network-neighbourhood"]').waitFor();
    await chartsRendered(page);
    await expect(page.getByTestId('concentration').textContent()).resolves.toContain('HHI 10,000');
    await page.screenshot({ path: join(SHOTS, 'network-admin.png'), fullPage: true });
    await page.close();
  });

  it('committee members vote in the browser, and the decision they record moves the deal', async () => {
    // Two members vote through the API; the third votes and records in the browser (quorum 3).
    for (const id of ['ic2', 'ic3'])
      await castVote(keel, { id, role: 'investment_committee' }, `e2e-vote-${id}`, {
        dealId: committeeDeal,
        vote: 'for',
      });
    const page = await logIn('ic@example.org');
    await page.goto(`${base}/#/governance`);
    await page.locator(`[data-agenda-deal="${committeeDeal}"]`).waitFor();
    const item = page.locator(`[data-agenda-deal="${committeeDeal}"]`);
    await item.getByRole('button', { name: 'Vote for' }).click();
    await page.getByRole('status').filter({ hasText: 'Your vote (for)' }).waitFor();
    await item.getByText('You voted for.').waitFor();
    await item.getByRole('button', { name: 'Record decision' }).click();
    await page.getByRole('status').filter({ hasText: 'Decision recorded' }).waitFor();
    // Decided: the item leaves the agenda (the decision is on the deal's page).
    await page.locator(`[data-agenda-deal="${committeeDeal}"]`).waitFor({ state: 'detached' });
    await page.screenshot({ path: join(SHOTS, 'committee-ic.png'), fullPage: true });
    const deal = await keel.database.db
      .selectFrom('deals')
      .select('stage')
      .where('id', '=', committeeDeal)
      .executeTakeFirstOrThrow();
    expect(deal.stage).toBe('approved');
    await page.close();
  });

  it('the map shows deployed capital by county, with its clusters', async () => {
    const page = await logIn('ada@example.org');
    await page.goto(`${base}/#/governance`);
    await page.getByRole('tab', { name: 'Map' }).click();
    await page.locator('[data-chart="us-map"]').waitFor();
    await chartsRendered(page);
    expect(await page.locator('[data-chart="us-map"] svg path').count()).toBeGreaterThan(3000); // ~3,200 counties
    // $50M of the bank's own term loan plus the $25M syndicate part committed in the capital-stack test.
    await expect(page.locator('[data-county="01001"]').textContent()).resolves.toContain('$75.00M');
    await expect(page.locator('[data-county="01001"] td').last().textContent()).resolves.toBe('120'); // jobs
    await page.screenshot({ path: join(SHOTS, 'map-admin.png'), fullPage: true });
    await page.getByLabel('Instrument').selectOption('direct_equity');
    await page.locator('[data-county="01001"]').waitFor({ state: 'detached' });
    await page.close();
  });

  it('the council portal shows meetings, recommendations and permitting bottlenecks, and no deal', async () => {
    const page = await logIn('cc@example.org');
    await page.goto(`${base}/#/council`);
    await page.getByTestId('council-meetings').getByText('Fourth-quarter council').waitFor();
    await expect(page.getByTestId('council-meetings').textContent()).resolves.toContain(
      'Publish permitting review times',
    );
    // One permitted deal is fewer than k = 3: its agency row is merged and its capital not shown.
    const permitting = await page.getByTestId('council-permitting').textContent();
    expect(permitting).toContain('fewer than 3 deals — not shown');
    expect(permitting).not.toContain('ADEM');
    const html = await page.content();
    for (const id of [munitions, secret, committeeDeal]) expect(html).not.toContain(id);
    await page.screenshot({ path: join(SHOTS, 'council-portal-meetings.png'), fullPage: true });
    await page.close();
  });

  it('admins manage accounts in the browser: add a user, a role change with four eyes, disable, an API token', async () => {
    const ada = await logIn('ada@example.org');
    ada.on('dialog', (dialog) => dialog.accept()); // "Disable …?", "Enable …?" and "Revoke …?" are confirmed
    await ada.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    const add = ada.getByRole('form', { name: 'Add user' });
    await add.getByLabel('User id').fill('newbie');
    await add.getByLabel('Email').fill('newbie@example.org');
    await add.getByLabel('Name').fill('New Bie');
    await add.getByLabel('Role').selectOption('banker');
    // The server's password rule is shown as its refusal, in its words.
    await add.getByLabel('Password').fill('aaaaaaaaaaaa');
    await add.getByRole('button', { name: 'Add user' }).click();
    await ada.locator('[data-refusal]').filter({ hasText: 'at least 15 characters' }).waitFor();
    await add.getByLabel('Password').fill(PASSWORD);
    await add.getByRole('button', { name: 'Add user' }).click();
    await ada.getByRole('status').filter({ hasText: 'User added.' }).waitFor();
    await ada.locator('[data-status-of="newbie"]').filter({ hasText: 'active' }).waitFor();

    // ada asks for a role change; she is not offered Approve on her own request (four eyes).
    const row = ada.locator('[data-user="newbie"]');
    await row.getByLabel('New role for newbie').selectOption('portfolio_manager');
    await row.getByLabel('Reason for newbie').fill('moves to the portfolio desk in January');
    await row.getByRole('button', { name: 'Request role change' }).click();
    await ada.getByRole('status').filter({ hasText: 'Role change for newbie requested' }).waitFor();
    const request = ada.locator('[data-role-change-of="newbie"]');
    await request.filter({ hasText: 'requested' }).waitFor();
    await request.getByText('another admin must approve').waitFor();
    expect(await request.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await request.getByRole('button', { name: 'Deny' }).count()).toBe(1);

    // A second admin approves it, and the role changes.
    const ad2 = await logIn('ad2@example.org');
    await ad2.goto(`${base}/#/admin`);
    await ad2.locator('[data-role-change-of="newbie"]').getByRole('button', { name: 'Approve' }).click();
    await ad2.getByRole('status').filter({ hasText: 'approved' }).waitFor();
    await ad2.locator('[data-role-of="newbie"]').filter({ hasText: 'portfolio manager' }).waitFor();
    await ad2.locator('[data-role-change-of="newbie"]').filter({ hasText: 'approved by ad2' }).waitFor();
    await ad2.close();

    // ada disables the user (after confirming).
    await ada.reload();
    await ada.locator('[data-role-of="newbie"]').filter({ hasText: 'portfolio manager' }).waitFor();
    // At 390 px each user is a card: the actions are on screen, not past the edge of a scrolled table.
    const wide = ada.viewportSize()!;
    await ada.setViewportSize({ width: 390, height: 844 });
    const actions = await ada
      .locator('[data-user="newbie"]')
      .getByRole('button', { name: 'Disable' })
      .boundingBox();
    expect(actions!.x + actions!.width).toBeLessThanOrEqual(390);
    await ada.screenshot({ path: join(SHOTS, 'admin-users-390.png'), fullPage: true });
    await ada.setViewportSize(wide);
    await ada.locator('[data-user="newbie"]').getByRole('button', { name: 'Disable' }).click();
    await ada.getByRole('status').filter({ hasText: 'newbie is disabled' }).waitFor();
    await ada.locator('[data-status-of="newbie"]').filter({ hasText: 'disabled' }).waitFor();
    await ada.screenshot({ path: join(SHOTS, 'admin-users.png'), fullPage: true });
    // A later refusal (the same id again) replaces that message: one outcome on screen at a time.
    await add.getByLabel('User id').fill('newbie');
    await add.getByLabel('Email').fill('newbie-again@example.org');
    await add.getByLabel('Name').fill('Newbie Again');
    await add.getByLabel('Password').fill(PASSWORD);
    await add.getByRole('button', { name: 'Add user' }).click();
    await ada.locator('[data-refusal]').first().waitFor();
    expect(await ada.getByRole('status').filter({ hasText: 'newbie is disabled' }).count()).toBe(0);
    const newbie = await keel.database.db
      .selectFrom('users')
      .select(['role', 'disabled'])
      .where('id', '=', 'newbie')
      .executeTakeFirstOrThrow();
    expect(newbie).toEqual({ role: 'portfolio_manager', disabled: true });
    // Back from leave: enabled again, in the role they had.
    await ada.locator('[data-user="newbie"]').getByRole('button', { name: 'Enable' }).click();
    await ada
      .getByRole('status')
      .filter({ hasText: 'newbie is enabled again, as portfolio manager' })
      .waitFor();
    await ada.locator('[data-status-of="newbie"]').filter({ hasText: 'active' }).waitFor();

    // An API token: made, its secret shown once and working, then revoked.
    await ada.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
    const form = ada.getByRole('form', { name: 'New API token' });
    await form.getByLabel('Token name').fill('e2e script');
    await form.getByLabel('Scope').selectOption('read');
    await form.getByLabel('Expires in days').fill('30');
    await form.getByRole('button', { name: 'Create token' }).click();
    const secret = (await ada.getByTestId('new-token').textContent()) ?? '';
    expect(secret).toMatch(/^keel_/);
    const id =
      (await ada.locator('[data-token]').filter({ hasText: 'e2e script' }).getAttribute('data-token')) ?? '';
    expect(await ada.locator(`[data-token="${id}"]`).textContent()).not.toContain(secret);
    const asToken = () => fetch(`${base}/api/tokens`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await asToken()).status).toBe(200);
    await ada.locator(`[data-token="${id}"]`).getByRole('button', { name: 'Revoke' }).click();
    await ada.locator(`[data-token-status="${id}"]`).filter({ hasText: 'revoked' }).waitFor();
    expect(await ada.getByTestId('new-token').count()).toBe(0); // its secret is no longer shown
    await ada.screenshot({ path: join(SHOTS, 'api-tokens-admin.png'), fullPage: true });
    expect((await asToken()).status).toBe(401);
    await ada.close();
  });

  it('a compliance officer is not offered Approve on a wall-crossing they asked for; another officer is', async () => {
    const { result } = await requestWallCrossing(
      keel,
      { id: 'rc', role: 'risk_compliance' },
      'e2e-crossing',
      {
        userId: 'ra',
        dealId: secret,
        reason: 'the analyst reviews the launch market with the deal team',
        days: 7,
      },
    );
    const rc = await logIn('rc@example.org');
    await rc.goto(`${base}/#/admin`);
    const own = rc.locator(`[data-crossing="${result.id}"]`);
    await own.getByText('another officer must approve').waitFor();
    expect(await own.getByRole('button', { name: /Approve/ }).count()).toBe(0);
    expect(await own.getByRole('button', { name: 'Deny' }).count()).toBe(1);
    await rc.close();
    const rc2 = await logIn('rc2@example.org');
    await rc2.goto(`${base}/#/admin`);
    const other = rc2.locator(`[data-crossing="${result.id}"]`);
    await other.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    await other.getByRole('button', { name: 'Deny' }).click(); // the analyst stays on the public side
    await other.filter({ hasText: 'denied' }).waitFor();
    await rc2.close();
  });
});
