/**
 * The USGS Mineral Commodity Summaries 2025 data release (doi:10.5066/P13XCP3R), read as published: the world
 * production and reserves table, the per-commodity salient statistics and Figure 2 (net import reliance and
 * major import sources). Every figure keeps where it was read (file, row, column) and the text USGS printed,
 * so ">75", "W" (withheld to avoid disclosing company proprietary data), "E" (net exporter) and "NA" stay
 * what they are; numbers are only parsed from cells that hold a plain number.
 */

import { type CountryRef, countryRef } from './country-codes.ts';
import { cleanCell, cleanHeader, parseCsv, parseCsvRecords } from './csv.ts';

/** Where a figure was read: the file (path inside the release), the 1-based line, the column as printed. */
export interface Provenance {
  file: string;
  row: number;
  column: string;
}

export interface Published {
  /** The cell as USGS printed it (non-breaking spaces made plain, ends trimmed). */
  text: string;
  /** The number when the cell is a plain number (thousands separators allowed), otherwise null. */
  value: number | null;
  at: Provenance;
}

const NUMBER = /^-?\d[\d,]*(\.\d+)?$|^-?\.\d+$/;

export function published(text: string, at: Provenance): Published {
  const clean = cleanCell(text);
  return { text: clean, value: NUMBER.test(clean) ? Number(clean.replace(/,/g, '')) : null, at };
}

/** Rows of a file as header-keyed records; keys are headers without spaces, provenance keeps them as printed. */
function records(file: string, text: string): { row: number; cell: (key: string) => Published }[] {
  const [head, ...rows] = parseCsvRecords(text);
  if (!head) throw new Error(`${file}: empty file`);
  const header = head.cells;
  const index = new Map(header.map((h, i) => [cleanHeader(h), i]));
  return rows.map(({ line, cells }) => ({
    row: line,
    cell: (key: string) => {
      const at = index.get(key);
      if (at === undefined)
        throw new Error(`${file}: no column ${key} (columns: ${[...index.keys()].join(', ')})`);
      return published(cells[at] ?? '', { file, row: line, column: header[at] as string });
    },
  }));
}

// ---------------------------------------------------------------------------------------------------------
// World production, capacity and reserves

export const WORLD_FILE = 'world_data/MCS2025_World_Data.csv';
export const RELEASE_YEARS = [2023, 2024] as const;
export type ReleaseYear = (typeof RELEASE_YEARS)[number];

export interface WorldRow {
  row: number;
  /** Commodity and type as printed, trimmed (USGS's own spelling, e.g. "Gemanium"). */
  commodity: string;
  type: string;
  unit: string;
  country: string;
  ref: CountryRef;
  production: Record<ReleaseYear, Published>;
  productionNotes: string;
  capacity: Record<ReleaseYear, Published>;
  reserves: Published;
  reserveNotes: string;
}

export function parseWorldData(text: string): WorldRow[] {
  return records(WORLD_FILE, text)
    .filter((r) => r.cell('COMMODITY').text !== '')
    .map((r) => ({
      row: r.row,
      commodity: r.cell('COMMODITY').text,
      type: r.cell('TYPE').text,
      unit: r.cell('UNIT_MEAS').text,
      country: r.cell('COUNTRY').text,
      ref: countryRef(r.cell('COUNTRY').text),
      production: { 2023: r.cell('PROD_2023'), 2024: r.cell('PROD_EST_2024') },
      productionNotes: r.cell('PROD_NOTES').text,
      capacity: { 2023: r.cell('CAP_2023'), 2024: r.cell('CAP_EST_2024') },
      reserves: r.cell('RESERVES_2024'),
      reserveNotes: r.cell('RESERVE_NOTES').text,
    }));
}

/** Which rows of the world table a material's figures come from. */
export interface WorldSelector {
  commodity: string;
  type: string;
  /** Only where the table prints more than one world total for the type (titanium mineral concentrates). */
  worldTotal?: string;
}

export interface CountryShare {
  /** ISO 3166 alpha-2, or OTHER for USGS's "Other countries". */
  code: string;
  country: string;
  amount: number;
  /** Fraction of USGS's world total (the total as printed, rounded by USGS). */
  share: number;
  at: Provenance;
}

export interface ProductionShares {
  year: ReleaseYear;
  unit: string;
  /** USGS's world total; null when USGS withholds or does not print it. */
  worldTotal: Published;
  status: 'reported' | 'withheld';
  shares: CountryShare[];
  /** Countries listed without a production figure for the year (blank, "W", "NA"). */
  notReported: { country: string; text: string; note: string; at: Provenance }[];
  /** True when US production is withheld ("W") and USGS's world total excludes it. */
  usWithheld: boolean;
  /** The US row's production cell as printed (a number, "W", blank); null when the table lists no US row. */
  us: Published | null;
  /** What Keel says about the figures, in words (e.g. that US production is excluded and why). */
  notes: string[];
}

