/** Exports of deals and the ledger as CSV or XLSX. Amounts are exact dollar strings, never spreadsheet floats. */
import ExcelJS from 'exceljs';
import { toDecimalString } from '../domain/money.ts';
import { authorize } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';

export const EXPORTS = ['deals', 'ledger'] as const;
export type ExportKind = (typeof EXPORTS)[number];
export type ExportFormat = 'csv' | 'xlsx';

type Cell = string | number | boolean | null;

async function rowsFor(
  ctx: AppContext,
  actor: Actor,
  kind: ExportKind,
): Promise<{ header: string[]; rows: Cell[][] }> {
  const { db } = ctx.database;
  if (kind === 'deals') {
    authorize(actor, 'deals.read');
    const deals = await db.selectFrom('deals').selectAll().orderBy('id').execute();
    return {
      header: [
        'id',
        'company_id',
        'sub_area_id',
        'instrument',
        'amount_usd',
        'stage',
        'classification',
        'opened_on',
        'announced_on',
        'source',
        'synthetic',
      ],
      rows: deals.map((d) => [
        d.id,
        d.company_id,
        d.sub_area_id,
        d.instrument,
        toDecimalString(d.amount_cents),
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
  const entries = await db.selectFrom('ledger_entries').selectAll().orderBy('seq').execute();
  return {
    header: [
      'seq',
      'key',
      'deal_id',
      'kind',
      'amount_usd',
      'effective_on',
      'note',
      'recorded_at',
      'recorded_by',
    ],
    rows: entries.map((e) => [
      e.seq.toString(),
      e.client_key,
      e.deal_id,
      e.kind,
      toDecimalString(e.amount_cents),
      e.effective_on,
      e.note,
      e.recorded_at,
      e.recorded_by,
    ]),
  };
}

const csvCell = (value: Cell) => {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export async function exportData(
  ctx: AppContext,
  actor: Actor,
  kind: ExportKind,
  format: ExportFormat,
): Promise<Buffer> {
  const { header, rows } = await rowsFor(ctx, actor, kind);
  if (format === 'csv')
    return Buffer.from(`${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`);
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(kind);
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}
