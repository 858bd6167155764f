import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { notShown } from '../../../domain/disclosure.ts';
import { Chart } from '../../components/Chart.tsx';
import { ErrorState } from '../../components/States.tsx';
import { formatCount, formatPercent, label } from '../../format.ts';
import { useApi } from '../../use-api.ts';
import { PeerRegister } from './PeerRegister.tsx';

/** Impacts to watch: reshoring of materials and the crowding of peer programmes, both aggregates. */
export function ImpactWatch() {
  const reshoring = useApi('/api/reshoring');
  const k = reshoring.data?.disclosure?.minimumCellSize ?? 3;
  const chart = useMemo<EChartsOption | null>(() => {
    if (!reshoring.data) return null;
    const years = [
      ...new Set(reshoring.data.materials.flatMap((m) => [...m.history, ...m.projection].map((p) => p.year))),
    ].sort();
    return {
      // One format for the share on the axis and in the tooltip (the tooltip printed raw fractions).
      tooltip: { trigger: 'axis', valueFormatter: (v) => formatPercent(typeof v === 'number' ? v : null) },
      legend: {},
      xAxis: { type: 'category', data: years.map(String) },
      // Whole percents on the axis: its ticks are round numbers, and decimals would differ tick to tick.
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(0)}%` } },
      series: reshoring.data.materials.flatMap((m) => [
        {
          name: `${label(m.material)} (observed)`,
          type: 'line' as const,
          data: years.map((y) => m.history.find((h) => h.year === y)?.share ?? null),
        },
        {
          name: `${label(m.material)} (with portfolio)`,
          type: 'line' as const,
          lineStyle: { type: 'dashed' as const },
          data: years.map((y) => m.projection.find((h) => h.year === y)?.share ?? null),
        },
      ]),
    };
  }, [reshoring.data]);
  return (
    <>
      <section className="panel" data-testid="reshoring">
        <h2>Reshoring: US share of production</h2>
        {reshoring.error ? <ErrorState error={reshoring.error} /> : null}
        {chart && <Chart name="reshoring" option={chart} height={300} />}
        {reshoring.data && (
          <p className="muted">
            {reshoring.data.source} Projection: {reshoring.data.assumption}. Portfolio capacity:{' '}
            {reshoring.data.materials
              .map(
                (m) =>
                  `${label(m.material)} ${m.portfolioCapacity === null ? notShown(k) : `${formatCount(m.portfolioCapacity)} (${m.unit})`}`,
              )
              .join('; ')}
            .
          </p>
        )}
      </section>
      <PeerRegister k={k} />
    </>
  );
}
