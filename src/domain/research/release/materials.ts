/**
 * A material's figures, derived from the releases by the selectors in data/research/materials.json (which
 * rows of which file hold the material). Nothing here is typed: a figure is read, or it is reported missing
 * with the reason the release gives ("withheld by USGS", "not in the release").
 */
import { z } from 'zod';
import type { EuAssessment } from './eu-crm.ts';
import {
  type Application,
  type Fig2Row,
  type ImportSource,
  leadingProducer,
  type ProductionShares,
  type Provenance,
  type Published,
  productionShares,
  RELEASE_YEARS,
  relianceForScoring,
  reserves,
  type Salient,
  series,
  type WorldRow,
  type WorldSelector,
  type YearText,
} from './usgs-mcs.ts';

export const materialSelectorSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string().min(1),
  /** Rows of the world table (production and reserves by country); absent when the release has none. */
  world: z.object({ commodity: z.string(), type: z.string(), worldTotal: z.string().optional() }).optional(),
  /** The salient-statistics file and the columns of this material (keys without spaces). */
  salient: z
    .object({
      file: z.string(),
      netImportReliance: z.string(),
      usPrimaryProduction: z.string().optional(),
      apparentConsumption: z.string().optional(),
    })
    .optional(),
  /** The commodity as Figure 2 names it (import sources in order). */
  fig2: z.string().optional(),
  /** The material as the EU annex names it. */
  eu: z.string().optional(),
  /** The material as Annex 7 (supply shares) names it, where its transcription spells it otherwise than Annex 4. */
  euSupply: z.string().optional(),
  /** Export controls in force (EU method t = 1.2); the catalogue cites the announcements. */
  exportRestrictedBy: z.array(z.string().regex(/^[A-Z]{2}$/)).default([]),
  /** Why a material has no rows in a release, in words (shown where figures would be). */
  coverageNote: z.string().optional(),
  /** The minerals of the 2022 US critical-minerals list (87 FR 10381) this entry stands for. */
  criticalMinerals2022: z.array(z.string()).default([]),
});
export type MaterialSelector = z.infer<typeof materialSelectorSchema>;

export interface Release {
  /** Table 4 of the USGS release (absent in tests that build a release by hand). */
  applications?: readonly Application[];
  world: readonly WorldRow[];
  fig2: readonly Fig2Row[];
  salient: ReadonlyMap<string, Salient>;
  eu: readonly EuAssessment[];
}

export interface LeadingProducer {
  country: string;
  code: string;
  sharePct: number;
  year: number;
  at: Provenance;
}

export interface ReleaseMaterial {
  id: string;
  name: string;
  /** The commodity as the release names it (Figure 2's name where it lists the material, else the salient file's). */
  usgsCommodity: string | null;
  stage: string | null;
  unit: string | null;
  /** World production shares for 2023 and 2024e; empty when the release has no world rows. */
  production: ProductionShares[];
  /** Largest producer in the latest year with a reported world total; null when USGS withholds it. */
  leadingProducer: LeadingProducer | null;
  /** The leading producer's and the US's share of world production in each year of the release. */
  shareTrend: ShareTrendYear[];
  reserves: ReturnType<typeof reserves> | null;
  /** 2020–2024 as printed. */
  netImportReliance: YearText[];
  latestNetImportReliance: YearText | null;
  importSources: { sources: ImportSource[]; period: string; at: Provenance } | null;
  usPrimaryProduction: YearText[];
  apparentConsumption: YearText[];
  eu: { material: string; supplyName: string; assessments: EuAssessment[] } | null;
  exportRestrictedBy: string[];
  criticalMinerals2022: string[];
  /** USGS Table 4's primary applications of the minerals this entry stands for, in words (no shares). */
  applications: Application[];
  /** What the release lacks for this material, in words. */
  missing: string[];
}

export const WITHHELD = 'withheld by USGS';

/** A country's share in one year: the row's figure over USGS's world total, or why there is none. */
export interface YearShare {
  /** Percent of USGS's world total; null when the row or the total has no figure. */
  sharePct: number | null;
  /** The row's production cell as printed ("W", blank, "62,300"); "" when the table lists no row. */
  text: string;
  /** USGS withholds the figure ("W" in the cell or the notes) to avoid disclosing company data. */
  withheld: boolean;
  at: Provenance | null;
}

/**
 * The release has two years of world production, 2023 and 2024e; "over the release's years" means those.
 * The leader is the latest year's leading producer (the same country in every year, so the line is one
 * country's path); `leaderOfYear` names each year's own largest producer, which may differ.
 */
export interface ShareTrendYear {
  year: number;
  status: 'reported' | 'withheld';
  worldTotal: { text: string; at: Provenance };
  leaderOfYear: string | null;
  leader: YearShare;
  us: YearShare;
}

function yearShare(cell: Published | null | undefined, total: number | null, withheld: boolean): YearShare {
  if (!cell) return { sharePct: null, text: '', withheld: false, at: null };
  return {
    sharePct: cell.value !== null && total !== null && total > 0 ? (100 * cell.value) / total : null,
    text: cell.text,
    withheld: withheld || cell.text === 'W',
    at: cell.at,
  };
}

