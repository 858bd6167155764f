import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { notShown } from '../../../domain/disclosure.ts';
import { Chart } from '../../components/Chart.tsx';
import { ErrorState } from '../../components/States.tsx';
import { compactDollars, label } from '../../format.ts';
import { useApi } from '../../use-api.ts';

/** Impacts to watch: reshoring of materials and the crowding of peer programmes, both aggregates. */
export function ImpactWatch() {
  const reshoring = useApi('/api/reshoring');
  const peers = useApi('/api/peers');
  const k = reshoring.data?.disclosure?.minimumCellSize ?? 3;
  const chart = useMemo<EChartsOption | null>(() => {
    if (!reshoring.data) return null;
    const years = [
      ...new Set(reshoring.data.materials.flatMap((m) => [...m.history, ...m.projection].map((p) => p.year))),
    ].sort();
    return {
      tooltip: { trigger: 'axis' },
      legend: {},
      xAxis: { type: 'category', data: years.map(String) },
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
    <div className="two">
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
                  `${label(m.material)} ${m.portfolioCapacity === null ? notShown(k) : `${m.portfolioCapacity.toLocaleString('en-US')} (${m.unit})`}`,
              )
              .join('; ')}
            .
          </p>
        )}
      </section>
      <section className="panel" data-testid="peers">
        <h2>Peers and competing programmes</h2>
        {peers.error ? <ErrorState error={peers.error} /> : null}
        <table>
          <tbody>
            {peers.data?.programmes.map((p) => (
              <tr key={p.id}>
                <td>
                  <strong>{p.name}</strong> ({p.sponsor})
                </td>
                <td className="num">{p.size ? compactDollars(Number(p.size)) : 'size not published'}</td>
                <td className="muted">{p.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Crowding by sub-area</h3>
        <table>
          <thead>
            <tr>
              <th>Sub-area</th>
              <th>Peers</th>
              <th className="num">Peer capital / year</th>
              <th className="num">Our open pipeline</th>
            </tr>
          </thead>
          <tbody>
            {peers.data?.overlap
              .filter((o) => o.peers.length)
              .map((o) => (
                <tr key={o.subAreaId}>
                  <td>{label(o.subAreaId)}</td>
                  <td>{o.peers.join(', ')}</td>
                  <td className="num">{compactDollars(o.peerCapitalPerYear)}</td>
                  <td className="num">
                    {o.ourOpenPipeline === null ? notShown(k) : compactDollars(o.ourOpenPipeline)}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
