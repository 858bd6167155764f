/**
 * Reads the published releases shipped in data/research (each folder keeps the publisher's SOURCE and
 * README): USGS MCS 2025, World Bank WGI 2022, EU CRM 2023 Annex 4. Parsed once per process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePublished } from '../../domain/research/release/csv.ts';
import { EU_FILE, type EuAssessment, parseEuAssessments } from '../../domain/research/release/eu-crm.ts';
import {
  EU_GLOBAL_FILE,
  EU_SOURCING_FILE,
  type EuShareRow,
  parseEuShares,
} from '../../domain/research/release/eu-supply.ts';
import {
  type Application,
  FIG2_FILE,
  type Fig2Row,
  parseFig2,
  parseSalient,
  parseT4,
  parseWorldData,
  SALIENT_DIR,
  type Salient,
  T4_FILE,
  WORLD_FILE,
  type WorldRow,
} from '../../domain/research/release/usgs-mcs.ts';
import { type Governance, parseWgi, WGI_FILE } from '../../domain/research/release/wgi.ts';
import { DATA_DIR } from '../data-files.ts';

export const USGS_DIR = join(DATA_DIR, 'research', 'usgs-mcs-2025');
export const WGI_DIR = join(DATA_DIR, 'research', 'wgi-2022');
export const EU_DIR = join(DATA_DIR, 'research', 'eu-crm-2023');

/** The citation each figure's provenance is completed with. */
export const RELEASES = {
  usgs: 'U.S. Geological Survey, Mineral Commodity Summaries 2025 Data Release (doi:10.5066/P13XCP3R)',
  wgi: 'World Bank, Worldwide Governance Indicators, 2023 update (data year 2022), CC BY 4.0',
  eu: 'European Commission, Study on the Critical Raw Materials for the EU 2023 (doi:10.2873/725585), Annex 4; transcription by E. Emilsson (CC BY 4.0)',
  euSupply:
    'European Commission, Study on the Critical Raw Materials for the EU 2023 (doi:10.2873/725585), Annex 7 (global supply and EU sourcing shares, t); transcription by E. Emilsson (CC BY 4.0)',
} as const;

const read = (dir: string, file: string) => decodePublished(readFileSync(join(dir, file))).text;

export interface UsgsRelease {
  world: WorldRow[];
  fig2: Fig2Row[];
  /** By file name (e.g. "mcs2025-antim_salient.csv"). */
  salient: Map<string, Salient>;
  /** Table 4: primary applications per critical mineral, in words. */
  applications: Application[];
}

let usgs: UsgsRelease | undefined;
export function usgsRelease(): UsgsRelease {
  if (usgs) return usgs;
  const names = readdirSync(join(USGS_DIR, SALIENT_DIR)).filter((f) => f.endsWith('_salient.csv'));
  usgs = {
    world: parseWorldData(read(USGS_DIR, WORLD_FILE)),
    fig2: parseFig2(read(USGS_DIR, FIG2_FILE)),
    salient: new Map(names.map((n) => [n, parseSalient(n, read(join(USGS_DIR, SALIENT_DIR), n))])),
    applications: parseT4(read(USGS_DIR, T4_FILE)),
  };
  return usgs;
}

let wgi: Governance[] | undefined;
export const governanceRelease = (): Governance[] => {
  wgi ??= parseWgi(read(WGI_DIR, WGI_FILE));
  return wgi;
};

let eu: EuAssessment[] | undefined;
export const euRelease = (): EuAssessment[] => {
  eu ??= parseEuAssessments(read(EU_DIR, EU_FILE));
  return eu;
};

let euShares: { global: EuShareRow[]; sourcing: EuShareRow[] } | undefined;
/** Annex 7: the global supply and EU sourcing shares with t, per material, stage and country. */
export const euSupplyRelease = () => {
  euShares ??= {
    global: parseEuShares(EU_GLOBAL_FILE, read(EU_DIR, EU_GLOBAL_FILE)),
    sourcing: parseEuShares(EU_SOURCING_FILE, read(EU_DIR, EU_SOURCING_FILE)),
  };
  return euShares;
};
