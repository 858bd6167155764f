import type { EChartsOption } from 'echarts';
import { useMemo, useState } from 'react';
import type { QueryOf } from '../../api/contract.ts';
import type { ResponseOf } from '../api.ts';

import { Amount } from '../components/Amount.tsx';
import { Chart } from '../components/Chart.tsx';
import { Options } from '../components/Options.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import {
  chartDollars,
  compactDollars,
  formatMultiple,
  formatPercent,
  formatXirr,
  label,
  moneyScale,
} from '../format.ts';
import { useNames } from '../names.ts';
import { useApi } from '../use-api.ts';
import { useEventStream } from '../use-event-stream.ts';
import { Optimiser } from './Optimiser.tsx';

type PacingReport = ResponseOf<'GET /api/pacing'>;
type SegmentLine = PacingReport['areas'][number];
type PacingPath = PacingReport['path'];
type Band = Projection['nav'][number];
type Projection = ResponseOf<'GET /api/projections'>;
type BookXirr = ResponseOf<'GET /api/metrics'>['rows'][number]['xirr'];

function bandChart(
  bands: Band[],
  name: string,
  axis: { unit: string; tick: (v: number) => string; value: (v: number) => string },
): EChartsOption {
  const x = bands.map((b) => `Q${b.step}`);
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? axis.value(v) : '–') },
    legend: { data: ['P50', 'P10–P90'] },
    xAxis: { type: 'category', data: x },
    yAxis: { type: 'value', name: axis.unit, axisLabel: { formatter: axis.tick } },
    series: [
      {
        name: 'P10',
        type: 'line',
        data: bands.map((b) => b.p10),
        lineStyle: { opacity: 0 },
        stack: name,
        symbol: 'none',
      },
      {
        name: 'P10–P90',
        type: 'line',
        data: bands.map((b) => b.p90 - b.p10),
        lineStyle: { opacity: 0 },
        areaStyle: { opacity: 0.25 },
        stack: name,
        symbol: 'none',
      },
      { name: 'P50', type: 'line', data: bands.map((b) => b.p50), symbol: 'none' },
    ],
  };
}

/** Pacing per core area or per instrument; shown only when the programme file plans that segment. */
function SegmentPacing({
  segment,
  testId,
  lines,
}: {
  segment: string;
  testId: string;
  lines: SegmentLine[];
}) {
  if (lines.length === 0) return null;
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th>{segment}</th>
          <th className="num">{segment} plan</th>
          <th className="num">Counted</th>
          <th className="num">Plan to date</th>
          <th className="num">Required / yr</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.key}>
            <td>{label(l.key)}</td>
            <td className="num">
              <Amount cents={l.goal} />
            </td>
            <td className="num">
              <Amount cents={l.counted} />
            </td>
            <td className="num">{compactDollars(l.planToDate)}</td>
            <td className="num">{compactDollars(l.requiredRunRate)}</td>
            <td data-status={l.status}>{label(l.status)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The total target over the horizon: cumulative plan and counted, then the two straight paths from today. */
function pathChart(path: PacingPath, asOf: string): EChartsOption {
  const now = Number(asOf.slice(0, 4));
  const years = [...new Set([...path.years.map((y) => y.year), ...path.ahead.map((p) => p.year)])].sort(
    (a, b) => a - b,
  );
  const byYear = new Map(path.years.map((y) => [y.year, y]));
  const ahead = new Map(path.ahead.map((p) => [p.year, p]));
  const scale = moneyScale(
    Math.max(
      ...path.years.map((y) => chartDollars(y.cumulativePlan)),
      ...path.ahead.map((p) => Math.max(p.projected, p.required)),
    ),
  );
  const at = (pick: (year: number) => number | undefined) => years.map((year) => pick(year) ?? null);
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => scale.value(typeof v === 'number' ? v : null) },
    legend: {},
    xAxis: { type: 'category', data: years.map(String) },
    yAxis: { type: 'value', name: scale.unit, axisLabel: { formatter: scale.tick } },
    series: [
      {
        name: 'plan (cumulative)',
        type: 'line',
        data: at((y) => {
          const row = byYear.get(y);
          return row ? chartDollars(row.cumulativePlan) : undefined;
        }),
      },
      {
        name: 'counted (to date)',
        type: 'line',
        data: at((y) => {
          const row = byYear.get(y);
          return y <= now ? chartDollars(row?.cumulativeCounted ?? '0') : undefined;
        }),
      },
      {
        name: 'projected at the run-rate so far',
        type: 'line',
        lineStyle: { type: 'dashed' },
        data: at((y) => ahead.get(y)?.projected),
      },
      {
        name: 'required to reach the goal',
        type: 'line',
        lineStyle: { type: 'dotted' },
        data: at((y) => ahead.get(y)?.required),
      },
    ],
  };
}

