/**
 * Programme summary from aggregated ledger rows. Counting is applied once per finest-grain row (instrument ×
 * classification × sub-area × year) and every breakdown sums those same counted figures, so the totals by
 * year, by area, by instrument and by side all add up to the same counted total, to the cent.
 */
import type { BalanceSheetSide, Instrument } from './instruments.ts';
import { type Cents, totalCents } from './money.ts';
import { countedAmount, type Programme, sideOf } from './programme.ts';
import type { PublicRecordSummary } from './public-record/record-summary.ts';
import type { Stage } from './stages.ts';

export interface CommitmentRow {
  instrument: Instrument;
  classification: 'baseline' | 'incremental';
  subAreaId: string;
  areaId: string;
  year: number;
  /** Commitments minus cancellations. */
  netCommitted: Cents;
}

export interface StageRow {
  stage: Stage;
  deals: number;
  amount: Cents;
}

export interface CapUsageRow {
  capId: string;
  scopeKey: string;
  limit: Cents;
  used: Cents;
}

export interface Breakdown {
  key: string;
  committed: Cents;
  counted: Cents;
}

export interface ProgrammeSummary {
  programme: { id: string; name: string; version: number; methodologyVersion: number };
  targets: Programme['targets'];
  counted: { total: Cents; baseline: Cents; incremental: Cents; own: Cents; facilitated: Cents };
  committed: Cents;
  byYear: Array<{
    year: number;
    plan: Cents;
    counted: Cents;
    cumulativePlan: Cents;
    cumulativeCounted: Cents;
  }>;
  byArea: Breakdown[];
  bySubArea: Breakdown[];
  /** Counted by sub-area and year, for the heat map. */
  bySubAreaYear: Array<{ subAreaId: string; areaId: string; year: number; counted: Cents }>;
  byInstrument: Array<Breakdown & { side: BalanceSheetSide }>;
  pipeline: StageRow[];
  caps: Array<CapUsageRow & { label: string; headroom: Cents }>;
  /** The programme's public record beside the ledger: what of it is counted and what is undisclosed. */
  publicRecord?: PublicRecordSummary;
}

function addTo<K extends string>(
  map: Map<K, { committed: bigint; counted: bigint }>,
  key: K,
  committed: bigint,
  counted: bigint,
) {
  const slot = map.get(key) ?? { committed: 0n, counted: 0n };
  slot.committed += committed;
  slot.counted += counted;
  map.set(key, slot);
}

const toBreakdown = <K extends string>(
  map: Map<K, { committed: bigint; counted: bigint }>,
): Array<Breakdown & { key: K }> =>
  [...map.entries()]
    .map(([key, v]) => ({ key, committed: totalCents(v.committed), counted: totalCents(v.counted) }))
    .sort((a, b) => (a.counted === b.counted ? (a.key < b.key ? -1 : 1) : a.counted > b.counted ? -1 : 1));

export function summarise(
  programme: Programme,
  versions: { version: number; methodologyVersion: number },
  rows: readonly CommitmentRow[],
  pipeline: readonly StageRow[],
  capRows: readonly CapUsageRow[],
): ProgrammeSummary {
  const counted = { total: 0n, baseline: 0n, incremental: 0n, own: 0n, facilitated: 0n };
  let committed = 0n;
  const byYear = new Map<string, { committed: bigint; counted: bigint }>();
  const byArea = new Map<string, { committed: bigint; counted: bigint }>();
  const bySubArea = new Map<string, { committed: bigint; counted: bigint }>();
  const byInstrument = new Map<Instrument, { committed: bigint; counted: bigint }>();
  const grid = new Map<string, { subAreaId: string; areaId: string; year: number; counted: bigint }>();

  for (const row of rows) {
    const value = countedAmount(programme, row.instrument, row.netCommitted);
    committed += row.netCommitted;
    counted.total += value;
    counted[row.classification] += value;
    counted[sideOf(programme, row.instrument)] += value;
    addTo(byYear, String(row.year), row.netCommitted, value);
    addTo(byArea, row.areaId, row.netCommitted, value);
    addTo(bySubArea, row.subAreaId, row.netCommitted, value);
    addTo(byInstrument, row.instrument, row.netCommitted, value);
    const cell = grid.get(`${row.subAreaId}|${row.year}`) ?? {
      subAreaId: row.subAreaId,
      areaId: row.areaId,
      year: row.year,
      counted: 0n,
    };
    cell.counted += value;
    grid.set(`${row.subAreaId}|${row.year}`, cell);
  }

  const years = new Set<number>([...programme.plan.map((p) => p.year), ...[...byYear.keys()].map(Number)]);
  let cumulativePlan = 0n;
  let cumulativeCounted = 0n;
  const yearRows = [...years]
    .sort((a, b) => a - b)
    .map((year) => {
      const plan = programme.plan.find((p) => p.year === year)?.amount ?? 0n;
      const value = byYear.get(String(year))?.counted ?? 0n;
      cumulativePlan += plan;
      cumulativeCounted += value;
      return {
        year,
        plan: totalCents(plan),
        counted: totalCents(value),
        cumulativePlan: totalCents(cumulativePlan),
        cumulativeCounted: totalCents(cumulativeCounted),
      };
    });

  return {
    programme: {
      id: programme.id,
      name: programme.name,
      version: versions.version,
      methodologyVersion: versions.methodologyVersion,
    },
    targets: programme.targets,
    counted: {
      total: totalCents(counted.total),
      baseline: totalCents(counted.baseline),
      incremental: totalCents(counted.incremental),
      own: totalCents(counted.own),
      facilitated: totalCents(counted.facilitated),
    },
    committed: totalCents(committed),
    byYear: yearRows,
    byArea: toBreakdown(byArea),
    bySubArea: toBreakdown(bySubArea),
    bySubAreaYear: [...grid.values()].map((c) => ({ ...c, counted: totalCents(c.counted) })),
    byInstrument: toBreakdown(byInstrument).map((b) => ({
      ...b,
      side: sideOf(programme, b.key),
    })),
    pipeline: [...pipeline],
    caps: withHeadroom(programme, capRows),
  };
}

/** Cap rows with each cap's label and what it may still take (never below zero). */
export function withHeadroom(
  programme: Programme,
  capRows: readonly CapUsageRow[],
): ProgrammeSummary['caps'] {
  const labels = new Map(programme.caps.map((cap) => [cap.id, cap.label]));
  return capRows.map((row) => ({
    ...row,
    label: labels.get(row.capId) ?? row.capId,
    headroom: totalCents(row.limit > row.used ? row.limit - row.used : 0n),
  }));
}
