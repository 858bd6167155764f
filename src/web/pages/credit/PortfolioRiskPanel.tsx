/**
 * Portfolio risk on the credit dashboard: the seeded Monte Carlo loss distribution of the lending book, run
 * through the streaming route (progress by chunk of scenarios; Cancel closes the stream, which stops the
 * threads on the server). Losses are float dollars from analytics, not ledger amounts.
 */
import type { FormEvent } from 'react';
import { postEventStream, type ResponseOf } from '../../api.ts';
import { ErrorState } from '../../components/States.tsx';
import { compactDollars, formatPercent } from '../../format.ts';
import { useCancellableRun } from '../../use-cancellable-run.ts';

type Risk = ResponseOf<'POST /api/credit/portfolio-risk'>;
interface Progress {
  done: number;
  total: number;
}

/** A number field left blank is not sent. */
const optionalNumber = (name: string, value: FormDataEntryValue | null) =>
  value === null || String(value).trim() === '' ? {} : { [name]: Number(value) };

export function PortfolioRiskPanel() {
  const { result, error, progress, cancelled, run: start, cancel } = useCancellableRun<Risk, Progress>();
  const run = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    return start({ done: 0, total: Number(form.get('scenarios')) }, (signal, onProgress) =>
      postEventStream<'/api/credit/portfolio-risk/stream', Progress>('/api/credit/portfolio-risk/stream', {
        body: {
          scenarios: Number(form.get('scenarios')),
          seed: Number(form.get('seed')),
          confidence: String(form.get('confidence'))
            .split(',')
            .map((c) => Number(c.trim())),
          factorLevel: 'sub_area',
          // Blank: the book's own figures only (a 400 names what lacks one).
          ...optionalNumber('pd', form.get('pd')),
          ...optionalNumber('lgd', form.get('lgd')),
        },
        signal,
        onProgress,
      }),
    );
  };
  return (
    <section className="panel" aria-labelledby="portfolio-risk">
      <h2 id="portfolio-risk">Portfolio risk</h2>
      <p className="muted">
        Seeded Monte Carlo loss distribution, one factor per sub-area (Gaussian copula). Each obligor's PD
        comes from its grade and its EAD and LGD from its facilities; the PD and LGD below stand in only for
        obligors without a graded PD and loan deals without a facility. Loss figures are float dollars from
        the simulation (analytics), not ledger amounts.
      </p>
      <form className="upload" aria-label="Run portfolio risk" onSubmit={run}>
        <label>
          Scenarios
          <input name="scenarios" type="number" min={1} max={1_000_000} defaultValue={10_000} required />
        </label>
        <label>
          Seed
          <input name="seed" type="number" min={0} defaultValue={1} required />
        </label>
        <label>
          Confidence levels
          <input name="confidence" defaultValue="0.99, 0.999" required />
        </label>
        <label>
          Fallback PD (ungraded obligors)
          <input name="pd" type="number" step="any" min={0} max={1} defaultValue={0.02} />
        </label>
        <label>
          Fallback LGD (deals without a facility)
          <input name="lgd" type="number" step="any" min={0} max={1} defaultValue={0.45} />
        </label>
        <button type="submit" disabled={progress !== null}>
          {progress ? 'Simulating…' : 'Run the simulation'}
        </button>
      </form>
      {progress && (
        <p aria-live="polite" data-testid="portfolio-risk-progress">
          <progress value={progress.done} max={Math.max(1, progress.total)} />{' '}
          {progress.done.toLocaleString('en-US')} of {progress.total.toLocaleString('en-US')} scenarios{' '}
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </p>
      )}
      {cancelled && <p className="muted">Simulation cancelled.</p>}
      {error ? <ErrorState error={error} /> : null}
      {result && (
        <>
          <table data-testid="portfolio-risk">
            <caption>
              {result.obligors} obligors, {result.scenarios.toLocaleString('en-US')} scenarios, seed{' '}
              {result.seed} (float dollars)
            </caption>
            <thead>
              <tr>
                <th>Measure</th>
                <th className="num">Loss</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>Expected loss (Σ PD × LGD × EAD)</td>
                <td className="num">{compactDollars(result.expectedLoss)}</td>
              </tr>
              <tr>
                <td>Expected loss (simulated mean)</td>
                <td className="num">{compactDollars(result.simulatedExpectedLoss)}</td>
              </tr>
              {result.measures.flatMap((m) => [
                <tr key={`var-${m.confidence}`}>
                  <td>VaR {formatPercent(m.confidence)}</td>
                  <td className="num">{compactDollars(m.valueAtRisk)}</td>
                </tr>,
                <tr key={`es-${m.confidence}`}>
                  <td>ES {formatPercent(m.confidence)}</td>
                  <td className="num">{compactDollars(m.expectedShortfall)}</td>
                </tr>,
              ])}
            </tbody>
          </table>
          <p className="muted">
            The request's PD stood in for {result.fallbacks.obligorsWithRequestPd} obligor(s);{' '}
            {result.fallbacks.dealsWithoutFacility} loan deal(s) had no facility. {result.quantileDefinition}.
          </p>
        </>
      )}
    </section>
  );
}
