/**
 * Allocation and pacing use cases: are we on pace, how is the equity book doing, where will it land.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ledgerEntriesOfInstruments } from '../db/ledger-rows.ts';
import {
  type BookDimension,
  bookMetrics,
  type Position,
  type PositionEntry,
  vintageOf,
} from '../domain/book-metrics.ts';
import { invariant } from '../domain/errors.ts';
import { type IsoDate, isoDate } from '../domain/fields.ts';
import { type Cents, ZERO } from '../domain/money.ts';
import { bands, type MonteCarloSpec } from '../domain/monte-carlo.ts';
import {
  type PacingLine,
  pacing,
  pacingPath,
  type SegmentPacingLine,
  segmentPacing,
} from '../domain/pacing.ts';
import type { PublicBreakdown } from '../domain/public-summary.ts';
import { authorize } from '../domain/roles.ts';
import { parametersFor, type YaleCalibration, type YaleParameters } from '../domain/yale-model.ts';
import { type Actor, type AppContext, type Progress, today } from './context.ts';
import { DATA_DIR } from './data-files.ts';
import { runChunks } from './monte-carlo-pool.ts';
import { currentProgramme } from './programme.ts';
import { publicAggregates, seesSuppressedFigures } from './public-aggregates.ts';
import { programmeAggregates } from './summary.ts';

/**
 * Pacing as of a date: the counted totals and cap usage are read from the ledger as of that date (entries
 * effective on or before it), so a past date answers what the quarterly report for that date says.
 * Without a date, today against the totals kept with every write. The public side gets suppressed figures.
 */
export async function pacingReport(ctx: AppContext, actor: Actor, date?: IsoDate) {
  const asOf = date ?? today();
  if (seesSuppressedFigures(actor)) return publicPacingReport(ctx, actor, asOf, date);
  const summary = await programmeAggregates(ctx, actor, date);
  const { programme } = await currentProgramme(ctx.database.db);
  const equityCap = summary.caps.find(
    (c) =>
      c.scopeKey === '*' && programme.caps.find((p) => p.id === c.capId)?.instruments.has('direct_equity'),
  );
  const lines = pacing(programme, summary.counted, equityCap?.used ?? ZERO, asOf);
  const total = lines.find((l) => l.target === 'total');
  invariant(total !== undefined, 'pacing always has a total line');
  return {
    asOf,
    methodologyVersion: summary.programme.methodologyVersion,
    lines,
    /** The total target by year: the plan and counted (cumulative, exact), then projected and required. */
    path: {
      years: summary.byYear.map((y) => ({
        year: y.year,
        cumulativePlan: y.cumulativePlan,
        cumulativeCounted: y.cumulativeCounted,
      })),
      ahead: pacingPath(programme, total, asOf),
    },
    /** Per core area and per instrument, when the programme file plans them (empty otherwise). */
    areas: segmentPacing(
      programme,
      programme.areaPlans,
      new Map(summary.byArea.map((a) => [a.key, a.counted])),
      asOf,
    ),
    instruments: segmentPacing(
      programme,
      programme.instrumentPlans,
      new Map(summary.byInstrument.map((i) => [i.key, i.counted])),
      asOf,
    ),
  };
}

/** A pacing line whose counted figure is hidden from the public side: only the goal and the plan remain. */
const withheld = <L extends PacingLine | SegmentPacingLine>(line: L) => ({
  ...line,
  counted: null,
  requiredRunRate: null,
  status: null,
  ...('runRate' in line ? { runRate: null, projected: null } : {}),
});

/**
 * Pacing for the public side, from the suppressed aggregates: a line whose counted figure fewer than k
 * deals add up to shows its goal and plan only (its run-rate, projection and status would give it away).
 */
