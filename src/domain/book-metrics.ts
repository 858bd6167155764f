/**
 * Equity and venture book metrics from ledger cash flows and marks. Definitions (CFA Institute, GIPS 2020,
 * glossary; ILPA reporting): paid-in = capital drawn; distributions = cash returned (distributions and
 * repayments); NAV = the latest valuation mark, or cost (drawn − repaid) for a position never marked;
 *   DPI = distributions / paid-in, RVPI = NAV / paid-in, TVPI = DPI + RVPI,
 *   MOIC = (realised + unrealised) / invested, which for a single book of cash equals TVPI.
 * Amounts stay exact (bigint cents); the multiples and XIRR are analytics in floats.
 */
import type { EntryKind } from './ledger.ts';
import { type Cents, cents } from './money.ts';
import { type DatedFlow, type XirrResult, xirr } from './xirr.ts';

export interface PositionEntry {
  kind: EntryKind;
  amount: Cents;
  effectiveOn: string;
}

export interface Position {
  dealId: string;
  subAreaId: string;
  areaId: string;
  entries: readonly PositionEntry[];
}

export interface BookMetrics {
  key: string;
  positions: number;
  paidIn: Cents;
  distributed: Cents;
  nav: Cents;
  /** Null where nothing was paid in yet. */
  dpi: number | null;
  rvpi: number | null;
  tvpi: number | null;
  moic: number | null;
  xirr: BookXirr;
}

/**
 * XIRR as the book reports it: GIPS (2020, provision 2.A.40: returns for periods of less than one year must
 * not be annualised) and ILPA reporting print "n.m." for a position held under a year, where an annualised
 * rate (358,542 % for a quick mark-up) would mislead.
 */
export type BookXirr = XirrResult | { status: 'not_meaningful'; reason: string };
export const XIRR_MIN_HOLDING_DAYS = 365;

interface Totals {
  paidIn: bigint;
  distributed: bigint;
  nav: bigint;
  flows: DatedFlow[];
  positions: number;
}

/** Vintage: the year of the first draw, or "undrawn". */
export function vintageOf(position: Position): string {
  const draws = position.entries
    .filter((e) => e.kind === 'draw')
    .map((e) => e.effectiveOn)
    .sort();
  return draws[0]?.slice(0, 4) ?? 'undrawn';
}

function positionTotals(position: Position, asOf: string): Totals {
  let paidIn = 0n;
  let distributed = 0n;
  let repaid = 0n;
  let mark: { on: string; value: bigint } | null = null;
  const flows: DatedFlow[] = [];
  for (const e of position.entries) {
    if (e.effectiveOn > asOf) continue;
    if (e.kind === 'draw') {
      paidIn += e.amount;
      flows.push({ date: e.effectiveOn, amount: -Number(e.amount) / 100 });
    } else if (e.kind === 'distribution' || e.kind === 'repayment') {
      distributed += e.amount;
      if (e.kind === 'repayment') repaid += e.amount;
      flows.push({ date: e.effectiveOn, amount: Number(e.amount) / 100 });
    } else if (e.kind === 'valuation' && (!mark || e.effectiveOn >= mark.on)) {
      mark = { on: e.effectiveOn, value: e.amount };
    }
  }
  const nav = mark ? mark.value : paidIn - repaid;
  if (nav > 0n) flows.push({ date: asOf, amount: Number(nav) / 100 });
  return { paidIn, distributed, nav, flows, positions: 1 };
}

function bookXirr(flows: readonly DatedFlow[], asOf: string): BookXirr {
  const first = flows.reduce<string | null>((min, f) => (min === null || f.date < min ? f.date : min), null);
  const days =
    first === null ? 0 : (Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000;
  if (first !== null && days < XIRR_MIN_HOLDING_DAYS)
    return {
      status: 'not_meaningful',
      reason: `held ${Math.round(days)} days, under a year: a return for less than a year is not annualised (GIPS, ILPA)`,
    };
  return xirr(flows);
}

function finish(key: string, t: Totals, asOf: string): BookMetrics {
  const ratio = (part: bigint) => (t.paidIn === 0n ? null : Number(part) / Number(t.paidIn));
  const tvpi = ratio(t.distributed + t.nav);
  return {
    key,
    positions: t.positions,
    paidIn: cents(t.paidIn),
    distributed: cents(t.distributed),
    nav: cents(t.nav),
    dpi: ratio(t.distributed),
    rvpi: ratio(t.nav),
    tvpi,
    moic: tvpi,
    xirr: bookXirr(t.flows, asOf),
  };
}

export type BookDimension = 'deal' | 'subArea' | 'area' | 'vintage' | 'book';

export function bookMetrics(positions: readonly Position[], asOf: string, by: BookDimension): BookMetrics[] {
  const groups = new Map<string, Totals>();
  for (const position of positions) {
    const key =
      by === 'deal'
        ? position.dealId
        : by === 'subArea'
          ? position.subAreaId
          : by === 'area'
            ? position.areaId
            : by === 'vintage'
              ? vintageOf(position)
              : 'book';
    const t = positionTotals(position, asOf);
    const g = groups.get(key) ?? { paidIn: 0n, distributed: 0n, nav: 0n, flows: [], positions: 0 };
    g.paidIn += t.paidIn;
    g.distributed += t.distributed;
    g.nav += t.nav;
    g.flows.push(...t.flows);
    g.positions += 1;
    groups.set(key, g);
  }
  return [...groups.entries()]
    .map(([key, t]) => finish(key, t, asOf))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}
