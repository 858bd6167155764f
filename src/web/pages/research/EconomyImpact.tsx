import { type FormEvent, useState } from 'react';
import { api, type ResponseOf } from '../../api.ts';
import { ErrorState } from '../../components/States.tsx';
import { SubAreaSelect } from '../../components/SubAreaSelect.tsx';
import { compactDollars, formatPercent } from '../../format.ts';
import { useNames } from '../../names.ts';

type Report = ResponseOf<'GET /api/research/io/impact'>;
type Level = Report['level'];

export const BEA_YEARS = Array.from({ length: 19 }, (_, i) => 2015 - i);

/** The year of the BEA summary tables (1997–2015, newest first), as a form field named `year`. */
export function BeaYearSelect({ label }: { label: string }) {
  return (
    <label>
      {label}{' '}
      <select name="year" defaultValue={2015}>
        {BEA_YEARS.map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </select>
    </label>
  );
}
const LEVELS: { id: Level; label: string }[] = [
  { id: 'summary', label: 'Summary, 71 industries (1997–2015)' },
  { id: 'detail', label: 'Detail, 389 industries (2007 benchmark)' },
  { id: 'benchmark-1997', label: '1997 benchmark, rebuilt by Keel' },
];

/** Economy-wide impact of a shock to a sub-area's industry, on the BEA table of the level and year chosen. */
export function EconomyImpact() {
  const names = useNames();
  const [level, setLevel] = useState<Level>('summary');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    setError(null);
    setBusy(true);
    try {
      setReport(
        await api.get('/api/research/io/impact', {
          query: {
            subArea: String(f.get('subArea')),
            change: Number(f.get('change')) / 100,
            model: f.get('model') === 'demand' ? 'demand' : 'supply',
            level,
            year: level === 'summary' ? Number(f.get('year')) : undefined,
            top: 20,
          },
        }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel">
      <h2>Economy-wide impact (BEA input–output)</h2>
      <form className="filters" onSubmit={run} aria-label="Economy-wide impact">
        <SubAreaSelect name="subArea" defaultValue="semiconductors" />
        <label>
          Shock, %{' '}
          <input name="change" type="number" min={-100} max={100} step="any" defaultValue={-10} required />
        </label>
        <label>
          Model{' '}
          <select name="model" defaultValue="supply">
            <option value="supply">supply (Ghosh): a cut in the industry's inputs</option>
            <option value="demand">demand (Leontief): a cut in final demand</option>
          </select>
        </label>
        <label>
          Tables{' '}
          <select name="level" value={level} onChange={(e) => setLevel(e.target.value as Level)}>
            {LEVELS.map((l) => (
              <option key={l.id} value={l.id}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        {level === 'summary' && <BeaYearSelect label="Year" />}
        <button type="submit" className="at-end" disabled={busy}>
          {busy ? 'Computing…' : 'Compute impact'}
        </button>
      </form>
      {error ? <ErrorState error={error} /> : null}
      {report && (
        <div data-testid="io-impact">
          <p>
            <strong>{report.subArea ? names.subArea(report.subArea) : report.sectorName}</strong> →{' '}
            {report.sectorName} <span className="muted">({report.sector})</span>: a{' '}
            {formatPercent(report.change)} shock ({compactDollars(report.shock * 1e6)} of{' '}
            {report.model === 'demand' ? 'final demand' : 'the industry’s primary inputs'}) changes output by{' '}
            {compactDollars(report.totalChange * 1e6)} in all.
          </p>
          <p className="muted">
            {report.table}. {report.method}. Floats: analytics, not the ledger.
          </p>
          <table>
            <thead>
              <tr>
                <th>Industry</th>
                <th className="num">Change in output</th>
                <th className="num">Of its output</th>
              </tr>
            </thead>
            <tbody>
              {report.impacts.map((i) => (
                <tr key={i.industry}>
                  <td title={`BEA code ${i.industry}`}>{i.name}</td>
                  <td className="num">{compactDollars(i.change * 1e6)}</td>
                  <td className="num">{formatPercent(i.relative)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
