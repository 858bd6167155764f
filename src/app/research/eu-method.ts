/**
 * Keel's EU-method computation on the EU's own inputs (Annex 7 of the 2023 study) beside the published SR
 * of the 2023 assessment (Annex 4). Only what the annex gives is computed; what it lacks is said.
 */
import {
  EU_MISSING_INPUTS,
  type EuStage,
  type EuStageComputation,
  euStageComputation,
  type HhiWgiT,
  hhiWgiT,
} from '../../domain/research/release/eu-supply.ts';
import type { ReleaseMaterial } from '../../domain/research/release/materials.ts';
import { referenceCountries } from './reference-data.ts';
import { euSupplyRelease } from './release.ts';

const STAGES: EuStage[] = ['E', 'P'];
const EU_YEAR = 2023;

export interface EuComputation {
  year: number;
  /** The name Annex 7 gives the material. */
  supplyName: string;
  publishedSupplyRisk: string | null;
  stages: EuStageComputation[];
  /** The published SR against Keel's bracket, in words. */
  comparison: string;
  missingInputs: string;
  notes: string[];
  files: { global: string; sourcing: string };
}

function wgiLookup() {
  const countries = referenceCountries();
  // The median of the WGI economies, as for USGS's "Other countries" (the scoring rules say so).
  const median = countries.get('OTHER')?.wgi ?? 0;
  return (code: string) => {
    const c = countries.get(code);
    if (c && !c.wgiSource.startsWith('no WGI')) return { wgi: c.wgi, fallback: null };
    return { wgi: median, fallback: `no WGI 2022 figure, scored at the median (${median.toFixed(2)})` };
  };
}

export function euComputation(m: ReleaseMaterial): EuComputation | null {
  if (!m.eu) return null;
  const { global, sourcing } = euSupplyRelease();
  const name = m.eu.supplyName;
  const wgiOf = wgiLookup();
  const term = (rows: typeof global, stage: EuStage): HhiWgiT | null => {
    const mine = rows.filter((r) => r.material === name && r.stage === stage);
    return mine.length > 0 ? hhiWgiT(mine, wgiOf) : null;
  };
  const stages = STAGES.map((s) => euStageComputation(s, term(global, s), term(sourcing, s))).filter(
    (s) => s.global || s.sourcing,
  );
  const published = m.eu.assessments.find((a) => a.year === EU_YEAR)?.supplyRisk ?? null;
  const notes: string[] = [];
  if (stages.length === 0) {
    notes.push(
      /REE|PGM/.test(m.eu.material)
        ? `Annex 7 gives supply shares per element, not for the group "${m.eu.material}": not computed`
        : `Annex 7 has no supply shares for "${name}": not computed`,
    );
  }
  for (const s of stages) {
    for (const [label, t] of [
      ['global supply', s.global],
      ['EU sourcing', s.sourcing],
    ] as const) {
      if (!t) {
        notes.push(`stage ${s.stage}: no ${label} shares in Annex 7`);
        continue;
      }
      if (t.belowBound > 0)
        notes.push(`stage ${s.stage}, ${label}: ${t.belowBound} share(s) printed "<0.1%" counted as 0`);
      if (t.noPercentSign > 0)
        notes.push(
          `stage ${s.stage}, ${label}: ${t.noPercentSign} share(s) printed without "%" in the transcription, read as percent`,
        );
      if (t.coverage < 0.995)
        notes.push(
          `stage ${s.stage}, ${label}: the annex itemises ${(100 * t.coverage).toFixed(1)}% of supply (EU sourcing lists shares ≥ 1% only)`,
        );
      for (const f of t.fallbacks) notes.push(`stage ${s.stage}, ${label}: ${f}`);
    }
  }
  const bracketed = stages.filter((s) => s.bracket);
  const unbracketed = stages.filter((s) => !s.bracket).map((s) => s.stage);
  const upper = Math.max(0, ...bracketed.map((s) => s.bracket?.upper ?? 0));
  const pub = published?.value ?? null;
  const partly =
    unbracketed.length > 0 && bracketed.length > 0
      ? ` (stage ${bracketed.map((s) => s.stage).join(', ')} only: stage ${unbracketed.join(', ')} lacks one of the two supply terms in the annex, and the published SR may be that stage's)`
      : '';
  const comparison =
    pub === null
      ? `no published SR for ${EU_YEAR} ("${published?.text ?? 'not in Annex 4'}")`
      : bracketed.length === 0
        ? `published SR ${pub}; Keel cannot bound it: the annex lacks ${stages.length === 0 ? 'the supply shares' : 'one of the two supply terms'}`
        : pub <= upper + 0.05
          ? `published SR ${pub} lies within Keel's bound of at most ${upper.toFixed(2)}${partly} (the published SR is rounded to 0.1); the implied (1 − EoL-RIR)·SI_SR factor is at least ${Math.min(1, pub / upper).toFixed(2)}`
          : `published SR ${pub} exceeds Keel's bound of ${upper.toFixed(2)}${partly}: the inputs differ (Keel's WGI is the 2022 update, the study's may be of another year; the annex's shares are rounded and EU sourcing lists only shares of at least 1%)`;
  return {
    year: EU_YEAR,
    supplyName: name,
    publishedSupplyRisk: published?.text ?? null,
    stages,
    comparison,
    missingInputs: EU_MISSING_INPUTS,
    notes,
    files: {
      global: 'data/research/eu-crm-2023/Data/fact_GlobalSupplyShares&t.csv',
      sourcing: 'data/research/eu-crm-2023/Data/fact_EUSupplyShares&t.csv',
    },
  };
}
