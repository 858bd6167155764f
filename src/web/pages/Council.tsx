import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import type { Principal } from '../../domain/roles.ts';
import { BreakdownTable } from '../components/BreakdownTable.tsx';
import { Chart } from '../components/Chart.tsx';
import { ErrorState, Loading } from '../components/States.tsx';
import { chartDollars, dollars, label } from '../format.ts';
import { useApi } from '../use-api.ts';
import { Kpis, type SummaryWire, yearChart } from './Dashboard.tsx';
import { CouncilMeetings } from './governance/CouncilMeetings.tsx';
import { ImpactWatch } from './governance/ImpactWatch.tsx';

/** What the external council and the public side may see: aggregates only, never a deal or a counterparty. */
export function Council({ user }: { user: Principal }) {
  const { data: s, error } = useApi<SummaryWire>('/api/programme/aggregates');
  const charts = useMemo(() => {
    if (!s) return null;
    const areas: EChartsOption = {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          data: s.byArea.map((a) => ({ name: label(a.key), value: chartDollars(a.counted) })),
        },
      ],
    };
    return { year: yearChart(s), areas };
  }, [s]);
  if (error) return <ErrorState error={error} />;
  if (!s || !charts) return <Loading />;
  const deals = s.pipeline.reduce((n, p) => n + p.deals, 0);
  return (
    <>
      <h1>Council portal</h1>
      <p className="muted">
        Aggregates of {s.programme.name}; counting methodology v{s.programme.methodologyVersion}. Deal-level
        information is not shown here.
      </p>
      <Kpis s={s} />
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
          <BreakdownTable rows={s.bySubArea} />
        </section>
        <section className="panel">
          <h2>Pipeline ({deals} deals)</h2>
          <table>
            <tbody>
              {s.pipeline.map((p) => (
                <tr key={p.stage}>
                  <td>{p.stage}</td>
                  <td className="num">{p.deals}</td>
                  <td className="num">{dollars(p.amount)}</td>
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
