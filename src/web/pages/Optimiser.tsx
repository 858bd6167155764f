/**
 * The optimiser panel: constraints in, the selection, binding constraints and the frontier out. The run is
 * streamed (a progress line per solve) and can be cancelled, which stops HiGHS on the server.
 */
import type { EChartsOption } from 'echarts';
import { type FormEvent, useMemo, useState } from 'react';
import type { OptimiseProgress } from '../../app/optimiser.ts';
import { api, type BodyOf, postEventStream, type ResponseOf } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { Empty, ErrorState } from '../components/States.tsx';
import { compactDollars } from '../format.ts';
import { useCancellableRun } from '../use-cancellable-run.ts';

type OptimiseResult = ResponseOf<'POST /api/optimise'>;

function SendToCommittee({ dealIds }: { dealIds: string[] }) {
  const [state, setState] = useState<{ ok?: string; error?: unknown }>({});
  const send = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const meetingOn = String(new FormData(event.currentTarget).get('meetingOn'));
    try {
      await api.post('/api/committee/agenda', {
        body: { dealIds, meetingOn, source: 'optimiser' },
      });
      setState({ ok: `${dealIds.length} deal(s) put on the committee agenda for ${meetingOn}.` });
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <form className="upload" onSubmit={send}>
      <label>
        Committee meeting
        <input name="meetingOn" type="date" required />
      </label>
      <button type="submit">Send selection to the committee agenda</button>
      {state.ok && (
        <p className="notice ok" role="status">
          {state.ok}
        </p>
      )}
      {state.error ? <ErrorState error={state.error} /> : null}
    </form>
  );
}

export function Optimiser() {
  const {
    result,
    error,
    progress,
    cancelled,
    run: start,
    cancel,
  } = useCancellableRun<OptimiseResult, OptimiseProgress>();
  const run = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const budget = String(form.get('budget') ?? '').trim();
    return start({ done: 0, total: 1, stage: 'starting' }, (signal, onProgress) =>
      postEventStream<'/api/optimise/stream', OptimiseProgress>('/api/optimise/stream', {
        body: {
          year: Number(form.get('year')),
          // The select offers only the optimiser's sources; the server checks it all the same.
          resilienceFrom: String(
            form.get('resilienceFrom'),
          ) as BodyOf<'POST /api/optimise'>['resilienceFrom'],
          ...(budget ? { budget: Number(budget) * 1e6 } : {}),
        },
        signal,
        onProgress,
      }),
    );
  };
  const frontier = useMemo<EChartsOption | null>(
    () =>
      result?.frontier?.length
        ? {
            tooltip: { trigger: 'axis' },
            xAxis: {
              type: 'category',
              name: 'budget',
              nameLocation: 'middle',
              nameGap: 28,
              data: result.frontier.map((f) => compactDollars(f.budget)),
            },
            yAxis: [
              { type: 'value', name: 'resilience' },
              { type: 'value', name: 'return $/yr' },
            ],
            series: [
              { name: 'resilience', type: 'line', data: result.frontier.map((f) => f.resilience ?? 0) },
              {
                name: 'expected return',
                type: 'line',
                yAxisIndex: 1,
                data: result.frontier.map((f) => f.expectedReturn),
              },
            ],
          }
        : null,
    [result],
  );
  return (
    <section className="panel">
      <h2>Which deals next? Resilience per dollar within budget and caps</h2>
      <form className="upload" onSubmit={run}>
        <label>
          Year
          <input
            name="year"
            type="number"
            defaultValue={new Date().getFullYear() + 1}
            min={2000}
            max={2100}
            required
          />
        </label>
        <label>
          Budget ($M, counted; blank = the year's plan less what is counted)
          <input name="budget" type="number" min={0} step="any" />
        </label>
        <label>
          Resilience gain from
          <select name="resilienceFrom" defaultValue="analyst">
            <option value="analyst">analysts' scores only</option>
            <option value="analyst_first">analysts, else the research engine</option>
            <option value="research_first">the research engine, else analysts</option>
          </select>
        </label>
        <button type="submit" disabled={progress !== null}>
          {progress ? 'Solving…' : 'Run optimiser'}
        </button>
      </form>
      {progress && (
        <p aria-live="polite" data-testid="optimiser-progress">
          <progress value={progress.done} max={progress.total} /> solve{' '}
          {Math.min(progress.done + 1, progress.total)} of {progress.total}: {progress.stage}
          {progress.solve?.gap != null ? `, gap ${(progress.solve.gap * 100).toFixed(2)}%` : ''}{' '}
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </p>
      )}
      {cancelled && <p className="muted">Optimisation cancelled; nothing was changed.</p>}
      {error ? <ErrorState error={error} /> : null}
      {result?.status === 'infeasible' && (
        <div className="notice error" role="alert" data-testid="infeasible">
          <strong>No selection satisfies these constraints together:</strong>
          <ul>
            {result.conflicts?.map((c) => (
              <li key={c.label}>
                {c.label} {c.sense} {compactDollars(c.rhs)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {result && result.status !== 'infeasible' && (
        <div data-testid="optimiser-result">
          <p>
            Status {result.status}; resilience {result.objective?.toFixed(2)}; gap ≤{' '}
            {((result.gap ?? 0) * 100).toFixed(3)}%; budget {compactDollars(result.budget)}.
            {result.unscored?.length
              ? ` ${result.unscored.length} deal(s) without a resilience score were left out.`
              : ''}
            {result.fullyCommitted?.length
              ? ` ${result.fullyCommitted.length} open deal(s) already committed in full were left out; partly committed deals count only their uncommitted rest.`
              : ''}
          </p>
          <div className="two">
            <div>
              <h3>Selected deals</h3>
              {result.selection?.length ? (
                <table>
                  <tbody>
                    {result.selection.map((s) => (
                      <tr key={s.dealId}>
                        <td>
                          <a href={`#/deals/${s.dealId}`}>{s.dealId}</a>
                        </td>
                        <td className="num">{(s.share * 100).toFixed(0)}%</td>
                        <td className="num">{compactDollars(s.amount)}</td>
                        <td className="num">{s.resilience.toFixed(1)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <Empty>
                  Nothing selected. Raise the budget or loosen a constraint, or score more pipeline deals.
                </Empty>
              )}
              {result.selection?.length ? (
                <SendToCommittee dealIds={result.selection.map((s) => s.dealId)} />
              ) : null}
              <h3>Binding constraints</h3>
              {result.binding?.length ? (
                <table>
                  <tbody>
                    {result.binding.map((b) => (
                      <tr key={b.label}>
                        <td>{b.label}</td>
                        <td className="num">{b.shadowPrice.toFixed(4)} per $1M</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <Empty>No constraint binds: the budget is what limits the selection.</Empty>
              )}
            </div>
            <div>{frontier && <Chart name="frontier" option={frontier} height={280} />}</div>
          </div>
        </div>
      )}
    </section>
  );
}
