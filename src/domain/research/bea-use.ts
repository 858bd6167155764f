/** The BEA use tables (commodities × industries, millions of dollars) as far as Keel reads them. */
import { columnName, findHeader, type Grid, text } from './import-content.ts';
import { type Matrix, matrix } from './matrix.ts';

export interface UseOutputs {
  file: string;
  sheet: string;
  /** Total industry output per industry code, millions of dollars, and the row it was read from. */
  industryOutput: Map<string, number>;
  industryOutputRow: number;
  /** Total commodity output per commodity code, millions of dollars, and the column it was read from. */
  commodityOutput: Map<string, number>;
  commodityOutputColumn: string;
}

/**
 * The two totals of a use table Keel needs to size a shock: the "Total Industry Output" row (per industry
 * column) and the "Total Commodity Output" column (per commodity row). The summary sheets print "..." for
 * suppressed or empty cells and the detail sheet leaves them blank; both count as no output (0).
 */
export function parseUseOutputs(grid: Grid, file: string, sheet: string): UseOutputs {
  const header = findHeader(grid, 'Commodities/Industries', 'Commodity Description');
  if (!header) throw new Error(`${file} ${sheet}: no "Commodities/Industries" or "Code" header row`);
  const codes = grid[header.codes] ?? [];
  const names = grid[header.names] ?? [];
  const outputColumn = names.findIndex((n) => text(n) === 'Total Commodity Output');
  if (outputColumn < 0) throw new Error(`${file} ${sheet}: no "Total Commodity Output" column`);
  const number = (v: unknown) => (typeof v === 'number' ? v : 0);
  const commodityOutput = new Map<string, number>();
  let r = header.firstRow;
  for (; r < grid.length; r++) {
    const row = grid[r] ?? [];
    if (text(row[1]) === 'Total Industry Output') break;
    const code = text(row[0]);
    // Commodity rows come first; the totals and value added rows below them have no commodity output.
    if (
      code !== '' &&
      row[outputColumn] !== undefined &&
      !/^(T0|V0)/.test(code) &&
      !/^Total|^Sum of|Not Selected$/.test(text(row[1]))
    )
      commodityOutput.set(code, number(row[outputColumn]));
  }
  const totalRow = grid[r];
  if (!totalRow) throw new Error(`${file} ${sheet}: no "Total Industry Output" row`);
  const industryOutput = new Map<string, number>();
  // Industry columns run from C up to the first total column ("Total Intermediate", "T001" or "").
  for (let c = 2; c < codes.length; c++) {
    const code = text(codes[c]);
    if (code === '' || /^T0/.test(code)) break;
    industryOutput.set(code, number(totalRow[c]));
  }
  return {
    file,
    sheet,
    industryOutput,
    industryOutputRow: r + 1,
    commodityOutput,
    commodityOutputColumn: columnName(outputColumn),
  };
}

/** One industry's value added as the use table prints it, and the cell it was read from. */
export interface ValueAddedCell {
  /** Millions of dollars of the table's year. */
  value: number;
  file: string;
  sheet: string;
  /** 1-based spreadsheet row and the column letter. */
  row: number;
  column: string;
}

/**
 * Value added per industry: the "Total Value Added" row of a use table (compensation of employees V001,
 * taxes on production and imports less subsidies V002 and gross operating surplus V003, summed by BEA).
 * A "..." or empty cell is no figure, and the industry is left out rather than counted as 0.
 */
export function parseUseValueAdded(grid: Grid, file: string, sheet: string): Map<string, ValueAddedCell> {
  const header = findHeader(grid, 'Commodities/Industries', 'Commodity Description');
  if (!header) throw new Error(`${file} ${sheet}: no "Commodities/Industries" or "Code" header row`);
  const codes = grid[header.codes] ?? [];
  const r = grid.findIndex((row, i) => i > header.firstRow && text(row[1]) === 'Total Value Added');
  if (r < 0) throw new Error(`${file} ${sheet}: no "Total Value Added" row`);
  const totalRow = grid[r] ?? [];
  const out = new Map<string, ValueAddedCell>();
  for (let c = 2; c < codes.length; c++) {
    const code = text(codes[c]);
    if (code === '' || /^T0/.test(code)) break;
    const v = totalRow[c];
    if (typeof v === 'number') out.set(code, { value: v, file, sheet, row: r + 1, column: columnName(c) });
  }
  return out;
}

/**
 * The commodity-by-industry direct requirements B = U ĝ⁻¹ of a use table: each industry's purchases of each
 * commodity per dollar of its output, for the commodities (rows) and industries (columns) given. Empty and "..."
 * cells count as 0; an industry without output has a zero column.
 */
export function directRequirementsOfUse(
  grid: Grid,
  outputs: UseOutputs,
  commodities: readonly string[],
  industries: readonly string[],
): Matrix {
  const header = findHeader(grid, 'Commodities/Industries', 'Commodity Description');
  if (!header) throw new Error(`${outputs.file} ${outputs.sheet}: no header row`);
  const columnOf = new Map((grid[header.codes] ?? []).map((c, j) => [text(c), j]));
  const rowOf = new Map<string, number>();
  for (let r = header.firstRow; r < outputs.industryOutputRow - 1; r++) rowOf.set(text(grid[r]?.[0]), r);
  const b = matrix(commodities.length, industries.length);
  industries.forEach((industry, j) => {
    const column = columnOf.get(industry);
    const g = outputs.industryOutput.get(industry) ?? 0;
    if (column === undefined) throw new Error(`${outputs.file}: no industry column ${industry}`);
    if (g <= 0) return;
    commodities.forEach((commodity, i) => {
      const r = rowOf.get(commodity);
      const v = r === undefined ? undefined : grid[r]?.[column];
      if (typeof v === 'number') b.data[i * industries.length + j] = v / g;
    });
  });
  return b;
}
