import type { EChartsOption } from 'echarts';
import { type FormEvent, useMemo, useState } from 'react';
import { api, type ResponseOf } from '../../api.ts';
import { Chart } from '../../components/Chart.tsx';
import { ErrorState } from '../../components/States.tsx';

type Result = ResponseOf<'GET /api/event-studies'>;

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** Market-model event study on imported prices, with CAR paths and the four test statistics. */
export function EventStudy() {
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    setError(null);
    try {
      const query = {
        tickers: String(f.get('tickers')),
        market: String(f.get('market')),
        event: String(f.get('event')),
      };
      setResult(await api.get('/api/event-studies', { query }));
    } catch (e) {
      setError(e);
    }
  };
  const chart = useMemo<EChartsOption | null>(() => {
    if (!result) return null;
    const days = [...new Set(result.firms.flatMap((f) => f.ar.map(([d]) => d)))].sort((a, b) => a - b);
    const path = (ar: [number, number][]) => {
      const by = new Map(ar);
      let s = 0;
      return days.map((d) => (s += by.get(d) ?? 0));
    };
    const paths = result.firms.map((f) => ({
      name: f.ticker,
      type: 'line' as const,
      data: path(f.ar),
      symbol: 'none',
    }));
    const average = days.map(
      (_, i) => paths.reduce((s, p) => s + (p.data[i] as number), 0) / Math.max(1, paths.length),
    );
    return {
      tooltip: { trigger: 'axis' },
      legend: {},
      xAxis: { type: 'category', data: days.map(String), name: 'trading day' },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => pct(v) } },
      series: [...paths, { name: 'average', type: 'line', data: average, lineStyle: { width: 3 } }],
    };
  }, [result]);
  return (
    <section className="panel">
      <h2>Event study of strategic-sector equities</h2>
      <form className="filters" onSubmit={run}>
        <label>
          Tickers <input name="tickers" required placeholder="PPTA,MP" />
        </label>
        <label>
          Market index <input name="market" required defaultValue="SPY" />
        </label>
        <label>
          Event date <input name="event" type="date" required />
        </label>
        <button type="submit">Run event study</button>
      </form>
      <p className="muted">
        Prices are imported as CSV (ticker,date,close,source) on the Import page. Market model over days
        −250…−11.
      </p>
      {error ? <ErrorState error={error} /> : null}
      {result && chart && (
        <>
          <Chart name="car-paths" option={chart} height={320} />
          <table data-testid="event-stats">
            <thead>
              <tr>
                <th>Window</th>
                <th className="num">CAAR</th>
                <th className="num">cross-sectional t</th>
                <th className="num">Patell Z</th>
                <th className="num">BMP t</th>
                <th className="num">Corrado rank</th>
                <th className="num">positive</th>
              </tr>
            </thead>
            <tbody>
              {result.stats.map((s) => (
                <tr key={s.window.join(':')}>
                  <td>
                    [{s.window[0]}, {s.window[1]}]
                  </td>
                  <td className="num">{pct(s.caar)}</td>
                  {[s.crossSectionalT, s.patellZ, s.bmpT, s.corradoT].map((z, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                    <td key={i} className="num">
                      {Number.isFinite(z) ? z.toFixed(2) : '–'}
                    </td>
                  ))}
                  <td className="num">
                    {s.positive}/{result.firms.length}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.skipped.length > 0 && (
            <p className="muted">
              Skipped: {result.skipped.map((s) => `${s.ticker} (${s.reason})`).join('; ')}
            </p>
          )}
        </>
      )}
    </section>
  );
}
