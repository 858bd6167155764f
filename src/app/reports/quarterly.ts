/**
 * The quarterly progress report: what the programme counted by the quarter's end and within it, pacing,
 * breakdowns, caps, the pipeline, research exposure, the methodology version and the data sources. Every
 * headline figure comes from the ledger as of the quarter's end (summed from the ledger itself, not from
 * kept totals), so the report can be checked against it.
 */

import { type NameBook, nameBook } from '../../db/names-repo.ts';
import { type IsoDate, reportingDate } from '../../domain/fields.ts';
import {
  byStage,
  compactAmount,
  exactAmount,
  formatPercent,
  formatShare,
  label,
  moneyScaleForCents,
} from '../../domain/format.ts';
import { pacing } from '../../domain/pacing.ts';
import { publicRecordLines } from '../../domain/public-record/record-summary.ts';
import { authorize, can } from '../../domain/roles.ts';
import type { ProgrammeSummary } from '../../domain/summary.ts';
import { throwIfCancelled } from '../cancellation.ts';
import type { Actor, AppContext } from '../context.ts';
import { today as currentDate } from '../context.ts';
import { bookAsOf } from '../credit/book.ts';
import { watchlistAsOf } from '../credit/covenants.ts';
import { currentProgramme } from '../programme.ts';
import { researchScores } from '../research/analysis.ts';
import { programmeSummary } from '../summary.ts';
import { CONFIDENTIAL_MARKING, escapeHtml, htmlTable } from './html.ts';
import { dayBefore, type Quarter } from './quarter.ts';
import { svgChart } from './svg-chart.ts';

export interface QuarterlyFigures {
  quarter: string;
  /** The quarter's end, or today for a quarter not yet over. */
  asOf: string;
  /** The quarter is not over: the figures are "to date". */
  toDate: boolean;
  quarterEnd: string;
  countedToDate: bigint;
  countedInQuarter: bigint;
  own: bigint;
  facilitated: bigint;
  methodologyVersion: number;
}

export async function quarterlyReport(
  ctx: AppContext,
  actor: Actor,
  quarter: Quarter,
  options: { signal?: AbortSignal; today?: IsoDate } = {},
) {
  authorize(actor, 'programme.detail');
  const started = performance.now();
  const { asOf, toDate } = reportingDate(quarter, options.today ?? currentDate());
  const [atEnd, before, { programme }, research, credit] = await Promise.all([
    programmeSummary(ctx, actor, asOf),
    programmeSummary(ctx, actor, dayBefore(quarter.start), { caps: false }),
    currentProgramme(ctx.database.db),
    researchScores(ctx, actor).catch(() => null),
    can(actor, 'credit.read') ? creditFigures(ctx, asOf) : Promise.resolve(null),
  ]);
  throwIfCancelled(options.signal, 'report');
  const equityCap = atEnd.caps.find(
    (c) =>
      c.scopeKey === '*' && programme.caps.find((p) => p.id === c.capId)?.instruments.has('direct_equity'),
  );
  const lines = pacing(programme, atEnd.counted, equityCap?.used ?? atEnd.counted.own, asOf);
  const figures: QuarterlyFigures = {
    quarter: quarter.label,
    asOf,
    toDate,
    quarterEnd: quarter.end,
    countedToDate: atEnd.counted.total,
    countedInQuarter: atEnd.counted.total - before.counted.total,
    own: atEnd.counted.own,
    facilitated: atEnd.counted.facilitated,
    methodologyVersion: atEnd.programme.methodologyVersion,
  };
  const topMaterials = (research?.scores ?? [])
    .filter((s) => s.kind === 'material' && s.usgs)
    .sort((a, b) => (b.usgs?.supplyRisk ?? 0) - (a.usgs?.supplyRisk ?? 0))
    .slice(0, 6);
  const names = await nameBook(
    ctx.database.db,
    atEnd.caps.map((c) => c.scopeKey),
  );
  const html = renderHtml(atEnd, figures, lines, topMaterials, programme.source, names, credit);
  return { figures, html, buildMs: performance.now() - started };
}

/** The credit book as of the report's date: EAD, EL, concentration and the covenant watchlist. */
async function creditFigures(ctx: AppContext, asOf: string) {
  const [book, watchlist] = await Promise.all([
    bookAsOf(ctx, asOf),
    // As it stood that day: a waiver the committee recorded after the quarter end does not clear it.
    watchlistAsOf(ctx.database.db, asOf, { actionsRecordedBy: asOf }),
  ]);
  return { book, watchlist };
}
type CreditFigures = Awaited<ReturnType<typeof creditFigures>>;

const TOP_IN_REPORT = 10;

