/**
 * Exports of deals and the ledger as CSV or XLSX. Every column has a type, and each format writes each type
 * the way a spreadsheet reads it safely:
 * - text is never live: a CSV cell starting with `=`, `+`, `-`, `@`, tab or carriage return would be run as a
 *   formula by Excel, LibreOffice or Google Sheets, so it is written as the OWASP CSV-injection guidance says
 *   (a leading single quote, the cell quoted). XLSX stores text as text, which no spreadsheet evaluates.
 * - amounts are numbers: in CSV the exact dollar string (negative amounts stay `-12.50`, never neutralised);
 *   in XLSX a number of dollars shown with two decimals, so SUM works. A double holds every amount of cents
 *   up to 2^53 (about $90 trillion) exactly; a larger amount becomes the nearest double and its cell carries
 *   a note with the exact figure, which the CSV export always has. The workbook's "About" sheet says so.
 */
import ExcelJS from 'exceljs';
import { allDeals } from '../db/deals-repo.ts';
import { ledgerListAll } from '../db/ledger-search.ts';
import { csvTextCell } from '../domain/csv-text.ts';
import { toDecimalString } from '../domain/money.ts';
import { authorize } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';
import { type LedgerListQueryFilter, toLedgerFilter } from './ledger-list.ts';

export const EXPORTS = ['deals', 'ledger'] as const;
export type ExportKind = (typeof EXPORTS)[number];
export type ExportFormat = 'csv' | 'xlsx';

/** An amount is integer cents; an integer is a count or sequence number; anything else is text. */
export type Column = { name: string; type: 'text' | 'amount' | 'integer' };
export type Cell = string | bigint | boolean | null;

const text = (name: string): Column => ({ name, type: 'text' });
const amount = (name: string): Column => ({ name, type: 'amount' });
const integer = (name: string): Column => ({ name, type: 'integer' });

async function rowsFor(
  ctx: AppContext,
  actor: Actor,
  kind: ExportKind,
  ledgerFilter: LedgerListQueryFilter,
): Promise<{ columns: Column[]; rows: Cell[][] }> {
  const { db } = ctx.database;
  if (kind === 'deals') {
    authorize(actor, 'deals.read');
    const deals = await allDeals(db);
    return {
      columns: [
        text('id'),
        text('company_id'),
        text('sub_area_id'),
        text('instrument'),
        amount('amount_usd'),
        text('stage'),
        text('classification'),
        text('opened_on'),
        text('announced_on'),
        text('source'),
        text('synthetic'),
      ],
      rows: deals.map((d) => [
        d.id,
        d.company_id,
        d.sub_area_id,
        d.instrument,
        d.amount_cents,
        d.stage,
        d.classification,
        d.opened_on,
        d.announced_on,
        d.source,
        d.synthetic,
      ]),
    };
  }
  authorize(actor, 'ledger.read');
  const entries = await ledgerListAll(db, toLedgerFilter(ledgerFilter));
  return {
    columns: [
      integer('seq'),
      text('key'),
      text('deal_id'),
      text('kind'),
      amount('amount_usd'),
      text('effective_on'),
      text('note'),
      text('recorded_at'),
      text('recorded_by'),
      // Names beside the ids, so a reader of the sheet needs no lookup; the ids stay for re-import and joins.
      text('deal_name'),
      text('company'),
      text('recorded_by_name'),
    ],
    rows: entries.map((e) => [
      e.seq,
      e.client_key,
      e.deal_id,
      e.kind,
      e.amount_cents,
      e.effective_on,
      e.note,
      e.recorded_at,
      e.recorded_by,
      e.deal_name,
      e.company,
      e.recorded_by_name,
    ]),
  };
}

/** One CSV cell: numbers as they are, text quoted when it must be and never live. */
export function csvCell(value: Cell, type: Column['type']): string {
  if (value === null) return '';
  if (type === 'amount' && typeof value === 'bigint') return toDecimalString(value);
  if (type === 'integer' && typeof value === 'bigint') return value.toString();
  return csvTextCell(String(value));
}

/** Cents a double holds exactly: every integer up to 2^53. */
const EXACT_CENTS = BigInt(Number.MAX_SAFE_INTEGER);
const DOLLARS_FORMAT = '#,##0.00';

function xlsxCell(
  value: Cell,
  type: Column['type'],
): { value: string | number | boolean | null; exact?: string } {
  if (value === null) return { value: null };
  if (typeof value === 'bigint') {
    if (type === 'integer') return { value: Number(value) };
    const magnitude = value < 0n ? -value : value;
    const dollars = Number(value) / 100;
    return magnitude > EXACT_CENTS ? { value: dollars, exact: toDecimalString(value) } : { value: dollars };
  }
  return { value };
}

const ABOUT = [
  ['About this export'],
  [
    'Amounts (columns ending in _usd) are numbers of dollars shown with two decimals, so SUM and other formulas work on them.',
  ],
  [
    'A spreadsheet number is a double: it holds every amount up to $90,071,992,547,409.91 (2^53 cents) to the cent. A larger amount is the nearest double; its cell has a note with the exact amount, and the CSV export carries every amount exactly.',
  ],
];

export async function exportData(
  ctx: AppContext,
  actor: Actor,
  kind: ExportKind,
  format: ExportFormat,
  /** The ledger list's filters (the ledger only): the export holds the filtered set. */
  ledgerFilter: LedgerListQueryFilter = {},
): Promise<Buffer> {
  const { columns, rows } = await rowsFor(ctx, actor, kind, ledgerFilter);
  if (format === 'csv') {
    const lines = [
      columns.map((c) => csvCell(c.name, 'text')).join(','),
      ...rows.map((row) => row.map((cell, i) => csvCell(cell, columns[i]!.type)).join(',')),
    ];
    return Buffer.from(`${lines.join('\n')}\n`);
  }
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(kind);
  sheet.addRow(columns.map((c) => c.name));
  for (const row of rows) {
    const cells = row.map((cell, i) => xlsxCell(cell, columns[i]!.type));
    const added = sheet.addRow(cells.map((c) => c.value));
    cells.forEach((c, i) => {
      if (columns[i]!.type === 'amount') added.getCell(i + 1).numFmt = DOLLARS_FORMAT;
      if (c.exact) added.getCell(i + 1).note = `exact amount: ${c.exact}`;
    });
  }
  const about = book.addWorksheet('About');
  for (const line of ABOUT) about.addRow(line);
  return Buffer.from(await book.xlsx.writeBuffer());
}