async function publicPacingReport(ctx: AppContext, actor: Actor, asOf: string, date?: IsoDate) {
  const summary = await publicAggregates(ctx, actor, date);
  const { programme } = await currentProgramme(ctx.database.db);
  const equityCap = summary.caps.find(
    (c) =>
      c.scopeKey === '*' && programme.caps.find((p) => p.id === c.capId)?.instruments.has('direct_equity'),
  );
  const figure = {
    total: summary.counted.total,
    baseline: summary.counted.baseline,
    incremental: summary.counted.incremental,
    equity_vc_cap: equityCap ? equityCap.used : ZERO,
  };
  const known = (value: Cents | null) => value ?? ZERO;
  const lines = pacing(
    programme,
    { total: known(figure.total), baseline: known(figure.baseline), incremental: known(figure.incremental) },
    known(figure.equity_vc_cap),
    asOf,
  );
  const total = lines.find((l) => l.target === 'total');
  invariant(total !== undefined, 'pacing always has a total line');
  // Where a table merged hidden cells, an absent key may be hidden or empty: neither is shown as zero.
  const segments = (rows: PublicBreakdown[]) => {
    const merged = rows.some((r) => r.merged);
    const shown = new Map(
      rows.flatMap((r) => (!r.merged && r.counted !== null ? [[r.key, r.counted] as const] : [])),
    );
    return { shown, hidden: (key: string) => !shown.has(key) && (merged || summary.counted.total === null) };
  };
  const areas = segments(summary.byArea);
  const instruments = segments(summary.byInstrument);
  return {
    asOf,
    methodologyVersion: summary.programme.methodologyVersion,
    disclosure: summary.disclosure,
    lines: lines.map((l) => (figure[l.target] === null ? withheld(l) : l)),
    path: {
      years: summary.byYear.map((y) => ({
        year: y.year,
        cumulativePlan: y.cumulativePlan,
        cumulativeCounted: y.cumulativeCounted,
      })),
      ahead: figure.total === null ? [] : pacingPath(programme, total, asOf),
    },
    areas: segmentPacing(programme, programme.areaPlans, areas.shown, asOf).map((l) =>
      areas.hidden(l.key) ? withheld(l) : l,
    ),
    instruments: segmentPacing(programme, programme.instrumentPlans, instruments.shown, asOf).map((l) =>
      instruments.hidden(l.key) ? withheld(l) : l,
    ),
  };
}

/** Equity and venture positions with their ledger entries, up to a date. */
async function equityPositions(ctx: AppContext): Promise<(Position & { instrument: string })[]> {
  const rows = await ledgerEntriesOfInstruments(ctx.database.db, ['direct_equity', 'venture_capital']);
  const positions = new Map<string, Position & { instrument: string; entries: PositionEntry[] }>();
  for (const r of rows) {
    const p = positions.get(r.id) ?? {
      dealId: r.id,
      instrument: r.instrument,
      subAreaId: r.sub_area_id,
      areaId: r.area_id,
      entries: [],
    };
    p.entries.push({
      kind: r.kind,
      amount: r.amount_cents,
      effectiveOn: r.effective_on,
    });
    positions.set(r.id, p);
  }
  return [...positions.values()];
}

export const metricsQuerySchema = z.object({
  by: z.enum(['deal', 'subArea', 'area', 'vintage', 'book']).default('book'),
  asOf: isoDate.optional(),
});

export async function equityBookMetrics(
  ctx: AppContext,
  actor: Actor,
  query: { by: BookDimension; asOf?: string | undefined },
) {
  authorize(actor, 'ledger.read');
  const asOf = query.asOf ?? today();
  return { asOf, by: query.by, rows: bookMetrics(await equityPositions(ctx), asOf, query.by) };
}

const yaleParametersSchema = z.object({
  contributionRates: z.array(z.number().min(0).max(1)).min(1),
  bow: z.number().positive(),
  lifeYears: z.number().positive(),
  yield: z.number().min(0).max(1),
  growth: z.number().gt(-1),
});
/** An override must say where its calibration comes from. */
const calibratedSchema = yaleParametersSchema.extend({ source: z.string().min(10) });
const modelFileSchema = z.object({
  source: z.string(),
  default: yaleParametersSchema,
  byInstrument: z.partialRecord(z.enum(['direct_equity', 'venture_capital']), calibratedSchema).default({}),
  bySubArea: z.record(z.string(), calibratedSchema).default({}),
  growthVolatility: z.number().min(0),
  timingVolatility: z.number().min(0),
});

export const projectionQuerySchema = z.object({
  paths: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(2026),
  quarters: z.coerce.number().int().min(1).max(80).default(40),
});

/**
 * P10/P50/P90 bands of the equity book's NAV, calls, distributions and cap usage (paid-in as a share of the
 * equity cap) over the next quarters. Positions are grouped by vintage; each cohort runs the Takahashi–
 * Alexander model from its current paid-in and NAV. Cohorts share the same random draws path by path (one
 * market factor), which is the cautious choice for bands: it does not diversify shocks away.
 */
/**
 * Starts a projection after checking, synchronously, that the actor may run it: a streaming route can then
 * answer 403 before it commits to a 200 event stream.
 */