export function selectWorldRows(rows: readonly WorldRow[], sel: WorldSelector): WorldRow[] {
  const chosen = rows.filter((r) => r.commodity === sel.commodity && r.type === sel.type);
  if (chosen.length === 0) throw new Error(`${WORLD_FILE}: no rows for ${sel.commodity} / ${sel.type}`);
  return chosen;
}

function worldRow(rows: readonly WorldRow[], sel: WorldSelector): WorldRow {
  const totals = rows.filter(
    (r) => r.ref.kind === 'world' && (!sel.worldTotal || r.country === sel.worldTotal),
  );
  if (totals.length !== 1) {
    throw new Error(`${WORLD_FILE}: ${totals.length} world totals for ${sel.commodity} / ${sel.type}`);
  }
  return totals[0] as WorldRow;
}

const WITHHELD_NOTE = /^W\b/;

/** Production shares by country of USGS's world total for one year. */
export function productionShares(
  all: readonly WorldRow[],
  sel: WorldSelector,
  year: ReleaseYear,
): ProductionShares {
  const rows = selectWorldRows(all, sel);
  const world = worldRow(rows, sel);
  const total = world.production[year];
  const us = rows.find((r) => r.ref.kind === 'country' && r.ref.code === 'US');
  const usWithheld =
    !!us &&
    us.production[year].value === null &&
    (us.production[year].text === 'W' || WITHHELD_NOTE.test(us.productionNotes));
  const notes: string[] = [];
  if (usWithheld) {
    notes.push(
      `US production withheld by USGS ("W": company proprietary data); the shares are of USGS's world total, which ${
        /exclud/i.test(world.productionNotes) ? 'excludes' : 'does not itemise'
      } US production`,
    );
  }
  if (total.value === null || total.value <= 0) {
    return {
      year,
      unit: world.unit,
      worldTotal: total,
      status: 'withheld',
      shares: [],
      notReported: [],
      usWithheld,
      us: us ? us.production[year] : null,
      notes: [...notes, 'world production withheld by USGS (no figure in the release)'],
    };
  }
  const shares: CountryShare[] = [];
  const notReported: ProductionShares['notReported'] = [];
  for (const r of rows) {
    if (r === world || r.ref.kind === 'group' || r.ref.kind === 'world') continue;
    const cell = r.production[year];
    if (r.ref.kind === 'unknown')
      throw new Error(`${WORLD_FILE} row ${r.row}: unknown country "${r.country}"`);
    const code = r.ref.kind === 'other' ? 'OTHER' : r.ref.code;
    if (cell.value === null) {
      notReported.push({ country: r.country, text: cell.text, note: r.productionNotes, at: cell.at });
      continue;
    }
    if (cell.value === 0) continue;
    shares.push({
      code,
      country: r.country,
      amount: cell.value,
      share: cell.value / total.value,
      at: cell.at,
    });
  }
  shares.sort((a, b) => b.share - a.share);
  return {
    year,
    unit: world.unit,
    worldTotal: total,
    status: 'reported',
    shares,
    notReported,
    usWithheld,
    us: us ? us.production[year] : null,
    notes,
  };
}

/** The largest single country (OTHER excluded) of a year's shares, or null when production is withheld. */
export function leadingProducer(p: ProductionShares): CountryShare | null {
  return p.shares.find((s) => s.code !== 'OTHER') ?? null;
}

export interface CountryReserve {
  code: string;
  country: string;
  reserves: Published;
  note: string;
}

