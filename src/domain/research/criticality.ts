/**
 * Criticality indicators and the two published supply-risk methods. Shares are fractions (0–1).
 *
 * - HHI (Herfindahl–Hirschman index) = 10,000 · Σ s_c², on the 0–10,000 scale of the US Department of
 *   Justice and Federal Trade Commission, Horizontal Merger Guidelines (2010), §5.3.
 * - EU method: European Commission, "Methodology for establishing the EU list of critical raw materials:
 *   Guidelines" (Blengini et al., 2017), §3 and §4, used unchanged in the Study on the Critical Raw
 *   Materials for the EU 2023:
 *     HHI_WGI,t = Σ_c s_c² · WGI_c · t_c, WGI_c scaled to 0–10 (10 = worst governance): (2.5 − wgi) · 2;
 *       t_c = 1, or 1.2 where country c restricts exports (quota or prohibition);
 *     SR = [HHI_WGI,t(global supply) · IR/2 + HHI_WGI,t(actual sourcing) · (1 − IR/2)] · (1 − EoL_RIR) · SI_SR;
 *     EI = Σ_s (A_s · Q_s) · SI_EI, with A_s the share of end use in sector s and Q_s that sector's value
 *       added, scaled so that the largest sector scores 10.
 *   Keel applies it from the United States' side: IR is the US net import reliance and "actual sourcing"
 *   is the US import sources.
 * - USGS method: Nassar & Fortier, "Methodology and technical input for the 2021 review and revision of
 *   the U.S. Critical Minerals List", USGS Open-File Report 2021–1045 (after Nassar et al., Science
 *   Advances 6, eaay8647, 2020): supply risk = DP · TE · EV with
 *     DP (disruption potential) = Σ_c s_c² · g_c, g_c = (2.5 − wgi_c)/5 ∈ [0, 1] (1 = worst governance);
 *     TE (trade exposure) = net import reliance, floored at 0 for net exporters;
 *     EV (economic vulnerability) ∈ [0, 1] — the USGS derives it from industry operating surplus; Keel
 *       passes in the share of programme sub-area output that a full loss of the material would stop
 *       (from the graph), which is its own proxy and is labelled so in reports.
 */
import { invariant } from '../errors.ts';
import type { Shares } from './graph.ts';

export type Alignment = 'domestic' | 'ally' | 'partner' | 'neutral' | 'concern';
export interface Country {
  code: string;
  name: string;
  /** Mean of the six Worldwide Governance Indicators, −2.5 (worst) … +2.5 (best). */
  wgi: number;
  alignment: Alignment;
}
export type Countries = ReadonlyMap<string, Country>;

const entries = (shares: Shares) => Object.entries(shares) as [string, number][];

export function hhi(shares: Shares): number {
  return 10_000 * entries(shares).reduce((sum, [, s]) => sum + s * s, 0);
}

export function concernShare(shares: Shares, countries: Countries): number {
  return entries(shares).reduce(
    (sum, [code, s]) => sum + (countries.get(code)?.alignment === 'concern' ? s : 0),
    0,
  );
}

function governance(code: string, countries: Countries): number {
  const country = countries.get(code);
  invariant(country !== undefined, `no governance figure for country "${code}"`);
  return country.wgi;
}

/** EU scaling of the WGI: 0 (best) … 10 (worst). */
export const euScaledWgi = (wgi: number) => Math.min(10, Math.max(0, (2.5 - wgi) * 2));

export function euHhiWgiT(
  shares: Shares,
  countries: Countries,
  restrictedBy: readonly string[] = [],
): number {
  return entries(shares).reduce((sum, [code, s]) => {
    const t = restrictedBy.includes(code) ? 1.2 : 1;
    return sum + s * s * euScaledWgi(governance(code, countries)) * t;
  }, 0);
}

export interface EuSupplyRiskInput {
  hhiGlobal: number;
  hhiSourcing: number;
  importReliance: number;
  eolRecyclingInputRate: number;
  substitutionIndex: number;
}

export function euSupplyRisk(x: EuSupplyRiskInput): number {
  for (const [name, v] of Object.entries(x)) invariant(Number.isFinite(v) && v >= 0, `${name} must be ≥ 0`);
  const ir = Math.min(1, x.importReliance);
  return (
    (x.hhiGlobal * (ir / 2) + x.hhiSourcing * (1 - ir / 2)) *
    (1 - x.eolRecyclingInputRate) *
    x.substitutionIndex
  );
}

/** A_s shares of end use (need not be normalised: they are), Q_s value added of those sectors. */
export function euEconomicImportance(
  uses: readonly { share: number; valueAdded: number }[],
  largestSectorValueAdded: number,
  substitutionIndex: number,
): number {
  invariant(largestSectorValueAdded > 0, 'the largest sector must have value added');
  const total = uses.reduce((s, u) => s + u.share, 0);
  if (total === 0) return 0;
  const weighted = uses.reduce((s, u) => s + (u.share / total) * u.valueAdded, 0);
  return (10 * weighted * substitutionIndex) / largestSectorValueAdded;
}

export const usgsGovernanceWeight = (wgi: number) => Math.min(1, Math.max(0, (2.5 - wgi) / 5));

export function usgsDisruptionPotential(shares: Shares, countries: Countries): number {
  return entries(shares).reduce(
    (sum, [code, s]) => sum + s * s * usgsGovernanceWeight(governance(code, countries)),
    0,
  );
}

export interface UsgsSupplyRisk {
  disruptionPotential: number;
  tradeExposure: number;
  economicVulnerability: number;
  supplyRisk: number;
}

export function usgsSupplyRisk(
  shares: Shares,
  netImportReliance: number,
  economicVulnerability: number,
  countries: Countries,
): UsgsSupplyRisk {
  invariant(economicVulnerability >= 0 && economicVulnerability <= 1, 'EV must lie in [0, 1]');
  const disruptionPotential = usgsDisruptionPotential(shares, countries);
  const tradeExposure = Math.max(0, Math.min(1, netImportReliance));
  return {
    disruptionPotential,
    tradeExposure,
    economicVulnerability,
    supplyRisk: disruptionPotential * tradeExposure * economicVulnerability,
  };
}

/** Spearman rank correlation (average ranks for ties): used to compare Keel's scores with published ones. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  invariant(a.length === b.length && a.length > 2, 'need two series of the same length (> 2)');
  const ranks = (xs: readonly number[]) => {
    const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    for (let k = 0; k < order.length; ) {
      let end = k;
      while (end + 1 < order.length && order[end + 1]?.[0] === order[k]?.[0]) end++;
      for (let m = k; m <= end; m++) r[order[m]?.[1] as number] = (k + end) / 2 + 1;
      k = end + 1;
    }
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    const x = (ra[i] as number) - mean;
    const y = (rb[i] as number) - mean;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  return num / Math.sqrt(da * db);
}
