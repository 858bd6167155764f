/**
 * The BEA requirements and use tables as published (xlsx, read with a spreadsheet library): the summary level
 * for every year 1997–2015 (data/io/bea-1997-2015-summary) and the 2007 benchmark detail level
 * (data/io/bea-2007-detail), and the import content derived from them.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { KeelError } from '../../domain/errors.ts';
import {
  directRequirementsOfUse,
  parseUseOutputs,
  parseUseValueAdded,
  type UseOutputs,
  type ValueAddedCell,
} from '../../domain/research/bea-use.ts';
import {
  type Grid,
  type ImportContent,
  importContent,
  parseRequirementsSheet,
  type RequirementsTable,
} from '../../domain/research/import-content.ts';
import { type IndustryInverse, industryInverse } from '../../domain/research/published-impact.ts';
import { authorize } from '../../domain/roles.ts';
import { throwIfCancelled } from '../cancellation.ts';
import type { Actor } from '../context.ts';
import { DATA_DIR } from '../data-files.ts';
import { sectorMaps } from './reference-data.ts';

export const BEA_ANNUAL_DIR = join(DATA_DIR, 'io', 'bea-1997-2015-summary');
export const TOTAL_FILE = 'IxC_TR_1997-2015_Summary.xlsx';
export const DOMESTIC_FILE = 'IxC_Domestic_1997-2015_Summary.xlsx';
export const USE_FILE = 'IOUse_Before_Redefinitions_PRO_1997-2015_Summary.xlsx';
export const BEA_YEARS = Array.from({ length: 19 }, (_, i) => 1997 + i);
export const BEA_DETAIL_DIR = join(DATA_DIR, 'io', 'bea-2007-detail');
export const DETAIL_FILES = {
  total: 'IxC_TR_2007_Detail.xlsx',
  domestic: 'IxC_Domestic_2007_Detail.xlsx',
  use: 'IOUse_Before_Redefinitions_PRO_2007_Detail.xlsx',
} as const;
export const DETAIL_YEAR = 2007;

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

/**
 * Each workbook is read once per process (1–1.5 s each) and kept as plain rows per year sheet: the
 * spreadsheet library's own objects would hold ~300 MB for the six workbooks, the rows a small part of that.
 * A failed read is forgotten so the next call retries.
 */
const books = new Map<string, Promise<Map<string, Grid>>>();
function workbook(path: string) {
  let book = books.get(path);
  if (!book) {
    const wb = new ExcelJS.Workbook();
    book = wb.xlsx
      .readFile(path)
      .then(
        () =>
          new Map(
            wb.worksheets.filter((ws) => /^\d{4}$/.test(ws.name)).map((ws) => [ws.name, worksheetGrid(ws)]),
          ),
      );
    book.catch(() => books.delete(path));
    books.set(path, book);
  }
  return book;
}

async function sheetGrid(dir: string, file: string, year: number): Promise<Grid> {
  const grid = (await workbook(join(dir, file))).get(String(year));
  if (!grid) throw new Error(`${file}: no sheet ${year}`);
  return grid;
}

/** A summary requirements table (1997–2015), or with `dir` = BEA_DETAIL_DIR the 2007 detail one. */
export async function requirementsTable(
  file: string,
  year: number,
  dir = BEA_ANNUAL_DIR,
): Promise<RequirementsTable> {
  return parseRequirementsSheet(await sheetGrid(dir, file, year), file, String(year));
}

export type BeaLevel = 'summary' | 'detail';

export interface PublishedTables {
  level: BeaLevel;
  year: number;
  /** The tables in words, for reports. */
  title: string;
  total: RequirementsTable;
  domestic: RequirementsTable;
  use: UseOutputs;
}

const parsed = new Map<string, Promise<PublishedTables>>();

/** The total and domestic requirements and the use table's outputs of one level and year (parsed once). */
export function publishedTables(level: BeaLevel, year: number): Promise<PublishedTables> {
  if (level === 'detail' && year !== DETAIL_YEAR)
    throw new KeelError('invalid_value', `the detail tables exist for ${DETAIL_YEAR} only (got ${year})`);
  if (level === 'summary' && !BEA_YEARS.includes(year))
    throw new KeelError('invalid_value', `the summary tables cover 1997–2015 (got ${year})`);
  const key = `${level}:${year}`;
  let tables = parsed.get(key);
  if (!tables) {
    tables = loadTables(level, year);
    tables.catch(() => parsed.delete(key));
    parsed.set(key, tables);
  }
  return tables;
}

