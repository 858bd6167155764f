/**
 * Stress on the credit dashboard: pick a shipped research scenario; the research engine's shortfall at each
 * borrower becomes notches by the stated mapping, and the panel shows base vs stressed grade and EL (exact
 * cents) per obligor and in total.
 */
import { type FormEvent, useState } from 'react';
import { api, type ResponseOf } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatPercent } from '../../format.ts';
import { useApi } from '../../use-api.ts';

type Stress = ResponseOf<'POST /api/credit/stress'>;
const gradeText = (g: number | null) => (g === null ? 'ungraded' : String(g));

const thresholdsText = (thresholds: ReadonlyArray<{ minShortfall: number; notches: number }>) =>
  thresholds
    .map(
      (t) => `shortfall ≥ ${formatPercent(t.minShortfall)} → ${t.notches} notch${t.notches > 1 ? 'es' : ''}`,
    )
    .join('; ');

export function StressPanel() {
  const list = useApi('/api/credit/stress/scenarios');
  const [result, setResult] = useState<Stress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (list.error) return <ErrorState error={list.error} />;
  if (!list.data) return <Loading />;
  const run = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const scenario = String(new FormData(event.currentTarget).get('scenario'));
    setBusy(true);
    setError(null);
    try {
      setResult(await api.post('/api/credit/stress', { body: { scenario } }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const { mapping } = list.data;
  return (
    <section className="panel" aria-labelledby="stress">
      <h2 id="stress">Stress from a research scenario</h2>
      <p className="muted" data-testid="stress-mapping">
        Default mapping, for a scenario without its own ({mapping.name}): {thresholdsText(mapping.thresholds)}
        . {mapping.assumption}
      </p>
      <form className="upload" aria-label="Run a stress" onSubmit={run}>
        <label>
          Scenario
          <select name="scenario" required>
            {list.data.scenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.ownMapping ? ' (its own notch mapping)' : ''}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Running…' : 'Run the stress'}
        </button>
      </form>
      {error ? <ErrorState error={error} /> : null}
      {result &&
        (result.obligors.length === 0 ? (
          <Empty>No facility in the book yet: nothing to stress.</Empty>
        ) : (
          <table data-testid="stress-results">
            <caption>
              {result.scenario.name}, as of {result.asOf}: EL <Amount cents={result.totals.baseEl} /> →{' '}
              <Amount cents={result.totals.stressedEl} /> (change <Amount cents={result.totals.change} />
              ).{' '}
              <span data-testid="stress-mapping-used">
                {result.mapping.from === 'scenario'
                  ? "The scenario's own mapping"
                  : "The programme's default mapping"}
                : {thresholdsText(result.mapping.thresholds)}. {result.mapping.assumption}
              </span>
            </caption>
            <thead>
              <tr>
                <th>Obligor</th>
                <th>Sub-area</th>
                <th className="num">Shortfall</th>
                <th className="num">Notches</th>
                <th>Grade</th>
                <th>Stressed grade</th>
                <th className="num">EAD</th>
                <th className="num">Base EL</th>
                <th className="num">Stressed EL</th>
              </tr>
            </thead>
            <tbody>
              {result.obligors.map((o) => (
                <tr key={o.companyId} data-obligor={o.companyId}>
                  <td>{o.companyName}</td>
                  <td>{o.subAreaName}</td>
                  <td className="num">{formatPercent(o.shortfall)}</td>
                  <td className="num">{o.notches}</td>
                  <td>{gradeText(o.grade)}</td>
                  <td>{gradeText(o.stressedGrade)}</td>
                  <td className="num">
                    <Amount cents={o.ead} />
                  </td>
                  <td className="num">{o.baseEl === null ? 'no EL' : <Amount cents={o.baseEl} />}</td>
                  <td className="num">{o.stressedEl === null ? 'no EL' : <Amount cents={o.stressedEl} />}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td colSpan={6}>Total</td>
                <td className="num">
                  <Amount cents={result.totals.ead} />
                </td>
                <td className="num">
                  <Amount cents={result.totals.baseEl} />
                </td>
                <td className="num">
                  <Amount cents={result.totals.stressedEl} />
                </td>
              </tr>
            </tfoot>
          </table>
        ))}
    </section>
  );
}