export function startProjection(
  ...args: Parameters<typeof projectEquityBook>
): ReturnType<typeof projectEquityBook> {
  authorize(args[1], 'programme.detail');
  return projectEquityBook(...args);
}

export async function projectEquityBook(
  ctx: AppContext,
  actor: Actor,
  query: z.infer<typeof projectionQuerySchema>,
  options: { onProgress?: Progress; signal?: AbortSignal } = {},
) {
  authorize(actor, 'programme.detail');
  const model = modelFileSchema.parse(
    JSON.parse(readFileSync(join(DATA_DIR, 'models', 'yale-parameters.json'), 'utf8')),
  );
  const calibration: YaleCalibration = {
    default: model.default,
    byInstrument: model.byInstrument as YaleCalibration['byInstrument'],
    bySubArea: model.bySubArea,
  };
  const asOf = today();
  const { programme } = await currentProgramme(ctx.database.db);
  const cap = programme.caps.find((c) => c.scope === 'programme' && c.instruments.has('direct_equity'));
  // A cohort is a vintage under one parameter set: the sub-area's or instrument's calibration, if any.
  const cohorts = new Map<
    string,
    { vintage: string; params: YaleParameters; commitment: number; paidIn: number; nav: number }
  >();
  for (const position of await equityPositions(ctx)) {
    const [m] = bookMetrics([position], asOf, 'book');
    const committed = position.entries.reduce(
      (sum, e) => sum + (e.kind === 'commitment' ? e.amount : e.kind === 'cancellation' ? -e.amount : 0n),
      0n,
    );
    const vintage = vintageOf(position);
    const { key, params } = parametersFor(calibration, position);
    const name = key === 'default' ? vintage : `${vintage} (${key})`;
    const c = cohorts.get(name) ?? { vintage, params, commitment: 0, paidIn: 0, nav: 0 };
    c.commitment += Number(committed) / 100;
    c.paidIn += Number(m!.paidIn) / 100;
    c.nav += Number(m!.nav) / 100;
    cohorts.set(name, c);
  }
  const sums = {
    nav: new Float64Array(query.paths * query.quarters),
    contributions: new Float64Array(query.paths * query.quarters),
    distributions: new Float64Array(query.paths * query.quarters),
    paidIn: new Float64Array(query.paths * query.quarters),
  };
  let cohortIndex = 0;
  for (const c of cohorts.values()) {
    const { vintage, params } = c;
    const age =
      vintage === 'undrawn'
        ? 0
        : Math.max(
            0,
            (Date.parse(`${asOf}T00:00:00Z`) - Date.UTC(Number(vintage), 0, 1)) / (365.25 * 86_400_000),
          );
    const spec: MonteCarloSpec = {
      params,
      commitment: c.commitment,
      start: { age, paidIn: c.paidIn, nav: c.nav },
      steps: query.quarters,
      stepsPerYear: 4,
      growthVolatility: model.growthVolatility,
      timingVolatility: model.timingVolatility,
    };
    const base = cohortIndex++;
    const { chunks, sizes } = await runChunks(spec, query.paths, query.seed, {
      signal: options.signal,
      owner: actor.id,
      onProgress: (done, total) => options.onProgress?.(base * total + done, cohorts.size * total),
    });
    // Chunk-major arrays ([step × paths] per chunk) are added into one [step × all paths] layout.
    let offset = 0;
    chunks.forEach((chunk, i) => {
      const n = sizes[i]!;
      for (const key of ['nav', 'contributions', 'distributions', 'paidIn'] as const) {
        for (let s = 0; s < query.quarters; s++) {
          const from = chunk[key].subarray(s * n, s * n + n);
          const target = sums[key];
          const at = s * query.paths + offset;
          for (let p = 0; p < n; p++) target[at + p] = target[at + p]! + from[p]!;
        }
      }
      offset += n;
    });
  }
  const band = (values: Float64Array) => bands([values], [query.paths], query.quarters);
  const capLimit = cap ? Number(cap.limit) / 100 : 0;
  return {
    asOf,
    paths: query.paths,
    seed: query.seed,
    quarters: query.quarters,
    cohorts: [...cohorts.keys()],
    modelSource: model.source,
    nav: band(sums.nav),
    contributions: band(sums.contributions),
    distributions: band(sums.distributions),
    capUsage: capLimit
      ? band(sums.paidIn).map((b) => ({
          step: b.step,
          p10: b.p10 / capLimit,
          p50: b.p50 / capLimit,
          p90: b.p90 / capLimit,
        }))
      : [],
  };
}