async function loadTables(level: BeaLevel, year: number): Promise<PublishedTables> {
  if (level === 'detail') {
    const [total, domestic, use] = await Promise.all([
      requirementsTable(DETAIL_FILES.total, year, BEA_DETAIL_DIR),
      requirementsTable(DETAIL_FILES.domestic, year, BEA_DETAIL_DIR),
      sheetGrid(BEA_DETAIL_DIR, DETAIL_FILES.use, year),
    ]);
    return {
      level,
      year,
      title: `BEA 2007 benchmark, detail level (${total.industries.length} industries × ${total.commodities.length} commodities), ${DETAIL_FILES.total}; outputs from ${DETAIL_FILES.use} (millions of 2007 dollars)`,
      total,
      domestic,
      use: parseUseOutputs(use, DETAIL_FILES.use, String(year)),
    };
  }
  const [total, domestic, use] = await Promise.all([
    requirementsTable(TOTAL_FILE, year),
    requirementsTable(DOMESTIC_FILE, year),
    sheetGrid(BEA_ANNUAL_DIR, USE_FILE, year),
  ]);
  return {
    level,
    year,
    title: `BEA annual I-O accounts ${year}, summary level (${total.industries.length} industries × ${total.commodities.length} commodities), ${TOTAL_FILE} sheet ${year}; outputs from ${USE_FILE} (millions of ${year} dollars)`,
    total,
    domestic,
    use: parseUseOutputs(use, USE_FILE, String(year)),
  };
}

/** The year whose value added weighs the EU economic importance: the latest of the annual tables. */
export const VALUE_ADDED_YEAR = 2015;

export interface SubAreaValueAdded {
  year: number;
  /** The table in words, with the path in the repository. */
  table: string;
  /** Sub-area → its summary industry's value added, with the cell it was read from. */
  bySubArea: Map<string, ValueAddedCell & { industry: string }>;
}

const valueAdded = new Map<number, Promise<SubAreaValueAdded>>();

/**
 * Each sub-area's value added in one year 1997–2015: the "Total Value Added" row of the summary use table
 * (before redefinitions, producers' prices), at the industry the summary sector map gives the sub-area.
 */
export function subAreaValueAdded(year = VALUE_ADDED_YEAR): Promise<SubAreaValueAdded> {
  if (!BEA_YEARS.includes(year))
    throw new KeelError('invalid_value', `the summary tables cover 1997–2015 (got ${year})`);
  let found = valueAdded.get(year);
  if (!found) {
    found = (async () => {
      const cells = parseUseValueAdded(
        await sheetGrid(BEA_ANNUAL_DIR, USE_FILE, year),
        USE_FILE,
        String(year),
      );
      const bySubArea = new Map<string, ValueAddedCell & { industry: string }>();
      for (const [subArea, industry] of sectorMaps().summary.sectorOf) {
        const cell = cells.get(industry);
        if (!cell)
          throw new Error(`${USE_FILE} ${year}: no value added for industry ${industry} (${subArea})`);
        bySubArea.set(subArea, { ...cell, industry });
      }
      return {
        year,
        table: `US Bureau of Economic Analysis, annual I-O accounts, data/io/bea-1997-2015-summary/${USE_FILE} sheet ${year}, row "Total Value Added" (millions of ${year} dollars)`,
        bySubArea,
      };
    })();
    found.catch(() => valueAdded.delete(year));
    valueAdded.set(year, found);
  }
  return found;
}

const contents = new Map<number, Promise<ImportContent[]>>();

/** Imported inputs per dollar of final demand, per commodity, for one year 1997–2015 (computed once). */
export function importContentOf(year: number): Promise<ImportContent[]> {
  let content = contents.get(year);
  if (!content) {
    content = (async () =>
      importContent(
        await requirementsTable(TOTAL_FILE, year),
        await requirementsTable(DOMESTIC_FILE, year),
      ))();
    content.catch(() => contents.delete(year));
    contents.set(year, content);
  }
  return content;
}

const code = z
  .string()
  .regex(/^[0-9A-Za-z]{2,6}$/, 'a BEA commodity code such as 334 (summary) or 334413 (detail)');

export const importDependenceSchema = z
  .object({
    /** summary: 71 commodities, any year 1997–2015; detail: the 2007 benchmark's 389 commodities. */
    level: z.enum(['summary', 'detail']).default('summary'),
    /** Default 2015 at the summary level; the detail tables exist for 2007 only. */
    year: z.coerce.number().int().min(1997).max(2015).optional(),
    /** Commodities whose path 1997–2015 to give, by code or by sub-area (comma-separated, at most 12). */
    sectors: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(code).max(12, 'at most 12 sectors'))
      .optional(),
    subAreas: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(z.string().min(1).max(80)).max(12, 'at most 12 sub-areas'))
      .optional(),
  })
  .refine((q) => q.level === 'summary' || q.year === undefined || q.year === DETAIL_YEAR, {
    path: ['year'],
    message: `the detail tables exist for ${DETAIL_YEAR} only`,
  });

export interface ImportPath {
  /** The sub-area the path was asked for (null when asked by sector code). */
  subArea: string | null;
  sector: string;
  name: string;
  path: ({ year: number } & Omit<ImportContent, 'code' | 'name'>)[];
}

