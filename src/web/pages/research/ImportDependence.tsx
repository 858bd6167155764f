import type { EChartsOption } from 'echarts';
import { type FormEvent, useMemo, useState } from 'react';
import { api, type ResponseOf } from '../../api.ts';
import { Chart } from '../../components/Chart.tsx';
import { ErrorState } from '../../components/States.tsx';
import { SubAreaSelect } from '../../components/SubAreaSelect.tsx';
import { csvText, downloadCsv } from '../../csv.ts';
import { useNames } from '../../names.ts';
import { BeaYearSelect } from './EconomyImpact.tsx';

type Report = ResponseOf<'GET /api/research/io/imports'>;

const cents = (x: number) => `${(x * 100).toFixed(1)}¢`;

/**
 * Import dependence: imported inputs per dollar of final demand (BEA total − domestic requirements), its
 * path 1997–2015 for the sub-areas chosen, and every commodity in one year, exportable as CSV; or, at the
 * detail level, the 2007 benchmark's 389 commodities and each sub-area through its detail industry.
 */
export function ImportDependence() {
  const names = useNames();
  const [level, setLevel] = useState<'summary' | 'detail'>('summary');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const subAreas = f.getAll('subAreas').map(String);
    setError(null);
    try {
      setReport(
        await api.get('/api/research/io/imports', {
          query: {
            level,
            ...(level === 'summary' ? { year: Number(f.get('year')) } : {}),
            subAreas: subAreas.length > 0 ? subAreas.join(',') : undefined,
          },
        }),
      );
    } catch (e) {
      setError(e);
    }
  };
  const chart = useMemo<EChartsOption | null>(() => {
    if (!report || report.series.length === 0) return null;
    const years = report.series[0]?.path.map((p) => String(p.year)) ?? [];
    const seriesName = (s: Report['series'][number]) =>
      s.subArea ? `${names.subArea(s.subArea)} (${s.name})` : s.name;
    // One year at the detail level: a bar per sub-area, not a line of one point.
    if (report.level === 'detail')
      return {
        tooltip: { trigger: 'axis', valueFormatter: (v) => cents(Number(v)) },
        grid: { left: 220 },
        xAxis: {
          type: 'value',
          name: `imported inputs per $ of final demand, ${report.year}`,
          nameLocation: 'middle',
          nameGap: 28,
          axisLabel: { formatter: (v: number) => cents(v) },
        },
        yAxis: { type: 'category', data: report.series.map(seriesName) },
        series: [{ type: 'bar' as const, data: report.series.map((s) => s.path[0]?.imported ?? null) }],
      };
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => cents(Number(v)) },
      legend: { type: 'scroll' },
      grid: { top: 60 },
      xAxis: { type: 'category', data: years, name: 'year' },
      yAxis: {
        type: 'value',
        name: 'imported inputs per $ of final demand',
        axisLabel: { formatter: (v: number) => cents(v) },
      },
      series: report.series.map((s) => ({
        name: seriesName(s),
        type: 'line' as const,
        data: s.path.map((p) => p.imported),
      })),
    };
  }, [report, names]);
  const exportYear = () =>
    report &&
    downloadCsv(
      `keel-import-content-${report.level}-${report.year}.csv`,
      csvText(
        [
          'code',
          'commodity',
          'sub_areas',
          'total_requirement',
          'domestic_requirement',
          'imported_per_dollar',
        ],
        report.commodities.map((c) => [
          c.code,
          c.name,
          c.subAreas.join(' '),
          c.total,
          c.domestic,
          c.imported,
        ]),
      ),
    );
  const exportPaths = () =>
    report &&
    downloadCsv(
      report.level === 'detail'
        ? `keel-import-content-detail-${report.year}.csv`
        : 'keel-import-content-1997-2015.csv',
      csvText(
        [
          'sub_area',
          'code',
          'commodity',
          'year',
          'total_requirement',
          'domestic_requirement',
          'imported_per_dollar',
        ],
        report.series.flatMap((s) =>
          s.path.map((p) => [s.subArea ?? '', s.sector, s.name, p.year, p.total, p.domestic, p.imported]),
        ),
      ),
    );
  return (
    <section className="panel">
      <h2>Import dependence of US industries (BEA, 1997–2015)</h2>
      <form className="filters" onSubmit={run} aria-label="Import dependence">
        <SubAreaSelect name="subAreas" multiple />
        <label>
          Tables
          <select
            name="level"
            value={level}
            onChange={(e) => setLevel(e.target.value === 'detail' ? 'detail' : 'summary')}
          >
            <option value="summary">Summary, 71 industries (1997–2015)</option>
            <option value="detail">Detail, 389 industries (2007 benchmark)</option>
          </select>
        </label>
        {level === 'summary' ? <BeaYearSelect label="Year of the table" /> : null}
        <button type="submit" className="at-end">
          Show import dependence
        </button>
      </form>
      <p className="muted">
        Imported inputs per dollar of final demand for a commodity: the BEA's total requirement minus its
        domestic requirement (the output the whole supply chain needs, less what it needs from US producers).
        Each sub-area is read through the industry an analyst mapped it to at the level chosen.
      </p>
      {error ? <ErrorState error={error} /> : null}
      {report && (
        <div data-testid="import-dependence">
          {chart && (
            <>
              <Chart name="import-dependence-paths" option={chart} height={340} />
              <button type="button" onClick={exportPaths}>
                Export CSV of the paths
              </button>
            </>
          )}
          <h3>
            Every commodity, {report.year}{' '}
            <button type="button" onClick={exportYear}>
              Export CSV
            </button>
          </h3>
          <table data-testid="import-content-table">
            <thead>
              <tr>
                <th>Commodity</th>
                <th>Sub-areas mapped to it</th>
                <th className="num">Total req.</th>
                <th className="num">Domestic req.</th>
                <th className="num">Imported per $</th>
              </tr>
            </thead>
            <tbody>
              {report.commodities.map((c) => (
                <tr key={c.code}>
                  <td title={`BEA code ${c.code}`}>{c.name}</td>
                  <td>{c.subAreas.map((s) => names.subArea(s)).join(', ')}</td>
                  <td className="num">{c.total.toFixed(4)}</td>
                  <td className="num">{c.domestic.toFixed(4)}</td>
                  <td className="num">{cents(c.imported)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            Source: {report.source}. Sub-areas: {report.mapSource}.
          </p>
        </div>
      )}
    </section>
  );
}
