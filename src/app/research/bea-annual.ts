/**
 * The BEA summary requirements tables for every year 1997–2015 (xlsx as published, data/io/bea-1997-2015-summary),
 * read with a spreadsheet library, and the import content derived from them.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { KeelError } from '../../domain/errors.ts';
import {
  type Grid,
  type ImportContent,
  importContent,
  parseRequirementsSheet,
  type RequirementsTable,
} from '../../domain/research/import-content.ts';
import { DATA_DIR } from '../data-files.ts';

export const BEA_ANNUAL_DIR = join(DATA_DIR, 'io', 'bea-1997-2015-summary');
export const TOTAL_FILE = 'IxC_TR_1997-2015_Summary.xlsx';
export const DOMESTIC_FILE = 'IxC_Domestic_1997-2015_Summary.xlsx';
export const BEA_YEARS = Array.from({ length: 19 }, (_, i) => 1997 + i);

/** A worksheet as plain rows (row 1 first, column A first). */
export function worksheetGrid(ws: ExcelJS.Worksheet): Grid {
  const grid: (string | number | null)[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const values = (row.values as unknown[]).slice(1).map((v) => {
      if (typeof v === 'number' || typeof v === 'string') return v;
      if (v && typeof v === 'object' && 'result' in v) return (v as { result: number | string }).result;
      return null;
    });
    grid[n - 1] = values;
  });
  return Array.from(grid, (r) => r ?? []);
}

const books = new Map<string, Promise<ExcelJS.Workbook>>();
function workbook(file: string) {
  let book = books.get(file);
  if (!book) {
    const wb = new ExcelJS.Workbook();
    book = wb.xlsx.readFile(join(BEA_ANNUAL_DIR, file)).then(() => wb);
    books.set(file, book);
  }
  return book;
}

export async function requirementsTable(file: string, year: number): Promise<RequirementsTable> {
  const ws = (await workbook(file)).getWorksheet(String(year));
  if (!ws) throw new Error(`${file}: no sheet ${year}`);
  return parseRequirementsSheet(worksheetGrid(ws), file, String(year));
}

/** Imported inputs per dollar of final demand, per commodity, for one year 1997–2015. */
export async function importContentOf(year: number): Promise<ImportContent[]> {
  return importContent(
    await requirementsTable(TOTAL_FILE, year),
    await requirementsTable(DOMESTIC_FILE, year),
  );
}

export const importDependenceSchema = z.object({
  year: z.coerce.number().int().min(1997).max(2015).default(2015),
  sector: z
    .string()
    .regex(/^[0-9A-Z]{2,6}$/, 'a BEA summary commodity code such as 334')
    .optional(),
});

/**
 * Import dependence: every commodity's imported inputs per dollar of final demand in one year, or one
 * commodity's path over 1997–2015. Public statistics: no database, no authorisation.
 */
export async function importDependence(query: z.infer<typeof importDependenceSchema>) {
  const source = `US Bureau of Economic Analysis, ${TOTAL_FILE} minus ${DOMESTIC_FILE} (Total Industry Output Requirement rows), data/io/bea-1997-2015-summary`;
  if (query.sector) {
    const path = [];
    for (const year of BEA_YEARS) {
      const row = (await importContentOf(year)).find((c) => c.code === query.sector);
      if (!row)
        throw new KeelError('not_found', `no BEA summary commodity ${query.sector}`, {
          sector: query.sector,
        });
      path.push({ year, ...row });
    }
    return { kind: 'path' as const, source, sector: query.sector, name: path[0]?.name ?? '', path };
  }
  const rows = (await importContentOf(query.year)).sort((a, b) => b.imported - a.imported);
  return { kind: 'year' as const, source, year: query.year, commodities: rows };
}
