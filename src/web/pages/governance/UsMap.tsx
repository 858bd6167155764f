import type { EChartsOption } from 'echarts';
import * as echarts from 'echarts';
import { useMemo, useState } from 'react';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import counties from 'us-atlas/counties-albers-10m.json';
import type { QueryOf } from '../../../api/contract.ts';
import { placeOf } from '../../../domain/public-record/crowding.ts';
import { Amount } from '../../components/Amount.tsx';
import { Chart } from '../../components/Chart.tsx';
import { Options } from '../../components/Options.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { chartDollars, compactAmount, exactAmount, moneyScale, stateName } from '../../format.ts';
import { useApi } from '../../use-api.ts';
import { TAXONOMY_AREAS } from './areas.ts';
import { safeHref } from './peer-types.ts';

type Ring = number[][];
const topology = counties as unknown as Topology;
/** Counties and states from us-atlas (US Census Bureau cartographic boundaries, pre-projected Albers USA). */
const countyShapes = feature(topology, topology.objects.counties as GeometryCollection) as unknown as {
  type: 'FeatureCollection';
  features: {
    id: string;
    properties: { name: string; fips?: string };
    geometry: { type: string; coordinates: unknown };
  }[];
};
const stateShapes = feature(
  topology,
  topology.objects.states as GeometryCollection,
) as unknown as typeof countyShapes;
for (const f of [...countyShapes.features, ...stateShapes.features]) f.properties.fips = String(f.id);
echarts.registerMap('us-counties', countyShapes as never);
echarts.registerMap('us-states', stateShapes as never);

/** A point inside each county for facility markers: the mean of its outer ring. */
const centroids = new Map(
  countyShapes.features.map((f) => {
    const ring: Ring =
      f.geometry.type === 'Polygon'
        ? (f.geometry.coordinates as Ring[])[0]!
        : (f.geometry.coordinates as Ring[][])[0]![0]!;
    let x = 0;
    let y = 0;
    for (const point of ring) {
      x += point[0] ?? 0;
      y += point[1] ?? 0;
    }
    return [String(f.id), [x / ring.length, y / ring.length]];
  }),
);
/** A point inside each state for the peer awards: the mean of its first ring. */
const stateCentroids = new Map(
  stateShapes.features.map((f) => {
    const ring: Ring =
      f.geometry.type === 'Polygon'
        ? (f.geometry.coordinates as Ring[])[0]!
        : (f.geometry.coordinates as Ring[][])[0]![0]!;
    const sum = ring.reduce((s, p) => [s[0]! + (p[0] ?? 0), s[1]! + (p[1] ?? 0)], [0, 0]);
    return [String(f.id), [sum[0]! / ring.length, sum[1]! / ring.length]];
  }),
);
// The shapes are already projected: keep them as drawn (y grows downward, as in SVG).
const planar = { project: (p: number[]) => p, unproject: (p: number[]) => p };

