/**
 * Documents in the browser (issue 15, item 2): a banker attaches a PDF to a company through the upload form,
 * sees it listed as version 1, previews it in the page (served inline as a PDF), and a second upload with
 * the same title is listed as version 2. Through the UI only.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCompanies } from '../../src/app/companies.ts';
import { freshKeel, type TestKeel } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { addUsers, haveChromium, horizontalOverflow, launchChromium, logIn, serve } from './harness.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe.skipIf(!haveChromium)('documents in the browser', () => {
  let keel: TestKeel;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    await addCompanies(keel, testAdmin, 'doc-co', [
      {
        id: 'doc-gallium',
        name: 'Gallium Works',
        usBased: true,
        existingClient: false,
        foreignControl: false,
        source: 'synthetic (e2e)',
        synthetic: true,
        facilities: [],
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

  it('a banker uploads a PDF to a company, sees it listed and previews it', async () => {
    const page = await logIn(browser, base, 'bo@example.org');
    await page.goto(`${base}/#/companies/doc-gallium`);
    const panel = page.getByRole('region', { name: 'Documents' });
    await panel.getByText('No documents yet.').waitFor();
    const form = panel.getByRole('form', { name: 'Upload a document' });
    // Each upload waits for the server's answer to the click, so a click lost to a moving layout fails here,
    // not as a message that never comes.
    const send = async (title: string, file: { name: string; buffer: Buffer }) => {
      await form.getByLabel('Title').fill(title);
      await form.getByLabel(/^File/).setInputFiles({ ...file, mimeType: 'application/pdf' });
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/documents')),
        form.getByRole('button', { name: 'Upload' }).click(),
      ]);
    };
    await send('Term sheet', { name: 'term-sheet.pdf', buffer: PDF });
    await panel.getByText('Uploaded as version 1.').waitFor();

    // A fake PDF is refused with the server's words (before any preview is open on the page).
    await send('Fake', { name: 'fake.pdf', buffer: Buffer.from('<html></html>') });
    await panel.getByText(/is named \.pdf but is not a PDF/).waitFor();

    const table = panel.getByTestId('documents');
    await table.getByRole('row').nth(1).waitFor();
    expect(await table.getByRole('row').count()).toBe(2);
    await table.getByRole('link', { name: 'term-sheet.pdf' }).waitFor();

    const served = page.waitForResponse((r) => /\/api\/documents\/\d+\/content$/.test(r.url()));
    await table.getByRole('button', { name: 'Preview' }).click();
    await panel.getByTestId('document-preview').waitFor();
    const response = await served;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect(response.headers()['content-disposition']).toMatch(/^inline;/);

    await send('Term sheet', { name: 'term-sheet.pdf', buffer: PDF });
    await panel.getByText('Uploaded as version 2.').waitFor();
    await table.getByRole('row').nth(2).waitFor();
    expect(await table.getByRole('row').count()).toBe(3);
    expect(await table.getByRole('row').nth(1).getByRole('cell').nth(1).textContent()).toBe('2');

    await page.setViewportSize({ width: 390, height: 800 });
    expect(await horizontalOverflow(page)).toBe(0);
  }, 120_000);
});
