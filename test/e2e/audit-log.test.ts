/**
 * The audit log in the browser (issue 15, item 4): an auditor filters it by action prefix and by day, the
 * filters live in the URL (Back returns), and the export takes the same filters; they verify the chain from
 * the page, and see a row an attacker edited named. A banker is not offered it. Through the UI only (the
 * attacker's edit is SQL, as an attacker's would be).
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/app/auth.ts';
import { addCompanies } from '../../src/app/companies.ts';
import { openDeals } from '../../src/app/deals.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { asAttacker } from '../integration/tamper.ts';
import { testAdmin } from '../principals.ts';
import {
  addUsers,
  haveChromium,
  horizontalOverflow,
  launchChromium,
  logIn,
  PASSWORD,
  serve,
} from './harness.ts';

describe.skipIf(!haveChromium)('the audit log in the browser', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    await addCompanies(keel, testAdmin, 'audit-co', [
      {
        id: 'audit-co',
        name: 'Audited Alloys',
        usBased: true,
        existingClient: false,
        foreignControl: false,
        source: 'synthetic (e2e)',
        synthetic: true,
        facilities: [],
      },
    ]);
    await openDeals(keel, testAdmin, 'audit-deals', [
      {
        id: 'audit-deal',
        name: 'Alloy plant',
        companyId: 'audit-co',
        subAreaId: 'critical-minerals',
        instrument: 'term_loan',
        amount: cents(5_000_000_00n),
        // Decided outside Keel (an import's stage): it takes a commitment, whose row has an amount to read.
        stage: 'closed',
        historicalDecisionRef: 'IC minute 2026-01 (synthetic, e2e)',
        classification: 'incremental',
        openedOn: asIsoDate('2026-01-15'),
        team: [],
        source: 'synthetic (e2e)',
        synthetic: true,
      },
    ]);
    await recordLedgerEntry(keel, testAdmin, {
      clientKey: 'audit-commitment',
      dealId: 'audit-deal',
      kind: 'commitment',
      amount: cents(1_250_000_00n),
      effectiveOn: asIsoDate('2026-02-01'),
    });
    await addUsers(keel, { au: 'auditor', bo: 'banker', rc: 'risk_compliance' });
    await addUser(keel, testAdmin, {
      id: 'gh',
      email: 'grace@example.org',
      name: 'Grace Hopper',
      role: 'portfolio_manager',
      password: PASSWORD,
    });
    ({ app, base } = await serve(keel));
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await keel?.close();
  });

  it('an auditor filters the log by action and day, Back returns, and the export takes the filters', async () => {
    const page = await logIn(browser, base, 'au@example.org');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByTestId('audit-count').waitFor();
    const everything = (await page.getByTestId('audit-count').textContent()) ?? '';

    await page.getByLabel('Action').fill('deal.');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=deal\./);
    await page
      .getByTestId('audit-count')
      .filter({ hasText: /^1 row;/ })
      .waitFor();
    const actions = await page
      .locator('[data-testid="audit-log"] tbody tr td:nth-child(4)')
      .allTextContents();
    expect(actions).toEqual(['deal.open']);
    // The subject by its name, its id on hover.
    const subject = page.locator('[data-testid="audit-log"] tbody tr td:nth-child(5)');
    await expect(subject.textContent()).resolves.toBe('Alloy plant');
    await expect(subject.getAttribute('title')).resolves.toBe('deal:audit-deal');
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toBe('/api/audit/log.csv?action=deal.');

    // A ledger row's details read as fields, the amount in dollars with its cents; the JSON as recorded is a
    // click away.
    await page.getByLabel('Action').fill('ledger.');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page
      .getByTestId('audit-count')
      .filter({ hasText: /^1 row;/ })
      .waitFor();
    const row = page.locator('[data-testid="audit-log"] tbody tr').first();
    await row.getByText('show', { exact: true }).click();
    await row
      .locator('dd')
      .filter({ hasText: /^\$1,250,000\.00 \(125,000,000 cents\)$/ })
      .first()
      .waitFor();
    await row.getByText('as recorded (JSON)').waitFor();
    // Found by a new user's pass: the row's long hex tags squeezed the other columns to a letter each.
    await row.getByText('as recorded (JSON)').click();
    const when = await row.locator('td[data-label="When"]').boundingBox();
    expect(when!.width).toBeGreaterThan(120);
    // At 390 px each row is a card, and nothing runs past the screen's edge.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await horizontalOverflow(page)).toBe(0);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goBack();
    await page
      .getByTestId('audit-count')
      .filter({ hasText: /^1 row;/ })
      .waitFor();
    await expect(page.getByLabel('Action').inputValue()).resolves.toBe('deal.');

    // A day long before the programme: nothing, and the page says what to do.
    await page.getByLabel('From', { exact: true }).fill('2001-01-01');
    await page.getByLabel('To', { exact: true }).fill('2001-01-31');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No audit row matches these filters').waitFor();

    await page.goBack();
    await page
      .getByTestId('audit-count')
      .filter({ hasText: /^1 row;/ })
      .waitFor();
    // The boxes follow the URL back: the dates typed for the later view are gone with it.
    await expect(page.getByLabel('From', { exact: true }).inputValue()).resolves.toBe('');
    await expect(page.getByLabel('Action').inputValue()).resolves.toBe('deal.');
    await page.goBack();
    await page.getByTestId('audit-count').filter({ hasText: everything }).waitFor();
    await expect(page.getByLabel('Action').inputValue()).resolves.toBe('');
    await page.close();
  });

  it("an auditor finds a person's actions by a word of their name, and reads the name, not the id", async () => {
    await (await logIn(browser, base, 'grace@example.org')).close();
    const page = await logIn(browser, base, 'au@example.org');
    await page.goto(`${base}/#/audit`);
    await page.getByLabel('Actor').fill('hopper');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/actor=hopper/);
    await page
      .getByTestId('audit-count')
      .filter({ hasText: /^\d+ rows?;/ })
      .waitFor();
    const actors = await page
      .locator('[data-testid="audit-log"] tbody tr td:nth-child(3) > span[title]')
      .allTextContents();
    expect(actors.length).toBeGreaterThan(0);
    expect(new Set(actors)).toEqual(new Set(['Grace Hopper']));
    // The page says whom the words stood for.
    await expect(page.getByTestId('audit-actors').textContent()).resolves.toBe(
      'Actor “hopper” is Grace Hopper.',
    );
    await page.close();
  });

  it("a banker is not offered the audit log, and reads the deal's and the company's activity", async () => {
    const page = await logIn(browser, base, 'bo@example.org');
    await expect(page.getByRole('link', { name: 'Audit log' }).count()).resolves.toBe(0);
    await page.goto(`${base}/#/deals/audit-deal`);
    await page.getByTestId('activity').filter({ hasText: 'opened the deal' }).waitFor();
    await page.goto(`${base}/#/companies/audit-co`);
    await page.getByTestId('activity').filter({ hasText: 'added the company' }).waitFor();
    await expect(page.getByTestId('activity').textContent()).resolves.toContain('opened the deal');
    await page.close();
  });

  it('an auditor verifies the chain, compliance signs a checkpoint, and after an attacker edits a row the page names it and nobody can sign over it', async () => {
    const page = await logIn(browser, base, 'au@example.org');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('button', { name: 'Verify the audit chain' }).click();
    const verdict = page.getByTestId('audit-verdict');
    await verdict.filter({ hasText: /^Chain intact: \d+ rows/ }).waitFor();
    await expect(verdict.textContent()).resolves.toMatch(
      /cap usage and deal balances agree\. No signed checkpoint yet/,
    );
    // An auditor checks; signing is for an admin or compliance.
    expect(await page.getByRole('button', { name: 'Sign a checkpoint' }).count()).toBe(0);

    const rc = await logIn(browser, base, 'rc@example.org');
    await rc.goto(`${base}/#/audit`);
    const before = /^([\d,]+) rows?/.exec((await rc.getByTestId('audit-count').textContent()) ?? '')![1]!;
    await rc.getByRole('button', { name: 'Sign a checkpoint' }).click();
    // The signing is an audited write: the count below follows at once, without a reload.
    await rc
      .getByTestId('audit-count')
      .filter({ hasText: new RegExp(`^${Number(before.replaceAll(',', '')) + 1} rows`) })
      .waitFor();
    const signed = rc.getByTestId('checkpoint-signed');
    await signed.filter({ hasText: /^Checkpoint signed at row \d+/ }).waitFor();
    const row = /row (\d+)/.exec((await signed.textContent()) ?? '')![1]!;
    const [download] = await Promise.all([
      rc.waitForEvent('download'),
      signed.getByRole('link', { name: 'Download the checkpoint' }).click(),
    ]);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(file).toMatchObject({ kind: 'keel-audit-checkpoint', version: 1, seq: row });
    await page.getByRole('button', { name: 'Verify the audit chain' }).click();
    await verdict.filter({ hasText: `Checked against the checkpoint signed` }).waitFor();
    await expect(verdict.textContent()).resolves.toContain(`at row ${row}.`);
    // The attacker (SQL with the triggers off, not a user of the app) moves the deal's opening to another deal.
    const edited = await keel.database.db
      .selectFrom('audit_log')
      .select('seq')
      .where('body', 'like', '%"deal:audit-deal"%')
      .executeTakeFirstOrThrow();
    await asAttacker(keel.database.db, (tx) =>
      sql`UPDATE audit_log SET body = replace(body, 'deal:audit-deal', 'deal:other-deal') WHERE seq = ${edited.seq}`.execute(
        tx,
      ),
    );
    await page.getByRole('button', { name: 'Verify the audit chain' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: `Tampering found in audit_log, row ${edited.seq}:` })
      .waitFor();
    // A signature over the tampered chain would vouch for the tampering: refused, in its own words.
    await rc.getByRole('button', { name: 'Sign a checkpoint' }).click();
    await rc.getByRole('alert').filter({ hasText: 'refusing to sign the audit head' }).waitFor();
    await rc.close();
    await page.close();
  });
});