/**
 * Import dependence: every commodity's imported inputs per dollar of final demand in one year (with the
 * sub-areas mapped to it), and the path of the sectors and sub-areas asked for: over 1997–2015 from the
 * summary tables, or the one 2007 point of the detail tables (389 commodities, the detail sector map).
 */
export async function importDependence(
  actor: Actor,
  query: z.infer<typeof importDependenceSchema>,
  options: { signal?: AbortSignal } = {},
) {
  authorize(actor, 'research.read');
  throwIfCancelled(options.signal, 'import dependence');
  const detail = query.level === 'detail';
  const year = detail ? DETAIL_YEAR : (query.year ?? 2015);
  const source = detail
    ? `US Bureau of Economic Analysis, ${DETAIL_FILES.total} minus ${DETAIL_FILES.domestic} (Total Industry Output Requirement rows), data/io/bea-2007-detail`
    : `US Bureau of Economic Analysis, ${TOTAL_FILE} minus ${DOMESTIC_FILE} (Total Industry Output Requirement rows), data/io/bea-1997-2015-summary`;
  const map = sectorMaps()[query.level];
  const subAreasOf = new Map<string, string[]>();
  for (const [subArea, sector] of map.sectorOf)
    subAreasOf.set(sector, [...(subAreasOf.get(sector) ?? []), subArea]);
  const wanted: { subArea: string | null; sector: string }[] = [
    ...(query.subAreas ?? []).map((subArea) => {
      const sector = map.sectorOf.get(subArea);
      if (!sector)
        throw new KeelError(
          'unknown_sub_area',
          `no sub-area "${subArea}" in the ${query.level} I-O sector map`,
          {
            subArea,
          },
        );
      return { subArea, sector };
    }),
    ...(query.sectors ?? []).map((sector) => ({ subArea: null, sector })),
  ];
  const years = detail
    ? [{ year: DETAIL_YEAR, rows: await detailImportContent() }]
    : await Promise.all(BEA_YEARS.map(async (y) => ({ year: y, rows: await importContentOf(y) })));
  const series: ImportPath[] = wanted.map(({ subArea, sector }) => {
    const path = years.map(({ year: y, rows }) => {
      const row = rows.find((c) => c.code === sector);
      if (!row) throw new KeelError('not_found', `no BEA ${query.level} commodity ${sector}`, { sector });
      return { year: y, total: row.total, domestic: row.domestic, imported: row.imported };
    });
    const name = years[0]?.rows.find((c) => c.code === sector)?.name ?? sector;
    return { subArea, sector, name, path };
  });
  const commodities = [...((years.find((y) => y.year === year)?.rows ?? []) as ImportContent[])]
    .sort((a, b) => b.imported - a.imported)
    .map((c) => ({ ...c, subAreas: subAreasOf.get(c.code) ?? [] }));
  return { source, mapSource: map.table, level: query.level, year, commodities, series };
}

let detailContent: Promise<ImportContent[]> | null = null;

/** Imported inputs per dollar of final demand per commodity of the 2007 detail tables (computed once). */
function detailImportContent(): Promise<ImportContent[]> {
  if (!detailContent) {
    detailContent = publishedTables('detail', DETAIL_YEAR).then((t) => importContent(t.total, t.domestic));
    detailContent.catch(() => {
      detailContent = null;
    });
  }
  return detailContent;
}

const inverses = new Map<string, Promise<IndustryInverse>>();

/** The industry-by-industry inverse L = I + TR · B of one level and year (published-impact.ts), computed once. */
export function industryInverseOf(level: BeaLevel, year: number): Promise<IndustryInverse> {
  const key = `${level}:${year}`;
  let inverse = inverses.get(key);
  if (!inverse) {
    inverse = Promise.all([publishedTables(level, year), directRequirements(level, year)]).then(
      ([tables, { direct }]) =>
        industryInverse(
          {
            industries: tables.total.industries.map((i) => i.code),
            commodities: tables.total.commodities.map((c) => c.code),
            cells: tables.total.cells,
          },
          direct,
        ),
    );
    inverse.catch(() => inverses.delete(key));
    inverses.set(key, inverse);
  }
  return inverse;
}

/**
 * The commodity-by-industry direct requirements B = U ĝ⁻¹ of one level and year, from the use table before
 * redefinitions, its rows and columns in the order of that year's total requirements table. bench:io inverts
 * I − B at the detail level (389 industries); the supply (Ghosh) impact reads it at every level.
 */
export async function directRequirements(level: BeaLevel, year: number) {
  const tables = await publishedTables(level, year);
  const grid =
    level === 'detail'
      ? await sheetGrid(BEA_DETAIL_DIR, DETAIL_FILES.use, year)
      : await sheetGrid(BEA_ANNUAL_DIR, USE_FILE, year);
  const commodities = tables.total.commodities.map((c) => c.code);
  const industries = tables.total.industries.map((i) => i.code);
  return {
    commodities,
    industries,
    direct: directRequirementsOfUse(grid, tables.use, commodities, industries),
  };
}
