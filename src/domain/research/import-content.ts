/**
 * Import content from the BEA's published requirements tables: for each commodity, the output of all
 * industries needed per dollar of its final demand (the "Total Industry Output Requirement" row) in the total
 * requirements table, minus the same in the domestic requirements table (which leaves out imported inputs).
 * The difference is the imported inputs per dollar of final demand, which is what import dependence means here.
 */

/** A sheet as rows of cell values (row 1 first), as a spreadsheet reader gives them. */
export type Grid = readonly (readonly (string | number | null | undefined)[])[];

export interface RequirementsTable {
  file: string;
  sheet: string;
  /** Commodity (column) codes in sheet order, and their names. */
  commodities: { code: string; name: string; column: string }[];
  /** Industry (row) codes and names. */
  industries: { code: string; name: string; row: number }[];
  /** cells[i][j]: industry i's output per dollar of commodity j's final demand. */
  cells: number[][];
  /** The printed "Total Industry Output Requirement" per commodity, and its row. */
  totals: number[];
  totalsRow: number;
}

export const columnName = (index: number) => {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
};

export const text = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());

/**
 * Where a requirements or use sheet keeps its codes: the summary sheets (1997–2015) print the codes in the row
 * whose second column says `summaryLabel` with the names in the row below; the 2007 detail sheets print them
 * in the row that starts "Code", `detailLabel`, with the names in the row above. Rows then give the code in
 * column A and the name in column B either way; numbers start in column C.
 */
export function findHeader(grid: Grid, summaryLabel: string, detailLabel: string) {
  const summary = grid.findIndex((r) => text(r[1]) === summaryLabel);
  if (summary >= 0) return { codes: summary, names: summary + 1, firstRow: summary + 2 };
  const detail = grid.findIndex((r) => text(r[0]) === 'Code' && text(r[1]) === detailLabel);
  if (detail >= 0) return { codes: detail, names: detail - 1, firstRow: detail + 1 };
  return null;
}

const TOTAL_LABELS = new Set(['Total Industry Output Requirement', 'Total Commodity Output Requirements']);

/**
 * Reads one sheet of IxC_TR_… or IxC_Domestic_… (summary or detail): codes and names of the commodities
 * (columns), the industries (rows), and the printed total row ("Total Industry Output Requirement" in the
 * summary, "Total Commodity Output Requirements" in the detail). Grid rows and columns are 0-based here;
 * provenance reports them as the sheet does (row 1, column A).
 */
export function parseRequirementsSheet(grid: Grid, file: string, sheet: string): RequirementsTable {
  const header = findHeader(grid, 'Industries/Commodities', 'Industry Description');
  if (!header) throw new Error(`${file} ${sheet}: no "Industries/Commodities" or "Code" header row`);
  const codes = grid[header.codes] ?? [];
  const names = grid[header.names] ?? [];
  const commodities: RequirementsTable['commodities'] = [];
  for (let c = 2; c < codes.length; c++) {
    if (text(codes[c]) !== '')
      commodities.push({ code: text(codes[c]), name: text(names[c]), column: columnName(c) });
  }
  const industries: RequirementsTable['industries'] = [];
  const cells: number[][] = [];
  let totals: number[] | null = null;
  let totalsRow = 0;
  for (let r = header.firstRow; r < grid.length; r++) {
    const row = grid[r] ?? [];
    const values = commodities.map((_, j) => {
      const v = row[j + 2];
      if (typeof v !== 'number')
        throw new Error(`${file} ${sheet} row ${r + 1}: ${columnName(j + 2)} is not a number`);
      return v;
    });
    if (TOTAL_LABELS.has(text(row[1]))) {
      totals = values;
      totalsRow = r + 1;
      break;
    }
    industries.push({ code: text(row[0]), name: text(row[1]), row: r + 1 });
    cells.push(values);
  }
  if (!totals) throw new Error(`${file} ${sheet}: no total output requirement row`);
  return { file, sheet, commodities, industries, cells, totals, totalsRow };
}

export interface ImportContent {
  code: string;
  name: string;
  total: number;
  domestic: number;
  /** Imported inputs per dollar of final demand for the commodity: total − domestic requirement. */
  imported: number;
}

/** Import content per commodity from the printed totals of the two tables of the same year. */
export function importContent(total: RequirementsTable, domestic: RequirementsTable): ImportContent[] {
  const domesticByCode = new Map(domestic.commodities.map((c, j) => [c.code, domestic.totals[j] as number]));
  return total.commodities.map((c, j) => {
    const d = domesticByCode.get(c.code);
    if (d === undefined) throw new Error(`${domestic.file} ${domestic.sheet}: no commodity ${c.code}`);
    const t = total.totals[j] as number;
    return { code: c.code, name: c.name, total: t, domestic: d, imported: t - d };
  });
}
