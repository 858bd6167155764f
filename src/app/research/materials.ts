/**
 * The materials of the research engine as the releases state them: one summary per material, each figure
 * with the publication, file, row and column it was read from. Public data: no database, no authorisation.
 */
import type { ReleaseMaterial, YearShare } from '../../domain/research/release/materials.ts';
import { type Provenance, relianceForScoring } from '../../domain/research/release/usgs-mcs.ts';
import { SCORING_RULES } from '../../domain/research/scores.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor } from '../context.ts';
import { type EuComputation, euComputation } from './eu-method.ts';
import { referenceMaterials } from './reference-data.ts';
import { RELEASES } from './release.ts';

const USGS = 'usgs-mcs-2025';

export interface MaterialSource {
  /** Which figure this source gives. */
  figure: string;
  publication: string;
  file: string;
  row: number;
  column: string;
}

export interface MaterialSummary {
  id: string;
  name: string;
  /** The commodity as the release names it (Figure 2's name where it lists the material). */
  usgsCommodity: string | null;
  /** The latest year of the salient statistics, text exactly as USGS prints it (">95", "85", "E", "NA"). */
  netImportReliance: { year: number; text: string } | null;
  /** The first of the major import sources 2020–23 (Figure 2 lists them in order), as USGS names it. */
  primaryImportSource: string | null;
  importSources: string[];
  /** The largest producer in the latest year with a world total; null when USGS withholds world production. */
  leadingProducer: { country: string; code: string; sharePct: number; year: number } | null;
  /** The production stage the shares are of (the world table's type). */
  stage: string | null;
  /** What the release lacks for this material, in words. */
  missing: string[];
  sources: MaterialSource[];
}

/** The file as a path in the repository (data/research/<release>/<file>). */
const source = (figure: string, publication: string, folder: string, at: Provenance): MaterialSource => ({
  figure,
  publication,
  ...at,
  file: `data/research/${folder}/${at.file}`,
});

export function summariseMaterial(m: ReleaseMaterial): MaterialSummary {
  const nir = m.latestNetImportReliance;
  const lead = m.leadingProducer;
  const world = m.production.find((p) => p.year === lead?.year);
  const euLatest = m.eu?.assessments.at(-1);
  const sources = [
    nir && source(`US net import reliance ${nir.year}`, RELEASES.usgs, USGS, nir.at),
    m.importSources &&
      source('major import sources 2020–23, in order', RELEASES.usgs, USGS, m.importSources.at),
    lead && source(`${lead.country}, ${m.stage} ${lead.year}`, RELEASES.usgs, USGS, lead.at),
    world && source(`world total, ${m.stage} ${world.year}`, RELEASES.usgs, USGS, world.worldTotal.at),
    euLatest && source(`EU supply risk ${euLatest.year}`, RELEASES.eu, 'eu-crm-2023', euLatest.supplyRisk.at),
  ].filter((s): s is MaterialSource => !!s);
  return {
    id: m.id,
    name: m.name,
    usgsCommodity: m.usgsCommodity,
    netImportReliance: nir ? { year: nir.year, text: nir.text } : null,
    primaryImportSource: m.importSources?.sources[0]?.country ?? null,
    importSources: m.importSources?.sources.map((s) => s.country) ?? [],
    leadingProducer: lead
      ? {
          country: lead.country,
          code: lead.code,
          sharePct: Math.round(lead.sharePct * 10) / 10,
          year: lead.year,
        }
      : null,
    stage: m.stage,
    missing: m.missing,
    sources,
  };
}

export const materialSummaries = (): MaterialSummary[] => referenceMaterials().map(summariseMaterial);

/** A figure as printed with where it was read (the web app shows the place on click). */
export interface SourcedText {
  year: number;
  text: string;
  at: MaterialSource;
}

export interface MaterialDetail extends MaterialSummary {
  /** US net import reliance 2020–2024 as printed, with the fraction Keel scores it at and why. */
  netImportRelianceTrend: (SourcedText & { fraction: number | null; reading: string })[];
  /** World production shares by country, 2023 and 2024e (percent of USGS's world total). */
  productionTrend: {
    year: number;
    unit: string;
    worldTotal: SourcedText;
    status: 'reported' | 'withheld';
    notes: string[];
    shares: { code: string; country: string; amount: number; sharePct: number; at: MaterialSource }[];
  }[];
  /**
   * The leading producer's (the latest year's leader, followed over both years) and the US's share of world
   * production, 2023 and 2024e: the only years the world table of the release has.
   */
  shareTrend: {
    year: number;
    status: 'reported' | 'withheld';
    worldTotal: SourcedText;
    leaderOfYear: string | null;
    leader: ShareOfYear;
    us: ShareOfYear;
  }[];
  usPrimaryProduction: SourcedText[];
  apparentConsumption: SourcedText[];
  worldReserves: { text: string; at: MaterialSource } | null;
  euAssessments: { year: number; supplyRisk: string; economicImportance: string; at: MaterialSource }[];
  criticalMinerals2022: string[];
  /** Keel's EU-method terms on the annex's own supply shares beside the published 2023 SR. */
  euComputed: EuComputation | null;
  /** USGS Table 4's primary applications (words, no shares: the release gives no dependency figures). */
  applications: { mineral: string; text: string; at: MaterialSource }[];
}