function creditSection(credit: CreditFigures | null, asOf: string): string {
  if (!credit) return '';
  const { book, watchlist } = credit;
  const t = book.totals.programme;
  const c = book.concentration;
  if (book.facilities.length === 0) {
    return `<section id="credit"><h2>Credit book as of ${escapeHtml(asOf)}</h2><p class="muted">No lending facilities.</p></section>`;
  }
  return `<section id="credit"><h2>Credit book as of ${escapeHtml(asOf)}</h2><div class="kpis">
<div class="kpi">Exposure at default<b id="credit-ead">${exactAmount(t.ead)}</b></div>
<div class="kpi">Expected loss<b id="credit-el">${exactAmount(t.el)}</b></div>
<div class="kpi">Ungraded exposure (no EL)<b>${exactAmount(t.ungradedEad)}</b></div>
<div class="kpi">Facilities<b>${t.facilities}</b></div>
<div class="kpi">Obligors on the watchlist<b id="credit-watchlist">${watchlist.count}</b></div>
</div>
<p>Concentration by EAD: HHI by obligor <b id="credit-hhi">${c.hhiByObligor.toFixed(4)}</b>, by sub-area ${c.hhiBySubArea.toFixed(4)}${
    c.largestObligor
      ? `; the largest obligor, ${escapeHtml(c.largestObligor.name)}, holds ${formatPercent(c.largestObligor.share)}`
      : ''
  }.</p>${htmlTable(
    ['obligor', 'EAD', 'share'],
    c.topObligors.slice(0, TOP_IN_REPORT).map((o) => [o.name, exactAmount(o.ead), formatPercent(o.share)]),
    [1, 2],
  )}${
    watchlist.count
      ? htmlTable(
          ['on the watchlist', 'covenant breaches open or accelerated'],
          watchlist.obligors.map((o) => [o.companyName, o.breaches.length]),
          [1],
        )
      : ''
  }<p class="muted">EAD = drawn + CCF × undrawn; EL = PD × LGD × EAD by each obligor's current grade (data/credit/grade-scale.json). HHI = Σ share² (0 to 1). An obligor is on the watchlist while a covenant breach at a test date up to ${escapeHtml(asOf)} is neither waived nor amended by the committee.</p></section>`;
}

/**
 * The cumulative counted series of the plan chart, in dollars (a float: a chart, not the ledger). It stops at
 * the report's date: a later year has nothing counted yet, which is no bar rather than a bar of zero.
 */
export function countedSeries(byYear: ProgrammeSummary['byYear'], asOf: string): Array<number | null> {
  const lastYear = Number(asOf.slice(0, 4));
  return byYear.map((y) => (y.year > lastYear ? null : Number(y.cumulativeCounted) / 100));
}

