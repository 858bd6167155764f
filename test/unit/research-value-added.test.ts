/**
 * The EU economic importance is weighted by each sub-area's value added from the 2015 summary use table
 * (was the 1997 benchmark): every sub-area's figure is the xlsx cell it names, read here with the
 * spreadsheet library by its address, and equals the sum of the three value-added rows BEA prints above it.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BEA_ANNUAL_DIR,
  subAreaValueAdded,
  USE_FILE,
  VALUE_ADDED_YEAR,
} from '../../src/app/research/bea-annual.ts';
import { referenceCountries, referenceGraph, sectorMaps } from '../../src/app/research/reference-data.ts';
import { scoreGraph } from '../../src/domain/research/scores.ts';

let sheet: ExcelJS.Worksheet;
beforeAll(async () => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(BEA_ANNUAL_DIR, USE_FILE));
  sheet = wb.getWorksheet(String(VALUE_ADDED_YEAR)) as ExcelJS.Worksheet;
}, 60_000);

const cellValue = (address: string) => {
  const v = sheet.getCell(address).value;
  return typeof v === 'object' && v !== null && 'result' in v ? (v as { result: unknown }).result : v;
};

describe('value added for the economic importance, 2015 summary use table', () => {
  it('every sub-area of the summary map: the "Total Value Added" cell of its industry = V001 + V002 + V003', async () => {
    const va = await subAreaValueAdded();
    expect(va.year).toBe(2015);
    expect([...va.bySubArea.keys()].sort()).toEqual([...sectorMaps().summary.sectorOf.keys()].sort());
    for (const [subArea, c] of va.bySubArea) {
      expect(c.industry).toBe(sectorMaps().summary.sectorOf.get(subArea));
      expect(c.file).toBe(USE_FILE);
      expect(c.sheet).toBe('2015');
      expect(cellValue(`B${c.row}`)).toBe('Total Value Added');
      // The column is the industry's: its code is in the header row ("Commodities/Industries" in B).
      const headerRow = [...Array(20).keys()].find(
        (r) => cellValue(`B${r + 1}`) === 'Commodities/Industries',
      );
      expect(cellValue(`${c.column}${(headerRow as number) + 1}`)).toBe(c.industry);
      expect(cellValue(`${c.column}${c.row}`)).toBe(c.value);
      const parts = ['V001', 'V002', 'V003'].map((code) => {
        const r = [...Array(c.row).keys()].find((i) => cellValue(`A${i + 1}`) === code);
        expect(r, `${code} row`).toBeDefined();
        return Number(cellValue(`${c.column}${(r as number) + 1}`));
      });
      expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(c.value, 6);
    }
  });

  it('primary metals (331), the critical-minerals sub-area, had $55,923 million of value added in 2015', async () => {
    const c = (await subAreaValueAdded()).bySubArea.get('critical-minerals');
    expect(c).toMatchObject({ industry: '331', value: 55_923 });
  });

  it('the scores weigh end uses by those values: the largest sub-area scores 10 before substitution', async () => {
    const va = await subAreaValueAdded();
    const weights = new Map([...va.bySubArea].map(([s, c]) => [s, c.value] as const));
    const scores = scoreGraph(referenceGraph(), referenceCountries(), { subAreaValueAdded: weights });
    const ei = scores.flatMap((s) => (s.eu?.economicImportance != null ? [s.eu.economicImportance] : []));
    expect(ei.length).toBeGreaterThan(5);
    for (const x of ei) expect(x).toBeGreaterThan(0);
    for (const x of ei) expect(x).toBeLessThanOrEqual(10);
  });

  it('a year outside 1997–2015 is refused', () => {
    expect(() => subAreaValueAdded(2016)).toThrow(/1997–2015/);
  });
});
