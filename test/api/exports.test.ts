/**
 * Exports are read by spreadsheets: a text cell must never run as a formula (OWASP CSV injection), and an
 * amount must stay a number (SUM works in XLSX; negative numbers are not neutralised in CSV).
 */

import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell } from '../../src/app/exports.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture, SENTINEL } from './helpers.ts';

const FORMULA = /^[=+\-@\t\r]/;

describe('a CSV cell', () => {
  it('neutralises every formula lead in text, and leaves amounts and integers as numbers', () => {
    expect(csvCell('=1+2', 'text')).toBe(`"'=1+2"`);
    expect(csvCell('+1', 'text')).toBe(`"'+1"`);
    expect(csvCell('-2+3', 'text')).toBe(`"'-2+3"`);
    expect(csvCell('@SUM(A1)', 'text')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\t=1', 'text')).toBe(`"'\t=1"`);
    expect(csvCell('\r=1', 'text')).toBe(`"'\r=1"`);
    expect(csvCell('=HYPERLINK("http://x","y")', 'text')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('plain, with comma', 'text')).toBe('"plain, with comma"');
    expect(csvCell(-1250n, 'amount')).toBe('-12.50');
    expect(csvCell(-3n, 'integer')).toBe('-3');
    expect(csvCell(null, 'text')).toBe('');
  });
});

describeOnBackends('exports through HTTP', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());
  const bearer = (role: keyof ApiFixture['tokens']) => ({ authorization: `Bearer ${f.tokens[role]}` });

  it('writes formula-leading deal sources, ledger notes and keys as inert text in CSV', async () => {
    const deal = await f.app.inject({
      method: 'POST',
      url: '/api/deals',
      headers: { ...bearer('banker'), 'idempotency-key': 'export-deal-1' },
      payload: {
        id: 'formula-deal',
        companyId: `${SENTINEL}-0-co`,
        subAreaId: 'robotics',
        instrument: 'term_loan',
        amount: '1000.00',
        classification: 'baseline',
        openedOn: '2026-03-01',
        source: '=HYPERLINK("http://evil.example","click")',
        synthetic: true,
      },
    });
    expect(deal.statusCode).toBe(200);
    const entry = await f.app.inject({
      method: 'POST',
      url: '/api/ledger',
      headers: { ...bearer('portfolio_manager'), 'idempotency-key': '-2+3' },
      payload: {
        dealId: f.sentinelDeal,
        kind: 'valuation',
        amount: '1.00',
        effectiveOn: '2026-06-30',
        note: '@SUM(1+1)',
      },
    });
    expect(entry.statusCode).toBe(200);

    for (const kind of ['deals', 'ledger'] as const) {
      const csv = await f.app.inject({
        method: 'GET',
        url: `/api/exports/${kind}?format=csv`,
        headers: bearer('auditor'),
      });
      expect(csv.statusCode).toBe(200);
      const rows: string[][] = parse(csv.body);
      const header = rows[0]!;
      const amountAt = header.indexOf('amount_usd');
      for (const row of rows.slice(1))
        row.forEach((cell, i) => {
          if (i !== amountAt && header[i] !== 'seq')
            expect(cell, `${kind}.${header[i]}`).not.toMatch(FORMULA);
          else expect(cell).toMatch(/^-?\d+(\.\d{2})?$/);
        });
    }
    const deals = await f.app.inject({
      method: 'GET',
      url: '/api/exports/deals?format=csv',
      headers: bearer('auditor'),
    });
    expect(deals.body).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
    const ledger = await f.app.inject({
      method: 'GET',
      url: '/api/exports/ledger?format=csv',
      headers: bearer('auditor'),
    });
    expect(ledger.body).toContain(`"'@SUM(1+1)"`);
    expect(ledger.body).not.toMatch(/,[=+\-@]/);
    // Names beside the ids: the deal's company and the recorder by name.
    const [header, ...rows] = ledger.body.trim().split(/\r?\n/);
    expect(header).toMatch(/,recorded_by,deal_name,company,recorded_by_name$/);
    expect(rows.some((r) => r.includes(',Synthetic sentinelhypersonics-0,'))).toBe(true);
  });

  it('stores XLSX amounts as numbers in dollars with two decimals, so SUM works', async () => {
    const xlsx = await f.app.inject({
      method: 'GET',
      url: '/api/exports/ledger?format=xlsx',
      headers: bearer('auditor'),
    });
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as never);
    const sheet = book.getWorksheet('ledger')!;
    const amountColumn = (sheet.getRow(1).values as unknown[]).indexOf('amount_usd');
    const first = sheet.getRow(2).getCell(amountColumn);
    expect(first.value).toBe(12_345_678);
    expect(first.numFmt).toBe('#,##0.00');
    expect(typeof sheet.getRow(2).getCell(1).value).toBe('number');
    expect(book.getWorksheet('About')!.getRow(3).getCell(1).value).toMatch(/2\^53 cents/);
  });
});