function Pacing() {
  const pacing = useApi('/api/pacing');
  const path = useMemo(
    () => (pacing.data ? pathChart(pacing.data.path, pacing.data.asOf) : null),
    [pacing.data],
  );
  const projection = useEventStream<Projection>('/api/projections/stream?paths=20000&seed=2026&quarters=40');
  const charts = useMemo(
    () =>
      projection.data
        ? {
            nav: bandChart(
              projection.data.nav,
              'nav',
              moneyScale(Math.max(...projection.data.nav.map((b) => b.p90))),
            ),
            cap: bandChart(projection.data.capUsage, 'cap', {
              unit: '%',
              tick: (v) => `${Math.round(v * 1000) / 10}`,
              value: formatPercent,
            }),
          }
        : null,
    [projection.data],
  );
  if (pacing.error) return <ErrorState error={pacing.error} />;
  if (!pacing.data) return <Loading />;
  return (
    <>
      <section className="panel">
        <h2>Are we on pace? (as of {pacing.data.asOf})</h2>
        <table>
          <thead>
            <tr>
              <th>Target</th>
              <th className="num">Goal</th>
              <th className="num">Counted</th>
              <th className="num">Plan to date</th>
              <th className="num">Run-rate / yr</th>
              <th className="num">Required / yr</th>
              <th className="num">Projected</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {pacing.data.lines.map((l) => (
              <tr key={l.target} data-target={l.target}>
                <td>{label(l.target)}</td>
                <td className="num">
                  <Amount cents={l.goal} />
                </td>
                <td className="num">
                  <Amount cents={l.counted} />
                </td>
                <td className="num">{compactDollars(l.planToDate)}</td>
                <td className="num">{compactDollars(l.runRate)}</td>
                <td className="num">{compactDollars(l.requiredRunRate)}</td>
                <td className="num">{compactDollars(l.projected)}</td>
                <td data-status={l.status}>{label(l.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {path && <Chart name="pacing-path" option={path} height={300} />}
        <p className="muted">
          The P10–P90 band of the Monte Carlo projection is on the equity book charts below: the programme's
          lending and financing are projected at their run-rate, without a stochastic model.
        </p>
        <SegmentPacing segment="Area" testId="area-pacing" lines={pacing.data.areas} />
        <SegmentPacing segment="Instrument" testId="instrument-pacing" lines={pacing.data.instruments} />
      </section>
      <div className="two">
        <section className="panel">
          <h2>Equity book NAV, next 40 quarters</h2>
          {projection.error ? (
            <ErrorState error={projection.error} />
          ) : charts ? (
            <Chart name="nav-projection" option={charts.nav} />
          ) : projection.running ? (
            <p aria-live="polite" data-testid="projection-progress">
              Simulating…{' '}
              <progress value={projection.progress?.done ?? 0} max={projection.progress?.total ?? 1} />{' '}
              {projection.progress
                ? `${projection.progress.done.toLocaleString('en-US')} / ${projection.progress.total.toLocaleString('en-US')} paths`
                : ''}{' '}
              <button type="button" onClick={projection.cancel}>
                Cancel
              </button>
            </p>
          ) : (
            <p className="muted">
              Projection cancelled.{' '}
              <button type="button" onClick={projection.restart}>
                Run again
              </button>
            </p>
          )}
          {projection.data && (
            <p className="muted">
              Takahashi–Alexander model, {projection.data.paths.toLocaleString('en-US')} Monte Carlo paths,
              seed {projection.data.seed}; cohorts (vintage, and the calibration when not the default){' '}
              {projection.data.cohorts.join(', ') || 'none'}.
            </p>
          )}
        </section>
        <section className="panel">
          <h2>Equity cap used (paid-in share)</h2>
          {charts ? <Chart name="cap-projection" option={charts.cap} /> : <Loading />}
        </section>
      </div>
    </>
  );
}

/** A rate, or "n.m." / a dash with the reason on hover and in the cell's accessible description. */
function Xirr({ x }: { x: BookXirr }) {
  const { text, reason } = formatXirr(x);
  return reason ? (
    <abbr title={reason} data-xirr={x.status}>
      {text}
    </abbr>
  ) : (
    <span data-xirr={x.status}>{text}</span>
  );
}

function Book() {
  const names = useNames();
  const rowName = (by: string, key: string) =>
    by === 'subArea' ? names.subArea(key) : by === 'area' ? names.area(key) : key;
  const [by, setBy] = useState<NonNullable<QueryOf<'GET /api/metrics'>['by']>>('subArea');
  const metrics = useApi('/api/metrics', { query: { by } });
  return (
    <section className="panel">
      <h2>Equity and venture book</h2>
      <label>
        By{' '}
        <select value={by} onChange={(e) => setBy(e.target.value as typeof by)}>
          <Options values={['deal', 'subArea', 'area', 'vintage', 'book']} />
        </select>
      </label>
      {metrics.error ? (
        <ErrorState error={metrics.error} />
      ) : !metrics.data ? (
        <Loading />
      ) : !metrics.data.rows.length ? (
        <Empty>
          No equity positions yet. Equity metrics appear once a direct-equity deal has a draw in the ledger.
        </Empty>
      ) : (
        <table data-testid="metrics">
          <thead>
            <tr>
              <th>{label(by)}</th>
              <th className="num">Positions</th>
              <th className="num">Paid-in</th>
              <th className="num">Distributed</th>
              <th className="num">NAV</th>
              <th className="num">DPI</th>
              <th className="num">TVPI</th>
              <th className="num">MOIC</th>
              <th className="num">XIRR</th>
            </tr>
          </thead>
          <tbody>
            {metrics.data.rows.map((r) => (
              <tr key={r.key}>
                <td>{rowName(by, r.key)}</td>
                <td className="num">{r.positions}</td>
                <td className="num">
                  <Amount cents={r.paidIn} />
                </td>
                <td className="num">
                  <Amount cents={r.distributed} />
                </td>
                <td className="num">
                  <Amount cents={r.nav} />
                </td>
                <td className="num">{formatMultiple(r.dpi)}</td>
                <td className="num">{formatMultiple(r.tvpi)}</td>
                <td className="num">{formatMultiple(r.moic)}</td>
                <td className="num">
                  <Xirr x={r.xirr} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Allocation() {
  return (
    <>
      <h1>Allocation &amp; pacing</h1>
      <Pacing />
      <Book />
      <Optimiser />
    </>
  );
}
