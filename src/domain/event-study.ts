/**
 * Market-model event studies (MacKinlay, "Event Studies in Economics and Finance", Journal of Economic
 * Literature 35(1), 1997): for each firm, OLS of its return on the market's over an estimation window;
 * abnormal returns AR_t = R_t − (α + β·Rm_t) over the event window; cumulative abnormal returns over chosen
 * windows; and across firms the standard test statistics:
 *  - cross-sectional t: mean CAR / (sd(CAR)/√N) (Brown & Warner 1985);
 *  - Patell Z (Patell 1976): standardised abnormal returns SAR_t = AR_t / (σ̂·√(1 + 1/L + (Rm_t − R̄m)²/Σ(Rm − R̄m)²)),
 *    SCAR = Σ SAR / √T, Z = Σ SCAR / √(N·(L−2)/(L−4));
 *  - BMP t (Boehmer, Musumeci & Poulsen 1991): mean SCAR / (sd(SCAR)/√N), robust to event-induced variance;
 *  - Corrado rank (Corrado 1989, multi-day form of Cowan 1992): ranks of each firm's ARs over estimation and
 *    event windows together, T = Σ_{t∈w} D̄_t / (√|w|·S), D̄_t the mean rank deviation on day t, S its sd.
 * Returns are simple daily returns as floats: analytics, not money.
 */
import { invariant } from './errors.ts';

export interface EventStudySpec {
  /** Estimation window in trading days relative to the event (e.g. −250 … −31). */
  estimation: [number, number];
  /** Windows over which CARs are reported, e.g. [[−1, 1], [0, 5]]. */
  windows: [number, number][];
}

export interface FirmSeries {
  ticker: string;
  /** Returns aligned with `market`, same length; NaN where the firm has no return that day. */
  returns: Float64Array;
}

export interface FirmResult {
  ticker: string;
  alpha: number;
  beta: number;
  sigma: number;
  estimationDays: number;
  /** Abnormal returns from the first to the last day of all windows (day → AR). */
  ar: Map<number, number>;
  car: number[];
}

export interface WindowStats {
  window: [number, number];
  caar: number;
  crossSectionalT: number;
  patellZ: number;
  bmpT: number;
  corradoT: number;
  positive: number;
}

const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s / xs.length;
};
const sd = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};

/**
 * Each finite value's rank among the finite values (ties share their average rank, as in Corrado 1989),
 * less the mid-rank (n + 1)/2; NaN stays NaN.
 */
export function rankDeviations(values: readonly number[]): number[] {
  const order = values
    .flatMap((v, i) => (Number.isFinite(v) ? [i] : []))
    .sort((p, q) => values[p]! - values[q]!);
  const mid = (order.length + 1) / 2;
  const out = values.map(() => Number.NaN);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + 1 + end) / 2; // average of ranks start+1 … end
    for (let k = start; k < end; k++) out[order[k]!] = rank - mid;
    start = end;
  }
  return out;
}

/** The event windows' span, after checking that they follow the estimation window and fit the series. */
function eventSpan(market: Float64Array, eventIndex: number, spec: EventStudySpec) {
  const [e0, e1] = spec.estimation;
  invariant(e0 < e1 && e1 < 0, 'the estimation window must end before the event');
  const first = Math.min(...spec.windows.map((w) => w[0]));
  const last = Math.max(...spec.windows.map((w) => w[1]));
  invariant(
    spec.windows.every((w) => w[0] <= w[1]) && first > e1,
    'event windows must follow the estimation window',
  );
  invariant(
    eventIndex + e0 >= 0 && eventIndex + last < market.length,
    'not enough trading days around the event',
  );
  return { first, last };
}

/** A firm's market model with what the test statistics need beyond its result: SARs and rank deviations. */
type FittedFirm = FirmResult & { sar: Map<number, number>; rankDeviations: number[] };

/**
 * OLS of the firm's returns on the market's over the estimation window, then its ARs, SARs and CARs over the
 * event windows; or why it cannot be estimated.
 */
