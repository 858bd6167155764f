/** HTML → PDF with Debian's Chromium (print to PDF), the same browser the web tests use. */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { KeelError } from '../../domain/errors.ts';
import { throwIfCancelled } from '../cancellation.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
    return await page.pdf({
      format: 'Letter',
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  } catch (error) {
    throwIfCancelled(options.signal, 'PDF');
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', closeOnAbort);
    await browser.close();
  }
}
