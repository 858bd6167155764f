/**
 * World Bank, Worldwide Governance Indicators, 2023 update (data year 2022), as shipped: for each economy the
 * mean of the six estimates rescaled to 0–1 as (mean + 2.5) / 5. Keel reads the file and recovers the WGI
 * scale (−2.5 … +2.5) as 5·value − 2.5; nothing is rounded.
 */

import { countryRef } from './country-codes.ts';
import { parseCsvRecords } from './csv.ts';
import { type Provenance, published } from './usgs-mcs.ts';

export const WGI_FILE = 'worldbank_governence_indicator_2022_normalised.csv';

export interface Governance {
  code: string;
  name: string;
  /** Mean of the six WGI estimates, −2.5 (worst) … +2.5 (best). */
  wgi: number;
  /** The 0–1 value as printed. */
  printed: string;
  at: Provenance;
}

export function parseWgi(text: string): Governance[] {
  const [header, ...rows] = parseCsvRecords(text);
  const column = header?.cells[1] ?? '2022';
  return rows
    .filter(({ cells }) => (cells[0] ?? '').trim() !== '')
    .map(({ line, cells }) => {
      const name = (cells[0] as string).trim();
      const ref = countryRef(name);
      if (ref.kind !== 'country')
        throw new Error(`${WGI_FILE} row ${line}: "${name}" is not in the country table`);
      const cell = published(cells[1] ?? '', { file: WGI_FILE, row: line, column });
      if (cell.value === null) throw new Error(`${WGI_FILE} row ${line}: no value`);
      return { code: ref.code, name, wgi: 5 * cell.value - 2.5, printed: cell.text, at: cell.at };
    });
}