export function shareTrend(
  production: readonly ProductionShares[],
  leader: { code: string; country: string } | null,
): ShareTrendYear[] {
  return production.map((p) => {
    const total = p.status === 'reported' ? p.worldTotal.value : null;
    const lead = leader ? p.shares.find((s) => s.code === leader.code) : undefined;
    // A leader whose row prints no figure this year ("W", blank) keeps its text, not a share.
    const unreported = leader ? p.notReported.find((r) => r.country === leader.country) : undefined;
    const leadCell: Published | null = lead
      ? { text: String(lead.amount), value: lead.amount, at: lead.at }
      : unreported
        ? { text: unreported.text, value: null, at: unreported.at }
        : null;
    return {
      year: p.year,
      status: p.status,
      worldTotal: { text: p.worldTotal.text, at: p.worldTotal.at },
      leaderOfYear: leadingProducer(p)?.code ?? null,
      leader: yearShare(leadCell, total, false),
      us: yearShare(p.us, total, p.usWithheld),
    };
  });
}

export function deriveMaterial(sel: MaterialSelector, release: Release): ReleaseMaterial {
  const missing: string[] = [];
  if (sel.coverageNote) missing.push(sel.coverageNote);
  const production = sel.world
    ? RELEASE_YEARS.map((y) => productionShares(release.world, sel.world as WorldSelector, y))
    : [];
  if (!sel.world) missing.push('world production: not in the USGS release');
  const latest = [...production].reverse().find((p) => p.status === 'reported');
  if (sel.world && !latest) missing.push(`world production: ${WITHHELD}`);
  const lead = latest ? leadingProducer(latest) : null;

  const salient = sel.salient ? release.salient.get(sel.salient.file) : undefined;
  if (sel.salient && !salient)
    throw new Error(`materials.json ${sel.id}: no salient file ${sel.salient.file}`);
  const fig2 = sel.fig2 ? release.fig2.find((f) => f.commodity === sel.fig2) : undefined;
  if (sel.fig2 && !fig2) throw new Error(`materials.json ${sel.id}: Figure 2 has no commodity "${sel.fig2}"`);
  // Without salient statistics (cesium, rubidium), Figure 2's 2024 figure is the only year the release gives.
  const nir: YearText[] =
    salient && sel.salient
      ? series(salient, sel.salient.netImportReliance)
      : fig2
        ? [{ year: 2024, text: fig2.netImportReliance2024.text, at: fig2.netImportReliance2024.at }]
        : [];
  const latestNir = nir.at(-1) ?? null;
  if (!latestNir) missing.push('US net import reliance: not in the USGS release');
  else if (relianceForScoring(latestNir.text).fraction === null) {
    missing.push(`US net import reliance ${latestNir.year}: "${latestNir.text}" (no figure)`);
  }

  if (!fig2) missing.push('major import sources: not in Figure 2 of the release');

  const eu = sel.eu ? release.eu.filter((a) => a.material === sel.eu) : [];
  if (sel.eu && eu.length === 0) throw new Error(`materials.json ${sel.id}: the EU annex has no "${sel.eu}"`);

  return {
    id: sel.id,
    name: sel.name,
    usgsCommodity: fig2?.commodity ?? salient?.commodity ?? sel.world?.commodity ?? null,
    stage: sel.world?.type ?? null,
    unit: production[0]?.unit ?? null,
    production,
    leadingProducer:
      lead && latest
        ? {
            country: lead.country,
            code: lead.code,
            sharePct: 100 * lead.share,
            year: latest.year,
            at: lead.at,
          }
        : null,
    shareTrend: shareTrend(production, lead ?? null),
    reserves: sel.world ? reserves(release.world, sel.world) : null,
    netImportReliance: nir,
    latestNetImportReliance: latestNir,
    importSources: fig2 ? { sources: fig2.sources, period: '2020–23', at: fig2.sourcesAt } : null,
    usPrimaryProduction:
      salient && sel.salient?.usPrimaryProduction ? series(salient, sel.salient.usPrimaryProduction) : [],
    apparentConsumption:
      salient && sel.salient?.apparentConsumption ? series(salient, sel.salient.apparentConsumption) : [],
    eu: sel.eu ? { material: sel.eu, supplyName: sel.euSupply ?? sel.eu, assessments: eu } : null,
    exportRestrictedBy: sel.exportRestrictedBy,
    criticalMinerals2022: sel.criticalMinerals2022,
    applications: (release.applications ?? []).filter((a) =>
      sel.criticalMinerals2022.includes(a.mineral.toLowerCase()),
    ),
    missing,
  };
}

/**
 * World shares for scoring (code → fraction) from the latest reported year. Shares are of USGS's world
 * total; where the itemised rows add up to more than USGS's rounded total (antimony 2024: 103,960 t against
 * 100,000 t), they are taken of the rows' sum instead so that they add up to 100%, and the reading says so.
 */
export function sharesForScoring(
  m: ReleaseMaterial,
): { shares: Record<string, number>; reading: string } | null {
  const latest = [...m.production].reverse().find((p) => p.status === 'reported');
  if (!latest) return null;
  const total = latest.worldTotal.value as number;
  const itemised = latest.shares.reduce((s, x) => s + x.amount, 0);
  const base = Math.max(total, itemised);
  const shares: Record<string, number> = {};
  for (const s of latest.shares) shares[s.code] = (shares[s.code] ?? 0) + s.amount / base;
  const reading =
    base > total
      ? `${latest.year}: shares of the itemised rows' sum (${itemised}), which exceeds USGS's rounded world total (${total})`
      : `${latest.year}: shares of USGS's world total (${total} ${latest.unit})`;
  return { shares, reading: [reading, ...latest.notes].join('; ') };
}