function fitMarketModel(
  firm: FirmSeries,
  market: Float64Array,
  eventIndex: number,
  spec: EventStudySpec,
  first: number,
  last: number,
): FittedFirm | { skipped: string } {
  const [e0, e1] = spec.estimation;
  invariant(firm.returns.length === market.length, `${firm.ticker}: returns not aligned with the market`);
  const xs: number[] = [];
  const ys: number[] = [];
  const offsets: number[] = [];
  for (let t = e0; t <= e1; t++) {
    const y = firm.returns[eventIndex + t] as number;
    const x = market[eventIndex + t] as number;
    if (Number.isFinite(y) && Number.isFinite(x)) {
      xs.push(x);
      ys.push(y);
      offsets.push(t - e0);
    }
  }
  const L = xs.length;
  if (L < 30) return { skipped: `only ${L} estimation days (need 30)` };
  const mx = mean(xs);
  const my = mean(ys);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < L; i++) {
    sxx += ((xs[i] as number) - mx) ** 2;
    sxy += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
  }
  if (sxx === 0) return { skipped: 'the market did not move in the estimation window' };
  const beta = sxy / sxx;
  const alpha = my - beta * mx;
  let sse = 0;
  // Indexed by day offset so that the rank test compares the same days across firms.
  const estimationAr = new Array<number>(e1 - e0 + 1).fill(Number.NaN);
  for (let i = 0; i < L; i++) {
    const r = (ys[i] as number) - alpha - beta * (xs[i] as number);
    sse += r * r;
    estimationAr[offsets[i] as number] = r;
  }
  const sigma = Math.sqrt(sse / (L - 2));
  const ar = new Map<number, number>();
  const sar = new Map<number, number>();
  for (let t = first; t <= last; t++) {
    const y = firm.returns[eventIndex + t] as number;
    const x = market[eventIndex + t] as number;
    if (!Number.isFinite(y) || !Number.isFinite(x)) continue;
    const a = y - alpha - beta * x;
    ar.set(t, a);
    sar.set(t, a / (sigma * Math.sqrt(1 + 1 / L + (x - mx) ** 2 / sxx)));
  }
  const car = spec.windows.map(([a, b]) => {
    let s = 0;
    for (let t = a; t <= b; t++) s += ar.get(t) ?? 0;
    return s;
  });
  // Corrado: rank this firm's ARs over estimation + event days together; keep deviations from the mid-rank.
  const combined = [
    ...estimationAr,
    ...Array.from({ length: last - first + 1 }, (_, k) => ar.get(first + k) ?? Number.NaN),
  ];
  return {
    ticker: firm.ticker,
    alpha,
    beta,
    sigma,
    estimationDays: L,
    ar,
    car,
    sar,
    rankDeviations: rankDeviations(combined),
  };
}

/** The cross-firm statistics of the k-th window (NaN tests with fewer than two firms). */
function windowStats(
  fitted: readonly FittedFirm[],
  w: [number, number],
  k: number,
  first: number,
  last: number,
): WindowStats {
  const N = fitted.length;
  if (N < 2)
    return {
      window: w,
      caar: N ? (fitted[0]?.car[k] as number) : 0,
      crossSectionalT: Number.NaN,
      patellZ: Number.NaN,
      bmpT: Number.NaN,
      corradoT: Number.NaN,
      positive: 0,
    };
  const cars = fitted.map((r) => r.car[k] as number);
  const days = w[1] - w[0] + 1;
  const scars = fitted.map((r) => {
    let s = 0;
    for (let t = w[0]; t <= w[1]; t++) s += r.sar.get(t) ?? 0;
    return s / Math.sqrt(days);
  });
  const patellVariance = fitted.reduce((s, r) => s + (r.estimationDays - 2) / (r.estimationDays - 4), 0);
  // Corrado: day-by-day mean rank deviation across firms, its sd over all days, then the window sum.
  const ranks = fitted.map((r) => r.rankDeviations);
  const allDays = (ranks[0] as number[]).length;
  const meanDev = Array.from({ length: allDays }, (_, d) => {
    const vals = ranks.map((r) => r[d] as number).filter((v) => Number.isFinite(v));
    return vals.length ? mean(vals) : 0;
  });
  const sK = Math.sqrt(meanDev.reduce((s, v) => s + v * v, 0) / allDays);
  const estimationDays = allDays - (last - first + 1);
  let windowSum = 0;
  for (let t = w[0]; t <= w[1]; t++) windowSum += meanDev[estimationDays + (t - first)] as number;
  return {
    window: w,
    caar: mean(cars),
    crossSectionalT: mean(cars) / (sd(cars) / Math.sqrt(N)),
    patellZ: scars.reduce((s, x) => s + x, 0) / Math.sqrt(patellVariance),
    bmpT: mean(scars) / (sd(scars) / Math.sqrt(N)),
    corradoT: windowSum / (Math.sqrt(days) * sK),
    positive: cars.filter((c) => c > 0).length,
  };
}

export function eventStudy(
  market: Float64Array,
  eventIndex: number,
  firms: readonly FirmSeries[],
  spec: EventStudySpec,
) {
  const { first, last } = eventSpan(market, eventIndex, spec);
  const fitted: FittedFirm[] = [];
  const skipped: { ticker: string; reason: string }[] = [];
  for (const firm of firms) {
    const fit = fitMarketModel(firm, market, eventIndex, spec, first, last);
    if ('skipped' in fit) skipped.push({ ticker: firm.ticker, reason: fit.skipped });
    else fitted.push(fit);
  }
  return {
    firms: fitted.map(({ ticker, alpha, beta, sigma, estimationDays, car, ar }) => ({
      ticker,
      alpha,
      beta,
      sigma,
      estimationDays,
      car,
      ar: [...ar.entries()],
    })),
    stats: spec.windows.map((w, k) => windowStats(fitted, w, k, first, last)),
    skipped,
  };
}
