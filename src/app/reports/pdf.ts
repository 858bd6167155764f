/** HTML → PDF with Debian's Chromium (print to PDF), the same browser the web tests use. */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { KeelError } from '../../domain/errors.ts';
import { throwIfCancelled } from '../cancellation.ts';
import { CONFIDENTIAL_MARKING, escapeHtml } from './html.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MARGIN_TEXT =
  'font-family: DejaVu Sans, Arial, sans-serif; font-size: 8px; width: 100%; text-align: center; color: #5b6675;';

/** The browser is closed when the signal aborts (the client went away), so no Chromium outlives its request. */
export async function htmlToPdf(html: string, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
  throwIfCancelled(options.signal, 'PDF');
  if (!existsSync(CHROMIUM)) {
    throw new KeelError(
      'pdf_unavailable',
      `PDF needs Chromium at ${CHROMIUM} (apt-get install chromium); use --format html`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  const closeOnAbort = () => void browser.close();
  options.signal?.addEventListener('abort', closeOnAbort, { once: true });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    // Chromium fills the header and footer templates' pageNumber and totalPages on every page.
    return await page.pdf({
      format: 'Letter',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: `<div style="${MARGIN_TEXT}">${escapeHtml(CONFIDENTIAL_MARKING)}</div>`,
      footerTemplate: `<div style="${MARGIN_TEXT}">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`,
      margin: { top: '16mm', bottom: '16mm', left: '10mm', right: '10mm' },
    });
  } catch (error) {
    throwIfCancelled(options.signal, 'PDF');
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', closeOnAbort);
    await browser.close();
  }
}
