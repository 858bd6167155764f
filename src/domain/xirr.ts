/**
 * XIRR: the annual rate r at which the net present value of dated cash flows is zero,
 *   Σ cfᵢ / (1 + r)^((dᵢ − d₀) / 365) = 0,
 * with the 365-day year of the spreadsheet XIRR function (Microsoft Excel XIRR documentation).
 *
 * Analytics, in floats. Robust where the spreadsheet is not: instead of one Newton run from a guess (which
 * can diverge or return #NUM!), the NPV is scanned for sign changes over r ∈ (−99.99 %, 10⁶ %) on a grid in
 * log(1 + r), and each bracket is refined by bisection. The answer says what it found:
 *  - `ok`: one rate;
 *  - `multiple`: several rates (cash flows with several sign changes); `rate` is the one nearest 10 %, the
 *    spreadsheet's default guess, and `roots` lists all of them;
 *  - `no_solution`: the NPV never crosses zero on that range (e.g. losses too large to express);
 *  - `undefined`: the flows are all of one sign (or empty), so no rate can balance them.
 * Never NaN. Terms are computed in log space, so horizons of centuries do not overflow.
 */

export interface DatedFlow {
  /** ISO date, YYYY-MM-DD. */
  date: string;
  amount: number;
}

export type XirrResult =
  | { status: 'ok'; rate: number }
  | { status: 'multiple'; rate: number; roots: number[] }
  | { status: 'no_solution'; reason: string }
  | { status: 'undefined'; reason: string };

const DAY_MS = 86_400_000;
const MIN_LOG = Math.log(1e-4); // r = −99.99 %
const MAX_LOG = Math.log(1e4); // r = 999,900 %
const GRID = 2_000;

function years(flows: readonly DatedFlow[]): number[] {
  const times = flows.map((f) => Date.parse(`${f.date}T00:00:00Z`));
  const first = Math.min(...times);
  return times.map((t) => (t - first) / DAY_MS / 365);
}

/** NPV as a function of x = ln(1 + r). */
function npvAtLog(amounts: readonly number[], t: readonly number[], x: number): number {
  let sum = 0;
  for (let i = 0; i < amounts.length; i++) sum += amounts[i]! * Math.exp(-x * t[i]!);
  return sum;
}

export function xnpv(rate: number, flows: readonly DatedFlow[]): number {
  const t = years(flows);
  return npvAtLog(
    flows.map((f) => f.amount),
    t,
    Math.log1p(rate),
  );
}

export function xirr(flows: readonly DatedFlow[]): XirrResult {
  if (flows.some((f) => !Number.isFinite(f.amount) || Number.isNaN(Date.parse(`${f.date}T00:00:00Z`)))) {
    return { status: 'undefined', reason: 'a cash flow has an invalid amount or date' };
  }
  const amounts = flows.map((f) => f.amount);
  if (!amounts.some((a) => a > 0) || !amounts.some((a) => a < 0)) {
    return { status: 'undefined', reason: 'XIRR needs at least one negative and one positive cash flow' };
  }
  const t = years(flows);
  const roots: number[] = [];
  let previousX = MIN_LOG;
  let previous = npvAtLog(amounts, t, previousX);
  for (let i = 1; i <= GRID; i++) {
    const x = MIN_LOG + ((MAX_LOG - MIN_LOG) * i) / GRID;
    const value = npvAtLog(amounts, t, x);
    if (previous === 0) roots.push(Math.expm1(previousX));
    else if (
      Math.sign(value) !== Math.sign(previous) &&
      Number.isFinite(value) &&
      Number.isFinite(previous)
    ) {
      roots.push(Math.expm1(bisect(amounts, t, previousX, x, previous)));
    }
    previousX = x;
    previous = value;
  }
  if (!roots.length)
    return {
      status: 'no_solution',
      reason: 'the net present value does not cross zero between −99.99% and 999,900% a year',
    };
  if (roots.length === 1) return { status: 'ok', rate: roots[0]! };
  const nearest = roots.reduce((best, r) => (Math.abs(r - 0.1) < Math.abs(best - 0.1) ? r : best));
  return { status: 'multiple', rate: nearest, roots };
}

function bisect(
  amounts: readonly number[],
  t: readonly number[],
  lo: number,
  hi: number,
  fLo: number,
): number {
  let a = lo;
  let b = hi;
  let fa = fLo;
  for (let i = 0; i < 200 && b - a > 1e-15; i++) {
    const mid = (a + b) / 2;
    const fm = npvAtLog(amounts, t, mid);
    if (fm === 0) return mid;
    if (Math.sign(fm) === Math.sign(fa)) {
      a = mid;
      fa = fm;
    } else b = mid;
  }
  return (a + b) / 2;
}
