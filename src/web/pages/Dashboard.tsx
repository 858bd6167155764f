import type { EChartsOption } from 'echarts';
import type { ReactNode } from 'react';
import { useMemo } from 'react';
import type { ResponseOf } from '../api.ts';
import { Amount } from '../components/Amount.tsx';
import { BreakdownTable } from '../components/BreakdownTable.tsx';
import { Chart } from '../components/Chart.tsx';
import { KpiTiles } from '../components/KpiTiles.tsx';
import { PublicRecordPanel } from '../components/PublicRecordPanel.tsx';
import { ReportLinks } from '../components/ReportLinks.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import {
  chartDollars,
  chartDollarsOrGap,
  compactAmount,
  dealTitle,
  formatShare,
  label,
  moneyScale,
  moneyScaleForCents,
} from '../format.ts';
import { useNames } from '../names.ts';
import { useApi } from '../use-api.ts';

/** The summary as the API sends it: every amount is a string of cents. */
export type SummaryWire = ResponseOf<'GET /api/programme/summary'>;

export function Kpis({ s }: { s: SummaryWire }) {
  const items: Array<[string, ReactNode, string]> = [
    [
      'Counted to date',
      <Amount key="value" cents={s.counted.total} />,
      `${formatShare(s.counted.total, s.targets.total)} of ${compactAmount(s.targets.total)}`,
    ],
    [
      'Baseline',
      <Amount key="value" cents={s.counted.baseline} />,
      `${formatShare(s.counted.baseline, s.targets.baseline)} of ${compactAmount(s.targets.baseline)}`,
    ],
    [
      'Incremental',
      <Amount key="value" cents={s.counted.incremental} />,
      `${formatShare(s.counted.incremental, s.targets.incremental)} of ${compactAmount(s.targets.incremental)}`,
    ],
    [
      'Own balance sheet',
      <Amount key="value" cents={s.counted.own} />,
      `${formatShare(s.counted.own, s.counted.total)} of counted`,
    ],
    [
      'Facilitated',
      <Amount key="value" cents={s.counted.facilitated} />,
      `${formatShare(s.counted.facilitated, s.counted.total)} of counted`,
    ],
  ];
  return <KpiTiles items={items} />;
}

/** Plan vs counted by year; a counted figure hidden from the public side (null) is a gap, not a zero. */
export function yearChart(s: {
  byYear: Array<{
    year: number;
    plan: string;
    counted: string | null;
    cumulativePlan: string;
    cumulativeCounted: string | null;
  }>;
}): EChartsOption {
  const scale = moneyScaleForCents(s.byYear.flatMap((y) => [y.cumulativePlan, y.cumulativeCounted, y.plan]));
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => scale.value(typeof v === 'number' ? v : null) },
    legend: { data: ['Plan', 'Counted', 'Cumulative plan', 'Cumulative counted'] },
    xAxis: { type: 'category', data: s.byYear.map((y) => String(y.year)) },
    yAxis: [{ type: 'value', name: scale.unit, axisLabel: { formatter: scale.tick } }],
    series: [
      { name: 'Plan', type: 'bar', data: s.byYear.map((y) => chartDollars(y.plan)) },
      { name: 'Counted', type: 'bar', data: s.byYear.map((y) => chartDollarsOrGap(y.counted)) },
      { name: 'Cumulative plan', type: 'line', data: s.byYear.map((y) => chartDollars(y.cumulativePlan)) },
      {
        name: 'Cumulative counted',
        type: 'line',
        data: s.byYear.map((y) => chartDollarsOrGap(y.cumulativeCounted)),
      },
    ],
  };
}

/** Room for each sub-area's row (27 in the taxonomy: at 360 px their names overlapped) and the legend. */
const heatHeight = (s: SummaryWire) =>
  Math.max(360, 90 + 22 * new Set(s.bySubAreaYear.map((c) => c.subAreaId)).size);

