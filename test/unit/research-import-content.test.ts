/** The BEA 1997–2015 summary requirements tables as Keel parses them, against the xlsx cells, and import content. */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  BEA_ANNUAL_DIR,
  BEA_YEARS,
  DOMESTIC_FILE,
  importContentOf,
  requirementsTable,
  TOTAL_FILE,
} from '../../src/app/research/bea-annual.ts';

describe('BEA summary requirements tables 1997–2015', () => {
  it.each([TOTAL_FILE, DOMESTIC_FILE])('%s: every cell of every year equals the xlsx cell', async (file) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(BEA_ANNUAL_DIR, file));
    let checked = 0;
    for (const year of BEA_YEARS) {
      const table = await requirementsTable(file, year);
      const ws = wb.getWorksheet(String(year));
      expect(table.industries).toHaveLength(71);
      expect(table.commodities).toHaveLength(73);
      table.industries.forEach((ind, i) => {
        // Codes are trimmed: the sheets print some with a leading space (" 441").
        expect(String(ws?.getCell(`A${ind.row}`).value).trim()).toBe(ind.code);
        table.commodities.forEach((com, j) => {
          expect(ws?.getCell(`${com.column}${ind.row}`).value).toBe(table.cells[i]?.[j]);
          checked++;
        });
      });
      for (const [j, com] of table.commodities.entries()) {
        expect(ws?.getCell(`${com.column}${table.totalsRow}`).value).toBe(table.totals[j]);
      }
    }
    expect(checked).toBe(19 * 71 * 73);
  });

  it('import content of computer and electronic products (334) in 2015, worked by hand', async () => {
    // IxC_TR 2015, column O ("334"), row 79: 1.5368959; IxC_Domestic 2015, same cell: 1.3576382.
    const c = (await importContentOf(2015)).find((x) => x.code === '334');
    expect(c?.total).toBe(1.5368959);
    expect(c?.domestic).toBe(1.3576382);
    expect(c?.imported).toBeCloseTo(1.5368959 - 1.3576382, 12); // 0.1792577 of imported inputs per dollar
  });
});