function renderHtml(
  s: ProgrammeSummary,
  f: QuarterlyFigures,
  lines: ReturnType<typeof pacing>,
  materials: {
    id: string;
    name: string;
    hhi: number | null;
    concernShare: number | null;
    importReliance: number | null;
    usgs: { supplyRisk: number } | null;
  }[],
  programmeSource: string,
  names: NameBook,
  credit: CreditFigures | null,
) {
  const period = f.toDate ? `${f.quarter} to date` : f.quarter;
  // One unit per axis, chosen from the largest figure it shows; the axis name carries it ("$B").
  const planScale = moneyScaleForCents(s.byYear.flatMap((y) => [y.cumulativePlan, y.cumulativeCounted]));
  const areaScale = moneyScaleForCents(s.byArea.map((a) => a.counted));
  const planChart = svgChart({
    legend: { data: ['plan (cumulative)', 'counted (cumulative)'], top: 0 },
    grid: { left: 70, right: 20, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: s.byYear.map((y) => String(y.year)) },
    yAxis: { type: 'value', name: planScale.unit, axisLabel: { formatter: planScale.tick } },
    series: [
      { name: 'plan (cumulative)', type: 'line', data: s.byYear.map((y) => Number(y.cumulativePlan) / 100) },
      {
        name: 'counted (cumulative)',
        type: 'bar',
        data: countedSeries(s.byYear, f.asOf),
      },
    ],
  });
  const areaChart = svgChart(
    {
      grid: { left: 260, right: 20, top: 10, bottom: 30 },
      xAxis: { type: 'value', name: areaScale.unit, axisLabel: { formatter: areaScale.tick } },
      yAxis: { type: 'category', data: s.byArea.map((a) => names.area(a.key)) },
      series: [{ type: 'bar', data: s.byArea.map((a) => Number(a.counted) / 100) }],
    },
    760,
    40 + 36 * Math.max(1, s.byArea.length),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(s.programme.name)} — ${escapeHtml(period)} progress report</title>
<style>
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 11px; color: #1d2733; margin: 28px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 14px; margin: 18px 0 6px; border-bottom: 1px solid #ccd; }
table { border-collapse: collapse; width: 100%; } th, td { padding: 3px 6px; border-bottom: 1px solid #e3e6ea; text-align: left; }
.num { text-align: right; font-variant-numeric: tabular-nums; } .kpis { display: flex; gap: 18px; flex-wrap: wrap; }
.kpi { border: 1px solid #ccd; padding: 6px 10px; } .kpi b { display: block; font-size: 15px; } .muted { color: #5b6675; }
section { page-break-inside: avoid; } .marking { font-weight: bold; letter-spacing: 0.05em; color: #8a1c1c; }
</style></head><body>
<p class="marking" id="marking">${escapeHtml(CONFIDENTIAL_MARKING)}</p>
<h1>${escapeHtml(s.programme.name)}</h1>
<p class="muted" id="period">Quarterly progress report, ${escapeHtml(period)} (figures as of ${escapeHtml(f.asOf)}${
    f.toDate ? `; the quarter ends ${escapeHtml(f.quarterEnd)}` : ''
  }) · programme version ${s.programme.version} · counting methodology v${f.methodologyVersion}</p>
<section><h2>Headline</h2><div class="kpis">
<div class="kpi">Counted to date<b id="counted-to-date">${exactAmount(f.countedToDate)}</b></div>
<div class="kpi">Counted in ${escapeHtml(period)}<b id="counted-in-quarter">${exactAmount(f.countedInQuarter)}</b></div>
<div class="kpi">Share of the ${compactAmount(s.targets.total)} target<b>${formatShare(f.countedToDate, s.targets.total)}</b></div>
<div class="kpi">Own balance sheet<b>${exactAmount(f.own)}</b></div>
<div class="kpi">Facilitated<b>${exactAmount(f.facilitated)}</b></div>
</div></section>
<section><h2>Pacing</h2>${htmlTable(
    ['target', 'goal', 'counted', 'required per year', 'status'],
    lines.map((l) => [
      label(l.target),
      compactAmount(l.goal),
      exactAmount(l.counted),
      compactAmount(BigInt(Math.round(l.requiredRunRate * 100))),
      label(l.status),
    ]),
    [1, 2, 3],
  )}${planChart}</section>
<section><h2>Counted by area</h2>${areaChart}${htmlTable(
    ['area', 'committed', 'counted'],
    s.byArea.map((a) => [names.area(a.key), exactAmount(a.committed), exactAmount(a.counted)]),
    [1, 2],
  )}</section>
<section><h2>Counted by instrument</h2>${htmlTable(
    ['instrument', 'side', 'committed', 'counted'],
    s.byInstrument.map((i) => [label(i.key), i.side, exactAmount(i.committed), exactAmount(i.counted)]),
    [2, 3],
  )}</section>
<section><h2>Caps (usage as of ${escapeHtml(f.asOf)})</h2>${htmlTable(
    ['cap', 'scope', 'limit', 'used', 'headroom'],
    s.caps
      .filter((c) => c.scopeKey === '*' || c.used > 0n)
      .slice(0, 20)
      .map((c) => [
        c.label,
        names.scope(c.scopeKey),
        exactAmount(c.limit),
        exactAmount(c.used),
        exactAmount(c.headroom),
      ]),
    [2, 3, 4],
  )}</section>
<section><h2>Pipeline by stage (current)</h2>${htmlTable(
    ['stage', 'deals', 'amount'],
    [...s.pipeline]
      .sort(byStage((p) => p.stage))
      .map((p) => [label(p.stage), p.deals, exactAmount(p.amount)]),
    [1, 2],
  )}</section>
<section id="public-record"><h2>The public record as of ${escapeHtml(f.asOf)}</h2>${
    s.publicRecord
      ? publicRecordLines(s.publicRecord)
          .map((line) => `<p>${escapeHtml(line)}</p>`)
          .join('')
      : '<p class="muted">No public record loaded.</p>'
  }<p class="muted">Reported deals whose own amount is undisclosed, and unverified leads, count nothing toward the target; their round and project totals are shown for the record only (data/public-record/sri-deals.csv and imports, each row with its sources).</p></section>
${creditSection(credit, f.asOf)}
<section><h2>Supply-chain exposure (research engine)</h2>${
    materials.length
      ? htmlTable(
          ['material', 'HHI', 'share from countries of concern', 'US import reliance', 'USGS supply risk'],
          materials.map((m) => [
            m.name,
            m.hhi === null ? '–' : Math.round(m.hhi),
            m.concernShare === null ? '–' : formatPercent(m.concernShare),
            m.importReliance === null ? '–' : formatPercent(m.importReliance),
            m.usgs ? m.usgs.supplyRisk.toFixed(4) : '–',
          ]),
          [1, 2, 3, 4],
        )
      : '<p class="muted">No research graph loaded.</p>'
  }</section>
<section><h2>Methodology and sources</h2>
<p>Counting methodology v${f.methodologyVersion}: every instrument counts its committed, arranged, underwritten or advised amount at the rate the programme file sets; figures are net of cancellations and dated by their effective date. Amounts are exact to the cent (integer cents).</p>
<p class="muted">Programme: ${escapeHtml(programmeSource)}. Mineral figures: derived by code from the USGS Mineral Commodity Summaries 2025 Data Release (doi:10.5066/P13XCP3R), the World Bank Worldwide Governance Indicators (2022) and the EU Critical Raw Materials study 2023, Annex 4; BEA 1997 benchmark input–output tables. Generated by Keel.</p>
</section>
</body></html>`;
}
