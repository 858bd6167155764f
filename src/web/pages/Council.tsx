import type { EChartsOption } from 'echarts';
import type { ReactNode } from 'react';
import { useMemo } from 'react';
import { notShown } from '../../domain/disclosure.ts';
import type { Principal } from '../../domain/roles.ts';
import type { ResponseOf } from '../api.ts';
import { AmountOrHidden } from '../components/Amount.tsx';
import { BreakdownTable } from '../components/BreakdownTable.tsx';
import { Chart } from '../components/Chart.tsx';
import { KpiTiles } from '../components/KpiTiles.tsx';
import { PublicRecordPanel } from '../components/PublicRecordPanel.tsx';
import { ErrorState, Loading } from '../components/States.tsx';
import { byStage, chartDollars, compactAmount, countOrHidden, formatShare, stageLabel } from '../format.ts';
import { useNames } from '../names.ts';
import { useApi } from '../use-api.ts';
import { yearChart } from './Dashboard.tsx';
import { CouncilMeetings } from './governance/CouncilMeetings.tsx';
import { ImpactWatch } from './governance/ImpactWatch.tsx';

/** The public side receives the suppressed summary (amounts as strings of cents; a hidden figure null). */
type PublicWire = Extract<ResponseOf<'GET /api/programme/aggregates'>, { disclosure: unknown }>;
/**
 * The private side receives the exact one, which has the same fields with no null and no `disclosure` (its
 * figures are all shown), so both read as this.
 */
type CouncilWire = Omit<PublicWire, 'disclosure'> & { disclosure?: PublicWire['disclosure'] };

function CouncilKpis({ s, k }: { s: CouncilWire; k: number }) {
  const ofTarget = (part: string | null, whole: string) =>
    part === null ? notShown(k) : `${formatShare(part, whole)} of ${compactAmount(whole)}`;
  const ofCounted = (part: string | null) =>
    part === null || s.counted.total === null ? '' : `${formatShare(part, s.counted.total)} of counted`;
  const items: Array<[string, ReactNode, string]> = [
    [
      'Counted to date',
      <AmountOrHidden key="value" cents={s.counted.total} k={k} />,
      ofTarget(s.counted.total, s.targets.total),
    ],
    [
      'Baseline',
      <AmountOrHidden key="value" cents={s.counted.baseline} k={k} />,
      ofTarget(s.counted.baseline, s.targets.baseline),
    ],
    [
      'Incremental',
      <AmountOrHidden key="value" cents={s.counted.incremental} k={k} />,
      ofTarget(s.counted.incremental, s.targets.incremental),
    ],
    [
      'Own balance sheet',
      <AmountOrHidden key="value" cents={s.counted.own} k={k} />,
      ofCounted(s.counted.own),
    ],
    [
      'Facilitated',
      <AmountOrHidden key="value" cents={s.counted.facilitated} k={k} />,
      ofCounted(s.counted.facilitated),
    ],
  ];
  return <KpiTiles items={items} />;
}

/** What the external council and the public side may see: aggregates only, never a deal or a counterparty. */
export function Council({ user }: { user: Principal }) {
  const aggregates = useApi('/api/programme/aggregates');
  // Areas, sub-areas and stages by the names the private side reads (a new user's pass found raw keys).
  const names = useNames();
  const s = aggregates.data as CouncilWire | undefined;
  const error = aggregates.error;
  const charts = useMemo(() => {
    if (!s) return null;
    const areas: EChartsOption = {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          data: s.byArea.flatMap((a) =>
            a.counted === null
              ? []
              : [{ name: a.merged ? 'other areas' : names.area(a.key), value: chartDollars(a.counted) }],
          ),
        },
      ],
    };
    return { year: yearChart(s), areas };
  }, [s, names]);
  if (error) return <ErrorState error={error} />;
  if (!s || !charts) return <Loading />;
  const k = s.disclosure?.minimumCellSize ?? 3;
  const deals = s.pipeline.some((p) => p.deals === null)
    ? null
    : s.pipeline.reduce((n, p) => n + (p.deals ?? 0), 0);
  return (
    <>
      <h1>Council portal</h1>
      <p className="muted">
        Aggregates of {s.programme.name}; counting methodology v{s.programme.methodologyVersion}. Deal-level
        information is not shown here.
        {s.disclosure ? ` A figure that fewer than ${k} deals add up to is not shown.` : ''}
      </p>
      <CouncilKpis s={s} k={k} />
      <PublicRecordPanel record={s.publicRecord} />
      <div className="two">
        <section className="panel">
          <h2>Plan vs counted by year</h2>
          <Chart name="council-plan-vs-counted" option={charts.year} />
        </section>
        <section className="panel">
          <h2>By core area</h2>
          <Chart name="council-by-area" option={charts.areas} height={280} />
        </section>
      </div>
      <div className="two">
        <section className="panel">
          <h2>By sub-area</h2>
          <BreakdownTable rows={s.bySubArea} name={names.subArea} minimumCellSize={k} />
        </section>
        <section className="panel">
          <h2>Pipeline ({deals === null ? notShown(k) : `${deals} deals`})</h2>
          <table>
            <tbody>
              {[...s.pipeline].sort(byStage((p) => (p.merged ? 'zz' : p.stage))).map((p) => (
                <tr key={p.stage}>
                  <td>{p.merged ? `other stages (each fewer than ${k} deals)` : stageLabel(p.stage)}</td>
                  <td className="num">{countOrHidden(p.deals, k)}</td>
                  <td className="num">
                    <AmountOrHidden key="value" cents={p.amount} k={k} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <CouncilMeetings user={user} />
      <ImpactWatch />
    </>
  );
}
