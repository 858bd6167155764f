/**
 * The monthly pipeline report, in the manner of the US Department of Energy Loan Programs Office's monthly
 * application reports: applications received in the month (intake), the pipeline at month end by stage,
 * amounts requested by sector (area) and state, and the intake rate over the last six months.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import { monthField } from '../../domain/fields.ts';
import { exactAmount, byStage as funnelOrder, label, stateName } from '../../domain/format.ts';
import { authorize } from '../../domain/roles.ts';
import { OPEN_STAGES } from '../../domain/stages.ts';
import { throwIfCancelled } from '../cancellation.ts';
import type { Actor, AppContext } from '../context.ts';
import { escapeHtml, htmlTable } from './html.ts';
import { svgChart } from './svg-chart.ts';

/** "2026-11" → first and last day of the month (the field parser lives with the other input fields). */
export const monthSchema = monthField;

export async function monthlyPipelineReport(
  ctx: AppContext,
  actor: Actor,
  month: z.infer<typeof monthSchema>,
  options: { signal?: AbortSignal } = {},
) {
  authorize(actor, 'programme.detail');
  const db = ctx.database.db;
  // The pipeline as it stood at month end: each deal's stage from its last move on or before that day.
  const atEnd = sql`
    SELECT d.id, d.amount_cents, s.area_id, a.name AS area_name, c.hq_state_fips AS state,
           -- The opening move dates from the deal's opened_on (imports open deals after the fact).
           (SELECT m.to_stage FROM deal_stage_moves m
            WHERE m.deal_id = d.id
              AND (CASE WHEN m.from_stage IS NULL THEN d.opened_on ELSE m.moved_at::date END) <= ${month.end}::date
            ORDER BY m.id DESC LIMIT 1) AS stage
    FROM deals d JOIN sub_areas s ON s.id = d.sub_area_id JOIN areas a ON a.id = s.area_id JOIN companies c ON c.id = d.company_id
    WHERE d.opened_on <= ${month.end}::date`;
  const [intake, byStage, byArea, byState, rate] = await Promise.all([
    sql<{ deals: bigint; amount: string | null }>`
      SELECT count(*)::bigint AS deals, sum(amount_cents) AS amount FROM deals
      WHERE opened_on BETWEEN ${month.start}::date AND ${month.end}::date`.execute(db),
    sql<{ stage: string; deals: bigint; amount: string }>`
      SELECT stage, count(*)::bigint AS deals, sum(amount_cents) AS amount FROM (${atEnd}) p
      WHERE stage IS NOT NULL GROUP BY stage ORDER BY stage`.execute(db),
    sql<{ area_name: string; deals: bigint; amount: string }>`
      SELECT area_name, count(*)::bigint AS deals, sum(amount_cents) AS amount FROM (${atEnd}) p
      WHERE stage = ANY(${OPEN_STAGES}::text[]) GROUP BY area_name ORDER BY 3 DESC`.execute(db),
    sql<{ state: string | null; deals: bigint; amount: string }>`
      SELECT state, count(*)::bigint AS deals, sum(amount_cents) AS amount FROM (${atEnd}) p
      WHERE stage = ANY(${OPEN_STAGES}::text[]) GROUP BY state ORDER BY 3 DESC`.execute(db),
    sql<{ month: string; deals: bigint }>`
      SELECT to_char(date_trunc('month', opened_on), 'YYYY-MM') AS month, count(*)::bigint AS deals FROM deals
      WHERE opened_on > (${month.end}::date - interval '6 months') AND opened_on <= ${month.end}::date
      GROUP BY 1 ORDER BY 1`.execute(db),
  ]);
  throwIfCancelled(options.signal, 'report');
  const figures = {
    month: month.label,
    applications: Number(intake.rows[0]?.deals ?? 0n),
    requestedCents: BigInt(intake.rows[0]?.amount ?? 0n),
    openDeals: byArea.rows.reduce((s, r) => s + Number(r.deals), 0),
    openRequestedCents: byArea.rows.reduce((s, r) => s + BigInt(r.amount), 0n),
    intakePerMonth: rate.rows.reduce((s, r) => s + Number(r.deals), 0) / 6,
  };
  const chart = svgChart({
    grid: { left: 50, right: 20, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: rate.rows.map((r) => r.month) },
    yAxis: { type: 'value', name: 'applications' },
    series: [{ type: 'bar', data: rate.rows.map((r) => Number(r.deals)) }],
  });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Monthly pipeline report ${escapeHtml(month.label)}</title>
<style>body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11px;margin:28px;color:#1d2733}h1{font-size:18px}h2{font-size:13px;border-bottom:1px solid #ccd}table{border-collapse:collapse;width:100%}td,th{padding:3px 6px;border-bottom:1px solid #e3e6ea;text-align:left}</style></head><body>
<h1>Monthly pipeline report — ${escapeHtml(month.label)}</h1>
<p>Applications received: <b id="applications">${figures.applications}</b>, requesting <b id="requested">${exactAmount(figures.requestedCents)}</b>. Open pipeline at month end: ${figures.openDeals} deals, ${exactAmount(figures.openRequestedCents)} requested. Intake over the last six months: ${figures.intakePerMonth.toFixed(1)} a month.</p>
<h2>Intake by month</h2>${chart}
<h2>Pipeline by stage at month end</h2>${htmlTable(
    ['stage', 'deals', 'amount requested'],
    [...byStage.rows]
      .sort(funnelOrder((r) => r.stage))
      .map((r) => [label(r.stage), Number(r.deals), exactAmount(BigInt(r.amount))]),
  )}
<h2>Open pipeline by sector</h2>${htmlTable(
    ['area', 'deals', 'amount requested'],
    byArea.rows.map((r) => [r.area_name, Number(r.deals), exactAmount(BigInt(r.amount))]),
  )}
<h2>Open pipeline by state (headquarters)</h2>${htmlTable(
    ['state', 'deals', 'amount requested'],
    byState.rows.map((r) => [
      r.state ? stateName(r.state) : 'not recorded',
      Number(r.deals),
      exactAmount(BigInt(r.amount)),
    ]),
  )}
</body></html>`;
  return { figures, html };
}