function heatChart(s: SummaryWire, subAreaName: (id: string) => string): EChartsOption {
  const years = [...new Set(s.byYear.map((y) => String(y.year)))];
  const subs = [...new Set(s.bySubAreaYear.map((c) => c.subAreaId))].sort();
  const data = s.bySubAreaYear.map((c) => [
    years.indexOf(String(c.year)),
    subs.indexOf(c.subAreaId),
    chartDollars(c.counted),
  ]);
  const max = Math.max(1, ...data.map((d) => d[2] as number));
  const scale = moneyScale(max);
  return {
    tooltip: {
      formatter: (p) => {
        const v = (p as { value: number[] }).value;
        return `${subAreaName(subs[v[1]!]!)} ${years[v[0]!]}: ${scale.value(v[2])}`;
      },
    },
    grid: { left: 190, top: 10, bottom: 70 },
    xAxis: { type: 'category', data: years },
    // Every sub-area's name on its row, cut to the margin rather than skipped or overlapping.
    yAxis: {
      type: 'category',
      data: subs.map(subAreaName),
      axisLabel: { interval: 0, width: 180, overflow: 'truncate' },
    },
    // The legend in the axis unit, never raw dollars or cents.
    visualMap: {
      min: 0,
      max,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      formatter: (v) => scale.value(Number(v)),
    },
    series: [{ type: 'heatmap', data, label: { show: false } }],
  };
}

function capGauges(s: SummaryWire): EChartsOption {
  const caps = s.caps.filter((c) => c.scopeKey === '*');
  return {
    series: caps.map((c, i) => ({
      type: 'gauge',
      center: [`${((i + 0.5) * 100) / caps.length}%`, '55%'],
      radius: '80%',
      min: 0,
      max: 100,
      detail: { formatter: '{value}%', fontSize: 16 },
      // The scale is the share of the cap used: its ticks say so.
      axisLabel: { formatter: '{value}%' },
      title: { offsetCenter: [0, '85%'] },
      data: [
        {
          value: Number((BigInt(c.used) * 10_000n) / BigInt(c.limit === '0' ? '1' : c.limit)) / 100,
          name: c.label,
        },
      ],
    })),
  };
}

export function Dashboard() {
  const summary = useApi('/api/programme/summary');
  const deals = useApi('/api/deals');
  const s = summary.data;
  const names = useNames();
  const charts = useMemo(
    () => (s ? { year: yearChart(s), heat: heatChart(s, names.subArea), caps: capGauges(s) } : null),
    [s, names],
  );
  if (summary.error) return <ErrorState error={summary.error} />;
  if (!s || !charts) return <Loading />;
  const top = [...(deals.data?.items ?? [])]
    .sort((a, b) => (BigInt(b.amountCents) > BigInt(a.amountCents) ? 1 : -1))
    .slice(0, 5);
  return (
    <>
      <h1>{s.programme.name}</h1>
      <p className="muted">
        Programme version {s.programme.version}, counting methodology v{s.programme.methodologyVersion}
      </p>
      <Kpis s={s} />
      <PublicRecordPanel record={s.publicRecord} />
      <ReportLinks report="quarterly" />
      <ReportLinks report="monthly" />
      <section className="panel">
        <h2>Plan vs counted by year</h2>
        <Chart name="plan-vs-counted" option={charts.year} />
      </section>
      <div className="two">
        <section className="panel">
          <h2>Counted by sub-area and year</h2>
          {s.bySubAreaYear.length ? (
            <Chart name="sub-area-heat-map" option={charts.heat} height={heatHeight(s)} />
          ) : (
            <Empty>
              No commitments yet. Record one on a deal's page, or import a ledger CSV under Import &amp;
              export.
            </Empty>
          )}
        </section>
        <section className="panel">
          <h2>Caps</h2>
          <Chart name="cap-gauges" option={charts.caps} height={260} />
          <table>
            <thead>
              <tr>
                <th>Cap</th>
                <th>Limit</th>
                <th>Used</th>
                <th>Headroom</th>
              </tr>
            </thead>
            <tbody>
              {s.caps
                .filter((c) => c.scopeKey === '*')
                .map((c) => (
                  <tr key={c.capId} data-cap={c.capId}>
                    <td>{c.label}</td>
                    <td className="num">
                      <Amount key="value" cents={c.limit} />
                    </td>
                    <td className="num">
                      <Amount key="value" cents={c.used} />
                    </td>
                    <td className="num">
                      <Amount key="value" cents={c.headroom} />
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      </div>
      <div className="two">
        <section className="panel">
          <h2>By area</h2>
          <BreakdownTable rows={s.byArea} name={names.area} />
        </section>
        <section className="panel">
          <h2>Top deals</h2>
          {top.length ? (
            <table>
              <tbody>
                {top.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <a href={`#/deals/${d.id}`}>{dealTitle(d)}</a>
                    </td>
                    <td>{label(d.instrument)}</td>
                    <td>{d.stage}</td>
                    <td className="num">
                      <Amount key="value" cents={d.amountCents} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty>
              No deals yet. Import companies and deals under Import &amp; export, or open one through the API.
            </Empty>
          )}
        </section>
      </div>
    </>
  );
}
