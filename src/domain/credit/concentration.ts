/**
 * Concentration of the credit book by exposure at default: the single largest obligor's share, the
 * Herfindahl-Hirschman index (HHI) by obligor, sub-area and state, and the largest obligors.
 *
 * HHI = Σ sᵢ² over the shares sᵢ of the total (0 to 1; 1 is everything with one name; 1/n for n equal names).
 * Shares and HHI are doubles (analytics, computed from exact cents once); the grouped EADs stay exact cents.
 */

export interface Exposure {
  obligorId: string;
  obligorName: string;
  subAreaId: string;
  subAreaName: string;
  /** The obligor's state (headquarters), or null when not known. */
  state: string | null;
  ead: bigint;
}

export interface Group {
  key: string;
  name: string;
  ead: bigint;
  /** ead / total EAD (0 when the book has none). */
  share: number;
}

export interface Concentration {
  totalEad: bigint;
  largestObligor: Group | null;
  hhiByObligor: number;
  hhiBySubArea: number;
  hhiByState: number;
  byObligor: Group[];
  bySubArea: Group[];
  byState: Group[];
  topObligors: Group[];
}

export const TOP_OBLIGORS = 20;
/** Obligors without a known state are one group of their own in the state HHI (it says how much is unplaced). */
export const UNKNOWN_STATE = 'unknown';

/** HHI of a set of non-negative weights (exact cents); 0 for an empty or all-zero set. */
export function hhi(weights: readonly bigint[]): number {
  const total = weights.reduce((sum, w) => sum + w, 0n);
  if (total === 0n) return 0;
  const t = Number(total);
  return weights.reduce((sum, w) => sum + (Number(w) / t) ** 2, 0);
}

/** Groups exposures by a key, largest EAD first (ties by key, so the order is stable). */
export function groupByEad(
  exposures: readonly Exposure[],
  keyOf: (e: Exposure) => string,
  nameOf: (e: Exposure) => string,
): Group[] {
  const groups = new Map<string, { name: string; ead: bigint }>();
  for (const e of exposures) {
    const key = keyOf(e);
    const group = groups.get(key) ?? { name: nameOf(e), ead: 0n };
    group.ead += e.ead;
    groups.set(key, group);
  }
  const total = [...groups.values()].reduce((sum, g) => sum + g.ead, 0n);
  return [...groups.entries()]
    .map(([key, g]) => ({
      key,
      name: g.name,
      ead: g.ead,
      share: total === 0n ? 0 : Number(g.ead) / Number(total),
    }))
    .sort((a, b) => (a.ead === b.ead ? (a.key < b.key ? -1 : 1) : a.ead > b.ead ? -1 : 1));
}

export function concentration(exposures: readonly Exposure[]): Concentration {
  const byObligor = groupByEad(
    exposures,
    (e) => e.obligorId,
    (e) => e.obligorName,
  );
  const bySubArea = groupByEad(
    exposures,
    (e) => e.subAreaId,
    (e) => e.subAreaName,
  );
  const byState = groupByEad(
    exposures,
    (e) => e.state ?? UNKNOWN_STATE,
    (e) => e.state ?? 'Unknown state',
  );
  return {
    totalEad: exposures.reduce((sum, e) => sum + e.ead, 0n),
    largestObligor: byObligor[0] ?? null,
    hhiByObligor: hhi(byObligor.map((g) => g.ead)),
    hhiBySubArea: hhi(bySubArea.map((g) => g.ead)),
    hhiByState: hhi(byState.map((g) => g.ead)),
    byObligor,
    bySubArea,
    byState,
    topObligors: byObligor.slice(0, TOP_OBLIGORS),
  };
}
