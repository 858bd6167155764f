/**
 * The monthly pipeline report, in the manner of the US Department of Energy Loan Programs Office's monthly
 * application reports: applications received in the month (intake), the pipeline at month end by stage,
 * amounts requested by sector (area) and state, and the intake rate over the last six months.
 */
import type { z } from 'zod';
import { intakeBetween, monthEndPipeline, monthlyIntake } from '../../db/deals-repo.ts';
import { type IsoDate, monthField, reportingDate } from '../../domain/fields.ts';
import { exactAmount, byStage as funnelOrder, label, stateName } from '../../domain/format.ts';
import { authorize } from '../../domain/roles.ts';
import { throwIfCancelled } from '../cancellation.ts';
import { type Actor, type AppContext, today as currentDate } from '../context.ts';
import { CONFIDENTIAL_MARKING, escapeHtml, htmlTable } from './html.ts';
import { svgChart } from './svg-chart.ts';

/** "2026-11" → first and last day of the month (the field parser lives with the other input fields). */
export const monthSchema = monthField;

export async function monthlyPipelineReport(
  ctx: AppContext,
  actor: Actor,
  month: z.infer<typeof monthSchema>,
  options: { signal?: AbortSignal; today?: IsoDate } = {},
) {
  authorize(actor, 'programme.detail');
  const db = ctx.database.db;
  const { asOf, toDate } = reportingDate(month, options.today ?? currentDate());
  const [intake, { byStage, byArea, byState }, rate] = await Promise.all([
    intakeBetween(db, month.start, asOf),
    monthEndPipeline(db, asOf),
    monthlyIntake(db, asOf),
  ]);
  throwIfCancelled(options.signal, 'report');
  const figures = {
    month: month.label,
    asOf,
    toDate,
    applications: Number(intake.deals),
    requestedCents: BigInt(intake.amount ?? 0n),
    openDeals: byArea.reduce((s, r) => s + Number(r.deals), 0),
    openRequestedCents: byArea.reduce((s, r) => s + BigInt(r.amount), 0n),
    intakePerMonth: rate.reduce((s, r) => s + Number(r.deals), 0) / 6,
  };
  const chart = svgChart({
    grid: { left: 50, right: 20, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: rate.map((r) => r.month) },
    yAxis: { type: 'value', name: 'applications' },
    series: [{ type: 'bar', data: rate.map((r) => Number(r.deals)) }],
  });
  const period = toDate ? `${month.label} to date (as of ${asOf})` : month.label;
  const end = toDate ? 'today' : 'month end';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Monthly pipeline report ${escapeHtml(period)}</title>
<style>body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11px;margin:28px;color:#1d2733}h1{font-size:18px}h2{font-size:13px;border-bottom:1px solid #ccd}table{border-collapse:collapse;width:100%}td,th{padding:3px 6px;border-bottom:1px solid #e3e6ea;text-align:left}.marking{font-weight:bold;color:#8a1c1c}</style></head><body>
<p class="marking" id="marking">${escapeHtml(CONFIDENTIAL_MARKING)}</p>
<h1>Monthly pipeline report — ${escapeHtml(period)}</h1>
<p>Applications received: <b id="applications">${figures.applications}</b>, requesting <b id="requested">${exactAmount(figures.requestedCents)}</b>. Open pipeline at ${end}: ${figures.openDeals} deals, ${exactAmount(figures.openRequestedCents)} requested. Intake over the last six months: ${figures.intakePerMonth.toFixed(1)} a month.</p>
<h2>Intake by month</h2>${chart}
<h2>Pipeline by stage at ${end}</h2>${htmlTable(
    ['stage', 'deals', 'amount requested'],
    [...byStage]
      .sort(funnelOrder((r) => r.stage))
      .map((r) => [label(r.stage), Number(r.deals), exactAmount(BigInt(r.amount))]),
  )}
<h2>Open pipeline by sector</h2>${htmlTable(
    ['area', 'deals', 'amount requested'],
    byArea.map((r) => [r.area_name, Number(r.deals), exactAmount(BigInt(r.amount))]),
  )}
<h2>Open pipeline by state (headquarters)</h2>${htmlTable(
    ['state', 'deals', 'amount requested'],
    byState.map((r) => [
      r.state ? stateName(r.state) : 'not recorded',
      Number(r.deals),
      exactAmount(BigInt(r.amount)),
    ]),
  )}
</body></html>`;
  return { figures, html };
}
