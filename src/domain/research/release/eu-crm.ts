/**
 * European Commission, Study on the Critical Raw Materials for the EU 2023, Annex 4 (supply risk and economic
 * importance of the 2011, 2014, 2017, 2020 and 2023 assessments), in the third-party transcription shipped in
 * data/research/eu-crm-2023. "-" means the material was not assessed that year.
 */
import { parseCsvRecords } from './csv.ts';
import { type Provenance, type Published, published } from './usgs-mcs.ts';

export const EU_FILE = 'Data/dimension_CRMsOverTime.csv';

export interface EuAssessment {
  material: string;
  year: number;
  supplyRisk: Published;
  economicImportance: Published;
}

export function parseEuAssessments(text: string): EuAssessment[] {
  const [head, ...rows] = parseCsvRecords(text);
  const header = head?.cells;
  const col = (name: string) => {
    const i = header?.findIndex((h) => h.trim() === name) ?? -1;
    if (i < 0) throw new Error(`${EU_FILE}: no column ${name}`);
    return i;
  };
  const [m, y, sr, ei] = [col('Material'), col('Year'), col('SR'), col('EI')];
  return rows
    .filter(({ cells }) => (cells[m] ?? '').trim() !== '')
    .map(({ line, cells: r }) => {
      const at = (column: string): Provenance => ({ file: EU_FILE, row: line, column });
      return {
        material: (r[m] as string).replace(/\s+/g, ' ').trim(),
        year: Number(r[y]),
        supplyRisk: published(r[sr] ?? '', at('SR')),
        economicImportance: published(r[ei] ?? '', at('EI')),
      };
    });
}