/** Reserves by country as printed (numbers, ">90000000", "NA", blank) and the world total. */
export function reserves(
  all: readonly WorldRow[],
  sel: WorldSelector,
): { world: Published; byCountry: CountryReserve[] } {
  const rows = selectWorldRows(all, sel);
  const world = worldRow(rows, sel);
  return {
    world: world.reserves,
    byCountry: rows
      .filter((r) => r.ref.kind === 'country' || r.ref.kind === 'other')
      .map((r) => ({
        code: r.ref.kind === 'country' ? r.ref.code : 'OTHER',
        country: r.country,
        reserves: r.reserves,
        note: r.reserveNotes,
      })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Salient statistics (one file per commodity, 2020–2024)

export const SALIENT_DIR = 'salient_commodity';
export const SALIENT_YEARS = [2020, 2021, 2022, 2023, 2024] as const;

export interface Salient {
  file: string;
  /** The commodity as the file names it. */
  commodity: string;
  years: number[];
  /** Every column of every year as printed; keys are headers without spaces. */
  cell: (year: number, column: string) => Published;
  columns: string[];
}

export function parseSalient(fileName: string, text: string): Salient {
  const file = `${SALIENT_DIR}/${fileName}`;
  const rows = records(file, text).filter((r) => /^\d{4}$/.test(r.cell('Year').text));
  if (rows.length === 0) throw new Error(`${file}: no year rows`);
  const byYear = new Map(rows.map((r) => [Number(r.cell('Year').text), r]));
  const [header] = parseCsv(text);
  return {
    file,
    commodity: rows[0]?.cell('Commodity').text ?? '',
    years: [...byYear.keys()],
    columns: (header ?? []).map(cleanHeader),
    cell: (year, column) => {
      const r = byYear.get(year);
      if (!r) throw new Error(`${file}: no row for ${year}`);
      return r.cell(column);
    },
  };
}

export interface YearText {
  year: number;
  /** Exactly as USGS prints it: "85", ">75", "<25", "E", "NA", "W". */
  text: string;
  at: Provenance;
}

/** A column over the release's years (2020–2024), text as printed. */
export function series(s: Salient, column: string): YearText[] {
  return s.years.map((year) => {
    const cell = s.cell(year, column);
    return { year, text: cell.text, at: cell.at };
  });
}

/**
 * Net import reliance as a fraction for scoring, and how the text was read. USGS prints a number, a bound
 * (">75", "<25"), "E" (net exporter) or "NA". Keel scores a bound at the bound itself (">75" → 0.75,
 * "<25" → 0.25: the figure USGS vouches for, never a guess beyond it), "E" as 0 (no import reliance), and
 * gives no figure for anything else, so scores that need it are not computed and say why.
 */
export function relianceForScoring(text: string): { fraction: number | null; reading: string } {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return { fraction: Number(t) / 100, reading: `${t}% as printed` };
  const bound = /^([<>])\s*(\d+(\.\d+)?)$/.exec(t);
  if (bound) {
    return {
      fraction: Number(bound[2]) / 100,
      reading: `"${t}" scored at the bound, ${bound[2]}%`,
    };
  }
  if (t === 'E') return { fraction: 0, reading: '"E": net exporter, scored as 0%' };
  return {
    fraction: null,
    reading: `"${t}": no figure in the release; scores that need it are not computed`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Figure 2: net import reliance 2024 and the major import sources 2020–23, in order

export const FIG2_FILE = 'industry_trends/MCS2025_Fig2_Net_Import_Reliance.csv';

export interface ImportSource {
  /** The country as USGS names it, footnote digits removed ("China3" → "China"). */
  country: string;
  code: string;
}

export interface Fig2Row {
  row: number;
  commodity: string;
  netImportReliance2024: Published;
  /** In descending order of import share (USGS publishes the order, not the shares). */
  sources: ImportSource[];
  sourcesAt: Provenance;
  notes: string;
}

export function parseFig2(text: string): Fig2Row[] {
  return records(FIG2_FILE, text)
    .filter((r) => r.cell('Commodity').text !== '')
    .map((r) => {
      const list = r.cell('Major_Import_Sources_2020_2023');
      return {
        row: r.row,
        commodity: r.cell('Commodity').text,
        netImportReliance2024: r.cell('Net_Import_Reliance_pct_2024'),
        sources: list.text
          .split(',')
          .map((n) => cleanCell(n))
          .filter((n) => n !== '')
          .map((n) => {
            const ref = countryRef(n);
            if (ref.kind !== 'country') throw new Error(`${FIG2_FILE} row ${r.row}: "${n}" is not a country`);
            return { country: n.replace(/\d+$/, ''), code: ref.code };
          }),
        sourcesAt: list.at,
        notes: r.cell('Notes').text,
      };
    });
}

// ---------------------------------------------------------------------------------------------------------
// Table 4: the primary applications of each critical mineral, in words (no shares)

export const T4_FILE = 'industry_trends/MCS2025_T4_Critical_Minerals_End_Use.csv';

export interface Application {
  /** The mineral as Table 4 names it (trailing spaces trimmed). */
  mineral: string;
  text: string;
  at: Provenance;
}

export function parseT4(text: string): Application[] {
  return records(T4_FILE, text)
    .filter((r) => r.cell('CriticalMineral').text !== '')
    .map((r) => {
      const cell = r.cell('PrimaryApplications');
      return { mineral: r.cell('CriticalMineral').text, text: cell.text, at: cell.at };
    });
}