export function UsMap() {
  const [level, setLevel] = useState<'counties' | 'states'>('counties');
  const [measure, setMeasure] = useState<'deployedCents' | 'pipelineCents'>('deployedCents');
  const [areaId, setAreaId] = useState('');
  const [instrument, setInstrument] = useState('');
  // The select offers only the domain's instruments; the server checks it all the same.
  const query = {
    areaId: areaId || undefined,
    instrument: instrument || undefined,
  } as QueryOf<'GET /api/geography'>;
  const geo = useApi('/api/geography', { query });
  // The peers' awards beside the programme's deployment (public figures: each award with its sources).
  const peers = useApi('/api/peers');
  const option = useMemo((): EChartsOption | null => {
    if (!geo.data) return null;
    const rows = level === 'counties' ? geo.data.counties : geo.data.states;
    const values = rows.map((r) => ({ name: r.fips, value: chartDollars(r[measure]) }));
    const max = Math.max(1, ...values.map((v) => v.value));
    const scale = moneyScale(max);
    const place = (fips: string) =>
      level === 'counties'
        ? `${countyShapes.features.find((f) => f.id === fips)?.properties.name ?? fips}, ${stateName(fips.slice(0, 2))}`
        : stateName(fips);
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: unknown) => {
          const q = p as { name: string; value?: number; seriesType: string; data?: { label?: string } };
          return q.seriesType === 'scatter'
            ? (q.data?.label ?? '')
            : `${place(q.name)}: ${scale.value(q.value ?? 0)}`;
        },
      },
      visualMap: {
        min: 0,
        max,
        left: 10,
        bottom: 10,
        text: ['more', 'less'],
        calculable: true,
        formatter: (v: unknown) => scale.value(Number(v)),
        inRange: { color: ['#e8f1fb', '#08519c'] },
      },
      geo: {
        map: level === 'counties' ? 'us-counties' : 'us-states',
        projection: planar,
        roam: true,
        nameProperty: 'fips',
        itemStyle: { areaColor: '#f4f6f8', borderColor: '#c5ccd4', borderWidth: 0.3 },
        emphasis: { label: { show: false } },
      },
      series: [
        { type: 'map', geoIndex: 0, data: values, nameProperty: 'fips' } as never,
        {
          type: 'scatter',
          coordinateSystem: 'geo',
          symbolSize: 7,
          itemStyle: { color: '#d94801' },
          data: geo.data.facilities
            .filter((f) => f.countyFips && centroids.has(f.countyFips))
            .map((f) => ({
              value: centroids.get(f.countyFips as string),
              label: `${f.name} (${f.company}), ${f.kind}${f.jobs === null ? '' : `, ${f.jobs.toLocaleString('en-US')} jobs`}`,
            })),
        },
        {
          name: 'Peer awards',
          type: 'scatter',
          coordinateSystem: 'geo',
          symbol: 'diamond',
          itemStyle: { color: '#6a3d9a', opacity: 0.8 },
          symbolSize: (v: number[]) => Math.max(8, Math.min(30, Math.sqrt((v[2] ?? 0) / 1e7))),
          data: (peers.data?.states ?? [])
            .filter((s) => stateCentroids.has(s.place))
            .map((s) => ({
              value: [...(stateCentroids.get(s.place) ?? []), chartDollars(s.publicDollars)],
              label: `${stateName(s.place)}: peer awards ${compactAmount(s.publicDollars)} (${s.awards})`,
            })),
        },
      ],
    } as EChartsOption;
  }, [geo.data, peers.data, level, measure]);
  return (
    <section className="panel">
      <h2>Industrial geography</h2>
      <div className="filters">
        <label>
          Level{' '}
          <select value={level} onChange={(e) => setLevel(e.target.value as typeof level)}>
            <option value="counties">counties</option>
            <option value="states">states</option>
          </select>
        </label>
        <label>
          Measure{' '}
          <select value={measure} onChange={(e) => setMeasure(e.target.value as typeof measure)}>
            <option value="deployedCents">deployed (committed)</option>
            <option value="pipelineCents">pipeline</option>
          </select>
        </label>
        <label>
          Area{' '}
          <select value={areaId} onChange={(e) => setAreaId(e.target.value)}>
            <option value="">all</option>
            <Options values={TAXONOMY_AREAS} />
          </select>
        </label>
        <label>
          Instrument{' '}
          <select value={instrument} onChange={(e) => setInstrument(e.target.value)}>
            <option value="">all</option>
            <Options
              values={[
                'direct_equity',
                'venture_capital',
                'term_loan',
                'project_finance',
                'syndicated_loan',
                'bond_underwriting',
              ]}
            />
          </select>
        </label>
      </div>
      {geo.error ? (
        <ErrorState error={geo.error} />
      ) : !option ? (
        <Loading />
      ) : (
        <Chart name="us-map" option={option} height={560} />
      )}
      {geo.data && (
        <table data-testid="clusters">
          <thead>
            <tr>
              <th>County</th>
              <th className="num">Deployed</th>
              <th className="num">Pipeline</th>
              <th className="num">Facilities</th>
              <th className="num">Jobs</th>
            </tr>
          </thead>
          <tbody>
            {geo.data.clusters.map((c) => (
              <tr key={c.fips} data-county={c.fips}>
                <td>
                  {countyShapes.features.find((f) => f.id === c.fips)?.properties.name ?? c.fips},{' '}
                  {stateName(c.fips.slice(0, 2))}
                </td>
                <td className="num">
                  <Amount cents={c.deployedCents} />
                </td>
                <td className="num">
                  <Amount cents={c.pipelineCents} />
                </td>
                <td className="num">{c.facilities}</td>
                <td className="num">{c.jobs.toLocaleString('en-US')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {peers.data && (
        <table data-testid="map-peer-awards">
          <thead>
            <tr>
              <th>State</th>
              <th className="num">Peer awards (public dollars)</th>
              <th className="num">Programme deployed</th>
              <th>Awards and sources</th>
            </tr>
          </thead>
          <tbody>
            {peers.data.states.map((s) => (
              <tr key={s.place} data-state={s.place}>
                <td>
                  {s.place === 'several'
                    ? 'several states (not split)'
                    : s.place === 'none'
                      ? 'no US state stated'
                      : stateName(s.place)}
                </td>
                <td className="num">{exactAmount(s.publicDollars)}</td>
                <td className="num">{s.ourDeployed === null ? '–' : exactAmount(s.ourDeployed)}</td>
                <td>
                  {peers.data?.awards
                    .filter((a) => !a.supersededBy && placeOf(a.stateFips) === s.place)
                    .map((a) => (
                      <span key={a.id} className="award">
                        {a.recipient} ({a.programme}
                        {a.amount === null ? '' : `, ${compactAmount(a.amount)}`})
                        {a.sources.slice(0, 1).map((src) =>
                          safeHref(src.url) ? (
                            <a
                              key={src.text}
                              href={safeHref(src.url)}
                              target="_blank"
                              rel="noreferrer noopener"
                            >
                              {' '}
                              source
                            </a>
                          ) : null,
                        )}
                        ;{' '}
                      </span>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted">
        Peer awards: data/public-record/peer-awards.csv and imports, each award once at its furthest stage,
        placed at its state (an award over several states is not split). Boundaries: us-atlas 3.0.1 (US Census
        Bureau cartographic boundary files, 1:10m). A deal's capital is placed at its company's facilities,
        else its headquarters county.
      </p>
    </section>
  );
}