/** A country's share in one year, the row as printed and where; at is null when the table lists no row. */
export interface ShareOfYear {
  sharePct: number | null;
  text: string;
  withheld: boolean;
  at: MaterialSource | null;
}

const shareOfYear = (figure: string, y: YearShare): ShareOfYear => ({
  sharePct: y.sharePct,
  text: y.text,
  withheld: y.withheld,
  at: y.at ? source(figure, RELEASES.usgs, USGS, y.at) : null,
});

const usgsText = (figure: string, y: { year: number; text: string; at: Provenance }): SourcedText => ({
  year: y.year,
  text: y.text,
  at: source(figure, RELEASES.usgs, USGS, y.at),
});

export function materialDetail(m: ReleaseMaterial): MaterialDetail {
  return {
    ...summariseMaterial(m),
    netImportRelianceTrend: m.netImportReliance.map((y) => ({
      ...usgsText(`US net import reliance ${y.year}`, y),
      ...relianceForScoring(y.text),
    })),
    productionTrend: m.production.map((p) => ({
      year: p.year,
      unit: p.unit,
      worldTotal: usgsText(`world total ${p.year}`, {
        year: p.year,
        text: p.worldTotal.text,
        at: p.worldTotal.at,
      }),
      status: p.status,
      notes: p.notes,
      shares: p.shares.map((s) => ({
        code: s.code,
        country: s.country,
        amount: s.amount,
        sharePct: 100 * s.share,
        at: source(`${s.country} ${p.year}`, RELEASES.usgs, USGS, s.at),
      })),
    })),
    shareTrend: m.shareTrend.map((y) => ({
      year: y.year,
      status: y.status,
      worldTotal: usgsText(`world total ${y.year}`, { year: y.year, ...y.worldTotal }),
      leaderOfYear: y.leaderOfYear,
      leader: shareOfYear(`${m.leadingProducer?.country ?? 'leading producer'} ${y.year}`, y.leader),
      us: shareOfYear(`United States ${y.year}`, y.us),
    })),
    usPrimaryProduction: m.usPrimaryProduction.map((y) => usgsText(`US primary production ${y.year}`, y)),
    apparentConsumption: m.apparentConsumption.map((y) => usgsText(`US apparent consumption ${y.year}`, y)),
    worldReserves: m.reserves
      ? {
          text: m.reserves.world.text,
          at: source('world reserves', RELEASES.usgs, USGS, m.reserves.world.at),
        }
      : null,
    euAssessments: (m.eu?.assessments ?? []).map((a) => ({
      year: a.year,
      supplyRisk: a.supplyRisk.text,
      economicImportance: a.economicImportance.text,
      at: source(`EU assessment ${a.year}`, RELEASES.eu, 'eu-crm-2023', a.supplyRisk.at),
    })),
    criticalMinerals2022: m.criticalMinerals2022,
    euComputed: euComputation(m),
    applications: m.applications.map((a) => ({
      mineral: a.mineral,
      text: a.text,
      at: source(`primary applications of ${a.mineral}`, RELEASES.usgs, USGS, a.at),
    })),
  };
}

/** Every material with its series over the release's years, for the API and the web app. */
export function researchMaterials(actor: Actor) {
  authorize(actor, 'research.read');
  return { materials: referenceMaterials().map(materialDetail), scoringRules: SCORING_RULES };
}

/**
 * US and world production per year for reshoring metrics, from the same rows as the shares: the world table
 * gives 2023 and 2024e. US production is the world table's US row, or 0 where the salient statistics print
 * US primary production as "0"; a material whose US production is withheld ("W") or missing is left out.
 */
export function reshoringFromRelease() {
  return referenceMaterials().flatMap((m) => {
    const years = m.production.map((p) => {
      if (p.status !== 'reported' || p.usWithheld) return null;
      const us =
        p.shares.find((s) => s.code === 'US')?.amount ??
        (m.usPrimaryProduction.find((y) => y.year === p.year)?.text === '0' ? 0 : null);
      return us === null
        ? null
        : { year: p.year, us, world: p.worldTotal.value as number, at: p.worldTotal.at };
    });
    if (years.length === 0 || years.some((y) => y === null)) return [];
    const observed = years.filter((y): y is NonNullable<typeof y> => y !== null);
    return [
      {
        material: m.id,
        unit: m.unit ?? '',
        stage: m.stage ?? '',
        source: `${RELEASES.usgs}, data/research/${USGS}/${observed[0]?.at.file} (US row and world total, ${observed
          .map((y) => y.year)
          .join(' and ')}${observed.some((y) => y.year === 2024) ? 'e' : ''})`,
        years: observed.map(({ year, us, world }) => ({ year, us, world })),
      },
    ];
  });
}
