/**
 * Annex 7 of the EU CRM 2023 study in the shipped transcription: the global supply shares and the EU
 * sourcing shares (≥ 1%) per material, stage (E extraction, P processing) and country, each with the
 * trade-related variable t the Commission applied. With the WGI these are the inputs of the two HHI_WGI,t
 * terms of the EU supply risk; the annex does not give the import reliance (IR), the end-of-life recycling
 * input rate (EoL-RIR) or the substitution index (SI_SR), so Keel does not compute a full SR from it.
 */
import { euScaledWgi } from '../criticality.ts';
import { countryRef } from './country-codes.ts';
import { parseCsvRecords } from './csv.ts';
import type { Provenance } from './usgs-mcs.ts';

export const EU_GLOBAL_FILE = 'Data/fact_GlobalSupplyShares&t.csv';
export const EU_SOURCING_FILE = 'Data/fact_EUSupplyShares&t.csv';

export type EuStage = 'E' | 'P';

export interface EuShareRow {
  material: string;
  stage: EuStage;
  country: string;
  code: string;
  /** As printed: "62.8%", "<0.1%". */
  text: string;
  /** The fraction; a "<x%" bound is counted as 0 (`belowBound` says so). */
  share: number;
  belowBound: boolean;
  /** Printed without "%" (one row of the transcription, "6"): read as percent like the rest of the column. */
  noPercentSign: boolean;
  t: number;
  at: Provenance;
}

export function parseEuShares(file: string, text: string): EuShareRow[] {
  const [head, ...rows] = parseCsvRecords(text);
  const header = (head?.cells ?? []).map((h) => h.trim());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column ${name}`);
    return i;
  };
  const [m, st, c, sh, t] = [col('Material'), col('Stage'), col('Country'), col('Share'), col('t')];
  return rows
    .filter(({ cells }) => (cells[m] ?? '').trim() !== '')
    .map(({ line, cells }) => {
      const country = (cells[c] ?? '').trim();
      const ref = countryRef(country);
      if (ref.kind !== 'country') throw new Error(`${file} row ${line}: "${country}" is not a country`);
      const printed = (cells[sh] ?? '').trim();
      const pct = /^(<)?\s*(\d+(\.\d+)?)(%?)$/.exec(printed);
      if (!pct) throw new Error(`${file} row ${line}: share "${printed}" is not a percentage`);
      const stage = (cells[st] ?? '').trim();
      if (stage !== 'E' && stage !== 'P') throw new Error(`${file} row ${line}: stage "${stage}"`);
      const tv = Number((cells[t] ?? '').trim());
      if (!Number.isFinite(tv) || tv <= 0) throw new Error(`${file} row ${line}: t "${cells[t]}"`);
      return {
        material: (cells[m] ?? '').trim(),
        stage,
        country,
        code: ref.code,
        text: printed,
        share: pct[1] ? 0 : Number(pct[2]) / 100,
        belowBound: !!pct[1],
        noPercentSign: pct[4] === '',
        t: tv,
        at: { file, row: line, column: 'Share' },
      };
    });
}

export interface HhiWgiT {
  /** Σ s² · WGI(0–10) · t over the rows given, with the annex's own t. */
  value: number;
  /** Σ s: how much of supply the annex itemises. */
  coverage: number;
  rows: number;
  /** Rows printed as "<x%", counted as 0. */
  belowBound: number;
  /** Rows printed without "%", read as percent. */
  noPercentSign: number;
  /** Countries scored at the fallback governance figure, in words. */
  fallbacks: string[];
}

/**
 * The EU's HHI_WGI,t of one material and stage (Blengini et al. 2017, §3): WGI scaled 0–10, t as the annex
 * prints it. `wgiOf` gives a country's WGI (−2.5…2.5) and, where the release has none, the figure Keel
 * scores it at and why.
 */
export function hhiWgiT(
  rows: readonly EuShareRow[],
  wgiOf: (code: string) => { wgi: number; fallback: string | null },
): HhiWgiT {
  let value = 0;
  let coverage = 0;
  const fallbacks = new Set<string>();
  for (const r of rows) {
    const g = wgiOf(r.code);
    if (g.fallback && r.share > 0) fallbacks.add(`${r.country}: ${g.fallback}`);
    value += r.share * r.share * euScaledWgi(g.wgi) * r.t;
    coverage += r.share;
  }
  return {
    value,
    coverage,
    rows: rows.length,
    belowBound: rows.filter((r) => r.belowBound).length,
    noPercentSign: rows.filter((r) => r.noPercentSign).length,
    fallbacks: [...fallbacks],
  };
}

export interface EuStageComputation {
  stage: EuStage;
  global: HhiWgiT | null;
  sourcing: HhiWgiT | null;
  /**
   * [HHI_GS · IR/2 + HHI_EU · (1 − IR/2)] over IR ∈ [0, 1]: the SR before the (1 − EoL-RIR) · SI_SR factor,
   * which lies in [0, 1]; so the published SR can be at most `upper`. Null without both terms.
   */
  bracket: { lower: number; upper: number } | null;
}

export function euStageComputation(
  stage: EuStage,
  global: HhiWgiT | null,
  sourcing: HhiWgiT | null,
): EuStageComputation {
  const bracket =
    global && sourcing
      ? (() => {
          const atNoImports = sourcing.value;
          const atFullImports = (global.value + sourcing.value) / 2;
          return { lower: Math.min(atNoImports, atFullImports), upper: Math.max(atNoImports, atFullImports) };
        })()
      : null;
  return { stage, global, sourcing, bracket };
}

/** What the annex lacks for a full SR, in words (shown beside every computation). */
export const EU_MISSING_INPUTS =
  'The annex gives the global and EU sourcing shares with t, not the import reliance (IR), the end-of-life recycling input rate (EoL-RIR) or the substitution index (SI_SR): Keel computes the two HHI_WGI,t terms and the range of [HHI_GS·IR/2 + HHI_EU·(1 − IR/2)] over IR from 0 to 1; the published SR is that bracket times (1 − EoL-RIR)·SI_SR, a factor in [0, 1] Keel cannot compute from the annex.';
