/** HTML → PDF with Debian's Chromium (print to PDF), the same browser the web tests use. */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { KeelError } from '../../domain/errors.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function htmlToPdf(html: string): Promise<Buffer> {
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
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'Letter',
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  } finally {
    await browser.close();
  }
}
