/**
 * Pacing of the programme's targets: counted to date against the plan to date, the run-rate so far, the
 * run-rate still required to reach each target by the end of the horizon, and a straight-line projection.
 * Status: ahead when counted ≥ 105 % of plan to date, behind below 95 %, on pace between. Run-rates and
 * shares are analytics in floats of dollars; the counted and target amounts are exact.
 */
import { type Cents, sumCents, ZERO } from './money.ts';
import type { Programme, SegmentPlans } from './programme.ts';

export const AHEAD = 1.05;
export const BEHIND = 0.95;
const YEAR_MS = 365.25 * 86_400_000;

export interface PacingLine {
  target: 'total' | 'baseline' | 'incremental' | 'equity_vc_cap';
  goal: Cents;
  counted: Cents;
  planToDate: number;
  /** Dollars a year achieved so far. */
  runRate: number;
  /** Dollars a year needed from now to the end of the horizon. */
  requiredRunRate: number;
  /** Counted at the end of the horizon if the run-rate so far continues. */
  projected: number;
  status: 'ahead' | 'on_pace' | 'behind';
}

const dollars = (value: bigint) => Number(value) / 100;

/** The plan's amount due by `asOf`: whole plan years before it, and the elapsed share of its own year. */
export function planToDate(
  planned: Programme | ReadonlyArray<{ year: number; amount: Cents }>,
  asOf: string,
): number {
  const rows = 'plan' in planned ? planned.plan : planned;
  const at = Date.parse(`${asOf}T00:00:00Z`);
  let due = 0;
  for (const { year, amount } of rows) {
    const start = Date.UTC(year, 0, 1);
    const end = Date.UTC(year + 1, 0, 1);
    const share = Math.min(1, Math.max(0, (at - start) / (end - start)));
    due += dollars(amount) * share;
  }
  return due;
}

export function pacing(
  programme: Programme,
  counted: { total: Cents; baseline: Cents; incremental: Cents },
  equityCapUsed: Cents,
  asOf: string,
): PacingLine[] {
  const start = Date.parse(`${programme.horizon.start}T00:00:00Z`);
  const end = Date.parse(`${programme.horizon.end}T00:00:00Z`);
  const at = Math.min(Math.max(Date.parse(`${asOf}T00:00:00Z`), start), end);
  const elapsedYears = Math.max((at - start) / YEAR_MS, 1 / 365.25);
  const remainingYears = Math.max((end - at) / YEAR_MS, 0);
  const totalPlan = planToDate(programme, asOf);
  const totalGoal = dollars(programme.targets.total);
  const equityCap = programme.caps.find((c) => c.scope === 'programme' && c.instruments.has('direct_equity'));

  const line = (target: PacingLine['target'], goal: Cents, value: Cents, planShare: number): PacingLine => {
    const planned = totalPlan * planShare;
    const runRate = dollars(value) / elapsedYears;
    const remaining = Math.max(dollars(goal) - dollars(value), 0);
    const ratio = planned === 0 ? (value > 0n ? Number.POSITIVE_INFINITY : 1) : dollars(value) / planned;
    return {
      target,
      goal,
      counted: value,
      planToDate: planned,
      runRate,
      requiredRunRate:
        remainingYears === 0 ? (remaining > 0 ? Number.POSITIVE_INFINITY : 0) : remaining / remainingYears,
      projected: dollars(value) + runRate * remainingYears,
      status: ratio >= AHEAD ? 'ahead' : ratio < BEHIND ? 'behind' : 'on_pace',
    };
  };

  const lines = [
    line('total', programme.targets.total, counted.total, 1),
    line(
      'baseline',
      programme.targets.baseline,
      counted.baseline,
      dollars(programme.targets.baseline) / totalGoal,
    ),
    line(
      'incremental',
      programme.targets.incremental,
      counted.incremental,
      dollars(programme.targets.incremental) / totalGoal,
    ),
  ];
  if (equityCap)
    lines.push(line('equity_vc_cap', equityCap.limit, equityCapUsed, dollars(equityCap.limit) / totalGoal));
  return lines;
}

export interface PathPoint {
  year: number;
  /** Counted at the end of the year (or at the horizon's end, in its last year), dollars. */
  projected: number;
  required: number;
}

/**
 * Where a target goes from `asOf` to the horizon's end, at each year's end from the current year: straight
 * on at the run-rate so far (`projected`), and at the run-rate still required (`required`, which reaches
 * the goal at the horizon's end). For the pacing chart beside the plan and the counted amounts.
 */
export function pacingPath(programme: Programme, line: PacingLine, asOf: string): PathPoint[] {
  const end = Date.parse(`${programme.horizon.end}T00:00:00Z`);
  const at = Math.min(Date.parse(`${asOf}T00:00:00Z`), end);
  const fromYear = new Date(at).getUTCFullYear();
  const lastYear = new Date(end).getUTCFullYear();
  const counted = dollars(line.counted);
  const points: PathPoint[] = [];
  for (let year = fromYear; year <= lastYear; year++) {
    const years = (Math.min(Date.UTC(year + 1, 0, 1), end) - at) / YEAR_MS;
    points.push({
      year,
      projected: counted + line.runRate * years,
      required: counted + line.requiredRunRate * years,
    });
  }
  return points;
}

export interface SegmentPacingLine {
  /** Area id or instrument. */
  key: string;
  goal: Cents;
  counted: Cents;
  planToDate: number;
  requiredRunRate: number;
  status: PacingLine['status'];
}

/**
 * Pacing per segment (core area or instrument) for the segments the programme file plans; counted figures
 * come from the summary.
 */
export function segmentPacing(
  programme: Programme,
  plans: SegmentPlans,
  countedBySegment: ReadonlyMap<string, Cents>,
  asOf: string,
): SegmentPacingLine[] {
  const end = Date.parse(`${programme.horizon.end}T00:00:00Z`);
  const at = Math.min(Date.parse(`${asOf}T00:00:00Z`), end);
  const remainingYears = Math.max((end - at) / YEAR_MS, 0);
  return [...plans.entries()].map(([key, rows]) => {
    const goal = sumCents(rows.map((r) => r.amount));
    const counted = countedBySegment.get(key) ?? ZERO;
    const planned = planToDate(rows, asOf);
    const remaining = Math.max(dollars(goal) - dollars(counted), 0);
    const ratio = planned === 0 ? (counted > 0n ? Number.POSITIVE_INFINITY : 1) : dollars(counted) / planned;
    return {
      key,
      goal,
      counted,
      planToDate: planned,
      requiredRunRate:
        remainingYears === 0 ? (remaining > 0 ? Number.POSITIVE_INFINITY : 0) : remaining / remainingYears,
      status: ratio >= AHEAD ? 'ahead' : ratio < BEHIND ? 'behind' : 'on_pace',
    };
  });
}
