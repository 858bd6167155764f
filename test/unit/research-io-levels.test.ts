/**
 * The economy-wide model on the published BEA tables: the 2007 detail requirements tables as Keel parses them
 * against the xlsx cells, the use tables' outputs, the sub-area maps against the tables they name, and the
 * impact read off a published total requirements table (Leontief) and its Ghosh counterpart.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  BEA_DETAIL_DIR,
  BEA_YEARS,
  DETAIL_FILES,
  DETAIL_YEAR,
  directRequirements,
  industryInverseOf,
  publishedTables,
  requirementsTable,
} from '../../src/app/research/bea-annual.ts';
import { beaTable, readBea, sectorMaps } from '../../src/app/research/reference-data.ts';
import { importContent } from '../../src/domain/research/import-content.ts';
import {
  invert,
  isDiagonallyDominant,
  isGeneralizedDiagonallyDominant,
} from '../../src/domain/research/inverse.ts';
import { denseFromCells, parseBeaCells, sectorShockImpact } from '../../src/domain/research/io.ts';
import { get, identityMinus, type Matrix, matrix, multiply } from '../../src/domain/research/matrix.ts';
import { industryInverse, publishedShockImpact } from '../../src/domain/research/published-impact.ts';

const rowsOf = (m: Matrix) =>
  Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));

describe('BEA 2007 detail requirements tables', () => {
  it.each([DETAIL_FILES.total, DETAIL_FILES.domestic])(
    '%s: every cell equals the xlsx cell',
    async (file) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(BEA_DETAIL_DIR, file));
      const ws = wb.getWorksheet('2007');
      const table = await requirementsTable(file, 2007, BEA_DETAIL_DIR);
      expect(table.industries).toHaveLength(389);
      expect(table.commodities).toHaveLength(389);
      let checked = 0;
      table.industries.forEach((ind, i) => {
        // Some codes are stored as numbers (111200); Keel keeps every code as text.
        expect(String(ws?.getCell(`A${ind.row}`).value)).toBe(ind.code);
        table.commodities.forEach((com, j) => {
          expect(ws?.getCell(`${com.column}${ind.row}`).value).toBe(table.cells[i]?.[j]);
          checked++;
        });
      });
      for (const [j, com] of table.commodities.entries())
        expect(ws?.getCell(`${com.column}${table.totalsRow}`).value).toBe(table.totals[j]);
      expect(checked).toBe(389 * 389);
      expect(ws?.getCell(`B${table.totalsRow}`).value).toBe('Total Commodity Output Requirements');
    },
    60_000,
  );

  it('reads the outputs of the use tables where the sheets print them', async () => {
    // IOUse_Before_Redefinitions_PRO_1997-2015_Summary.xlsx, sheet 2015: row 20 (334), column CV
    // "Total Commodity Output" = 330423; row 90 "Total Industry Output", column P (335) = 121595.
    const summary = await publishedTables('summary', 2015);
    expect(summary.use.commodityOutput.get('334')).toBe(330423);
    expect(summary.use.commodityOutputColumn).toBe('CV');
    expect(summary.use.industryOutputRow).toBe(90);
    expect(summary.use.industryOutput.get('335')).toBe(121595);
    expect(summary.use.industryOutput.size).toBe(71);
    // IOUse_Before_Redefinitions_PRO_2007_Detail.xlsx: row 401 (T008 Total Industry Output), column D
    // (1111A0 oilseed farming) = 21425; the commodity output of oilseed farming (row 7, column T007) = 21073.
    const detail = await publishedTables('detail', 2007);
    expect(detail.use.industryOutputRow).toBe(401);
    expect(detail.use.industryOutput.get('1111A0')).toBe(21425);
    expect(detail.use.commodityOutput.get('1111A0')).toBe(21073);
    expect(detail.use.industryOutput.size).toBe(389);
    // Every industry of the requirements table has an output (inmap's deleted use rows are commodities).
    for (const i of detail.total.industries) expect(detail.use.industryOutput.has(i.code)).toBe(true);
  }, 60_000);

  it('import content of semiconductor devices (334413) in 2007 at the detail level, worked by hand', async () => {
    // IxC_TR_2007_Detail.xlsx, sheet 2007, column DS ("334413"), row 395 (T010): 1.7337243;
    // IxC_Domestic_2007_Detail.xlsx, same cell: 1.4865995. Imported inputs per dollar: 0.2471248.
    const t = await publishedTables('detail', 2007);
    const c = importContent(t.total, t.domestic).find((x) => x.code === '334413');
    expect(t.total.commodities.find((x) => x.code === '334413')?.column).toBe('DS');
    expect([t.total.totalsRow, t.domestic.totalsRow]).toEqual([395, 395]);
    expect(c?.total).toBe(1.7337243);
    expect(c?.domestic).toBe(1.4865995);
    expect(c?.imported).toBeCloseTo(0.2471248, 12);
  }, 60_000);

  it('refuses a detail year other than 2007 and a summary year outside 1997–2015', () => {
    expect(() => publishedTables('detail', 2015)).toThrow(/2007 only/);
    expect(() => publishedTables('summary', 2016)).toThrow(/1997–2015/);
  });
});

describe('the sub-area → industry maps (an analyst’s judgement) name codes the tables hold', () => {
  it('benchmark 1997: every code is an industry of the rebuilt model', () => {
    const { model } = beaTable();
    for (const code of sectorMaps()['benchmark-1997'].sectorOf.values())
      expect(model.industries).toContain(code);
  });

  it('summary: every code is an industry and a commodity in every year 1997–2015', async () => {
    const codes = [...sectorMaps().summary.sectorOf.values()];
    for (const year of BEA_YEARS) {
      const t = await publishedTables('summary', year);
      for (const code of codes) {
        expect(t.total.industries.map((i) => i.code)).toContain(code);
        expect(t.total.commodities.map((c) => c.code)).toContain(code);
      }
    }
  }, 120_000);

  it('detail: every code is an industry and a commodity of the 2007 tables, with the names the brief expects', async () => {
    const maps = sectorMaps();
    const t = await publishedTables('detail', 2007);
    const industry = new Map(t.total.industries.map((i) => [i.code, i.name]));
    const commodities = new Set(t.total.commodities.map((c) => c.code));
    for (const code of maps.detail.sectorOf.values()) {
      expect(industry.has(code)).toBe(true);
      expect(commodities.has(code)).toBe(true);
    }
    // The same 27 sub-areas at every level.
    expect([...maps.detail.sectorOf.keys()].sort()).toEqual([...maps.summary.sectorOf.keys()].sort());
    expect([...maps['benchmark-1997'].sectorOf.keys()].sort()).toEqual(
      [...maps.summary.sectorOf.keys()].sort(),
    );
    expect(industry.get(maps.detail.sectorOf.get('shipbuilding') ?? '')).toBe('Ship building and repairing');
    expect(industry.get(maps.detail.sectorOf.get('semiconductors') ?? '')).toBe(
      'Semiconductor and related device manufacturing',
    );
    expect(industry.get(maps.detail.sectorOf.get('munitions-missiles-hypersonics') ?? '')).toBe(
      'Ammunition, arms, ordnance, and accessories manufacturing',
    );
    expect(industry.get(maps.detail.sectorOf.get('critical-minerals') ?? '')).toBe(
      'Primary smelting and refining of nonferrous metal (except copper and aluminum)',
    );
  }, 60_000);
});

describe('impacts read off a published total requirements table', () => {
  it('Leontief demand: each industry changes by its published requirement × the shock (2015, 334)', async () => {
    const t = await publishedTables('summary', 2015);
    const table = {
      industries: t.total.industries.map((i) => i.code),
      commodities: t.total.commodities.map((c) => c.code),
      cells: t.total.cells,
      industryOutput: t.use.industryOutput,
      commodityOutput: t.use.commodityOutput,
    };
    const r = publishedShockImpact(table, '334', -0.1, 'demand');
    expect(r.shock).toBeCloseTo(-33042.3, 6); // 10% of 330423
    // By hand from the parsed cell (itself checked against the xlsx in research-import-content.test.ts).
    const i = table.industries.indexOf('334');
    const j = table.commodities.indexOf('334');
    const own = r.impacts.find((x) => x.industry === '334');
    expect(own?.change).toBeCloseTo((t.total.cells[i]?.[j] as number) * -33042.3, 6);
    // Summed over industries: the published "Total Industry Output Requirement" × the shock, up to the
    // rounding of the printed cells ("Detail may not add to total due to rounding").
    const sum = r.impacts.reduce((s, x) => s + x.change, 0);
    expect(Math.abs(sum / ((t.total.totals[j] as number) * -33042.3) - 1)).toBeLessThan(1e-5);
  }, 60_000);

  it('I + TR · B from the published Table 7 and Table 5 is the industry inverse Keel rebuilds from the make table (1997)', () => {
    // BEA, Benchmark Input-Output Accounts of the United States, 1997 (Survey of Current Business, Dec 2002):
    // Table 7 (industry-by-commodity total requirements) and Table 5 (direct requirements), both after
    // redefinitions. Keel's L comes from Table 3 (make) and Table 5 by the BEA's derivation, not from Table 7,
    // so the two meet only if the identity L = I + TR · B holds; they agree to the six printed decimals.
    const { model } = beaTable();
    const published = {
      industries: model.industries,
      commodities: model.commodities,
      cells: rowsOf(
        denseFromCells(parseBeaCells(readBea('IndbyComTRSum.txt')), model.industries, model.commodities),
      ),
    };
    const direct = denseFromCells(
      parseBeaCells(readBea('IODirectRequirements.txt')),
      model.commodities,
      model.industries,
    );
    const inverse = industryInverse(published, direct);
    let worst = 0;
    for (let i = 0; i < model.leontief.data.length; i++)
      worst = Math.max(
        worst,
        Math.abs((inverse.leontief.data[i] as number) - (model.leontief.data[i] as number)),
      );
    expect(worst).toBeLessThan(1e-5);
    expect(inverse.smallestEntry).toBeGreaterThanOrEqual(0);
    // And the Ghosh impact read off the published tables equals Keel's Ghosh inverse (I − G)⁻¹ of the model.
    const output = new Map(model.industries.map((c, i) => [c, model.industryOutput[i] as number]));
    const table = { ...published, industryOutput: output, commodityOutput: output };
    const viaPublished = publishedShockImpact(table, '2122', -0.1, 'supply', inverse);
    const viaInverse = new Map(
      sectorShockImpact(model, '2122', -0.1, 'supply').map((x) => [x.industry, x.change]),
    );
    expect(viaPublished.impacts).toHaveLength(model.industries.length);
    // Each change is 0.1 · L[k, j] · g_j: L's agreement (1e-5) scaled by the shock and the industry's output.
    for (const x of viaPublished.impacts)
      expect(Math.abs(x.change - (viaInverse.get(x.industry) as number))).toBeLessThan(
        0.1 * 1e-5 * (output.get(x.industry) as number),
      );
  });

  it('Ghosh supply on the 2015 summary tables: one industry worked by hand from the parsed cells', async () => {
    const t = await publishedTables('summary', 2015);
    const { direct } = await directRequirements('summary', 2015);
    const table = {
      industries: t.total.industries.map((i) => i.code),
      commodities: t.total.commodities.map((c) => c.code),
      cells: t.total.cells,
      industryOutput: t.use.industryOutput,
      commodityOutput: t.use.commodityOutput,
    };
    const inverse = await industryInverseOf('summary', 2015);
    const r = publishedShockImpact(table, '331', -0.1, 'supply', inverse);
    expect(r.impacts).toHaveLength(table.industries.length); // no industry left out
    const k = table.industries.indexOf('331');
    const j = table.industries.indexOf('3361MV'); // motor vehicles buy primary metals
    let lkj = 0;
    for (let c = 0; c < table.commodities.length; c++)
      lkj += (t.total.cells[k]?.[c] as number) * get(direct, c, j);
    const g = t.use.industryOutput.get('3361MV') as number;
    expect(r.impacts.find((x) => x.industry === '3361MV')?.change).toBeCloseTo(-0.1 * lkj * g, 6);
    expect(r.shock).toBeCloseTo(-0.1 * (t.use.industryOutput.get('331') as number), 6);
    // The total requirements are after redefinitions, the use table before: L is no longer exactly ≥ 0, and
    // the mismatch stays small (measured: −0.0028 for 2015).
    expect(inverse.smallestEntry).toBeLessThan(0);
    expect(inverse.smallestEntry).toBeGreaterThan(-0.01);
  }, 60_000);

  it('refuses a code the table does not hold and a fraction outside [−1, 1]', () => {
    const table = {
      industries: ['A'],
      commodities: ['A'],
      cells: [[1.2]],
      industryOutput: new Map([['A', 10]]),
      commodityOutput: new Map([['A', 10]]),
    };
    expect(() => publishedShockImpact(table, 'B', -0.1, 'demand')).toThrow(/no commodity "B"/);
    expect(() => publishedShockImpact(table, 'B', -0.1, 'supply')).toThrow(/no industry "B"/);
    expect(() => publishedShockImpact(table, 'A', -0.1, 'supply')).toThrow(/needs the industry inverse/);
    expect(() => publishedShockImpact(table, 'A', -2, 'supply')).toThrow(/fraction/);
    expect(() => publishedShockImpact(table, 'A', Number.NaN, 'demand')).toThrow(/fraction/);
    expect(publishedShockImpact(table, 'A', 0.5, 'demand').impacts[0]?.change).toBeCloseTo(6, 12);
  });
});

describe('inverting the real 2007 detail table without pivoting', () => {
  const worstResidual = (m: ReturnType<typeof matrix>) => {
    const p = multiply(m, invert(m));
    let worst = 0;
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < m.rows; j++) worst = Math.max(worst, Math.abs(get(p, i, j) - (i === j ? 1 : 0)));
    return worst;
  };

  it('finds a scaling where plain diagonal dominance fails, and refuses one where none exists', () => {
    // Rows: 1 > 0.9 but 1 < 1.05; columns: 1 < 1.05. Yet det⟨m⟩ = 1 − 0.945 > 0: an H-matrix.
    const h = matrix(2, 2);
    h.data.set([1, -0.9, -1.05, 1]);
    expect(isDiagonallyDominant(h)).toBe(false);
    expect(isGeneralizedDiagonallyDominant(h)).toBe(true);
    const inv = invert(h); // = [1 0.9; 1.05 1] / 0.055
    expect(get(inv, 0, 0)).toBeCloseTo(1 / 0.055, 10);
    expect(get(inv, 0, 1)).toBeCloseTo(0.9 / 0.055, 10);
    const not = matrix(2, 2);
    not.data.set([1, 2, 3, 1]);
    expect(isGeneralizedDiagonallyDominant(not)).toBe(false);
    const zero = matrix(2, 2);
    zero.data.set([0, 1, 1, 0]);
    expect(isGeneralizedDiagonallyDominant(zero)).toBe(false);
  });

  it('I − B of the 2007 detail use table (389 × 389) is an H-matrix and its inverse checks out', async () => {
    const { direct } = await directRequirements('detail', DETAIL_YEAR);
    expect([direct.rows, direct.cols]).toEqual([389, 389]);
    // B = U ĝ⁻¹: oilseed farming's purchases of its own commodity, 2358 of an output of 21425 (use table D7, D401).
    expect(get(direct, 0, 0)).toBeCloseTo(2358 / 21425, 15);
    const m = identityMinus(direct);
    expect(isDiagonallyDominant(m)).toBe(false); // some industries buy more than a dollar per dollar of output
    expect(isGeneralizedDiagonallyDominant(m)).toBe(true);
    expect(worstResidual(m)).toBeLessThan(1e-12);
  }, 60_000);
});
