import type { EChartsOption } from 'echarts';
import { useMemo, useState } from 'react';
import { api, type ResponseOf } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { BackgroundJob } from '../../components/BackgroundJob.tsx';
import { Chart } from '../../components/Chart.tsx';
import { Disclosure } from '../../components/Disclosure.tsx';
import { ErrorState } from '../../components/States.tsx';
import { useApi } from '../../use-api.ts';
import { ScenarioForm } from './ScenarioForm.tsx';
import { type GraphNode, pct, type ScenarioRun } from './types.ts';

type Compared = ResponseOf<'GET /api/research/runs/compare'>;

/** Saved scenarios to run and compare; `nodes` (the current graph's) lets a research.write role author one. */
export function ScenarioRunner({ nodes }: { nodes?: readonly GraphNode[] | undefined }) {
  const scenarios = useApi('/api/research/scenarios');
  const [running, setRunning] = useState<string | null>(null);
  const [runs, setRuns] = useState<ScenarioRun[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [compared, setCompared] = useState<Compared | null>(null);
  const run = async (id: string) => {
    setRunning(id);
    setError(null);
    try {
      const { result } = await api.post('/api/research/scenarios/:id/runs', { params: { id } });
      setRuns((r) => [result, ...r.filter((x) => x.scenario.id !== id)]);
    } catch (e) {
      setError(e);
    } finally {
      setRunning(null);
    }
  };
  // A run as a background job goes on if the page is closed; its run is shown here when it is done.
  const [job, setJob] = useState<ResponseOf<'GET /api/jobs/:id'> | null>(null);
  const runInBackground = async (id: string) => {
    setError(null);
    try {
      setJob(await api.post('/api/research/scenarios/:id/run-jobs', { params: { id } }));
    } catch (e) {
      setError(e);
    }
  };
  const showJobRun = async (jobId: string) => {
    try {
      const { result } = await api.get('/api/jobs/:id/result', { params: { id: jobId } });
      const done = result as ScenarioRun;
      setRuns((r) => [done, ...r.filter((x) => x.scenario.id !== done.scenario.id)]);
    } catch (e) {
      setError(e);
    }
  };
  const compare = async () => {
    setCompared(
      await api.get('/api/research/runs/compare', { query: { ids: runs.map((r) => r.runId).join(',') } }),
    );
  };
  return (
    <>
      <section className="panel">
        <h2>Shock scenarios</h2>
        {scenarios.error ? <ErrorState error={scenarios.error} /> : null}
        <table>
          <thead>
            <tr>
              <th>Scenario</th>
              <th>Basis</th>
              <th className="num">Months</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {scenarios.data?.scenarios.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td className="muted">{s.basis}</td>
                <td className="num">{s.horizonMonths}</td>
                <td>
                  <button type="button" disabled={running !== null} onClick={() => run(s.id)} data-run={s.id}>
                    Run
                  </button>{' '}
                  <button type="button" onClick={() => void runInBackground(s.id)} data-run-job={s.id}>
                    In the background
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {nodes && (
          <Disclosure summary="New scenario">
            {() => <ScenarioForm nodes={nodes} onSaved={scenarios.reload} />}
          </Disclosure>
        )}
        {running && (
          <p aria-live="polite">
            Running {running}… <progress />
          </p>
        )}
        {job ? (
          <p>
            Scenario run job: <BackgroundJob key={job.id} job={job} onDone={(id) => void showJobRun(id)} />
          </p>
        ) : null}
        {error ? <ErrorState error={error} /> : null}
        {runs.length > 1 && (
          <button type="button" onClick={compare}>
            Compare the {runs.length} runs side by side
          </button>
        )}
      </section>
      {compared && <Comparison compared={compared} />}
      {runs.map((r) => (
        <RunResult key={r.runId} run={r} />
      ))}
    </>
  );
}

function RunResult({ run }: { run: ScenarioRun }) {
  const { result } = run;
  const chart = useMemo<EChartsOption>(() => {
    const subAreas = result.exposures
      .filter((e) => e.kind === 'sub_area')
      .slice(0, 15)
      .reverse();
    return {
      grid: { left: 200 },
      tooltip: {},
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(0)}%` } },
      yAxis: { type: 'category', data: subAreas.map((e) => e.id) },
      series: [{ type: 'bar', name: 'mean shortfall', data: subAreas.map((e) => e.meanShortfall) }],
    };
  }, [result]);
  return (
    <section className="panel" data-testid={`run-${run.scenario.id}`}>
      <h2>
        {run.scenario.name}{' '}
        <span className="muted">
          run {run.runId}, graph v{run.graphVersion}, {run.elapsedMs.toFixed(0)} ms
        </span>
      </h2>
      {result.warnings.map((w) => (
        <p key={w} className="muted">
          Note: {w}
        </p>
      ))}
      {run.includesHoldings ? (
        <p className="total" data-testid="capital-at-risk">
          Capital at risk: <Amount cents={result.capitalAtRiskCents} /> of{' '}
          <Amount cents={result.committedCents} /> committed
        </p>
      ) : (
        <p className="muted">
          Deals and capital at risk are private-side information and are not shown to your role.
        </p>
      )}
      <div className="two">
        <Chart name={`scenario-${run.scenario.id}`} option={chart} height={360} />
        <table>
          <thead>
            <tr>
              <th>Exposed</th>
              <th className="num">Mean</th>
              <th className="num">Peak</th>
              <th>Path</th>
            </tr>
          </thead>
          <tbody>
            {result.exposures.slice(0, 20).map((e) => (
              <tr key={e.id}>
                <td>{e.name}</td>
                <td className="num">{pct(e.meanShortfall)}</td>
                <td className="num">{pct(e.peakShortfall)}</td>
                <td className="muted">{e.path.join(' → ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.deals.some((d) => d.atRiskCents !== '0') && (
        <table>
          <thead>
            <tr>
              <th>Deal</th>
              <th>Sub-area</th>
              <th className="num">Committed</th>
              <th className="num">At risk</th>
            </tr>
          </thead>
          <tbody>
            {result.deals
              .filter((d) => d.atRiskCents !== '0')
              .map((d) => (
                <tr key={d.dealId}>
                  <td>
                    <a href={`#/deals/${encodeURIComponent(d.dealId)}`}>{d.dealId}</a>
                  </td>
                  <td>{d.subAreaId}</td>
                  <td className="num">
                    <Amount cents={d.committedCents} />
                  </td>
                  <td className="num">
                    <Amount cents={d.atRiskCents} />
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Comparison({ compared }: { compared: Compared }) {
  return (
    <section className="panel" data-testid="comparison">
      <h2>Runs side by side (mean shortfall)</h2>
      <table>
        <thead>
          <tr>
            <th>Node</th>
            {compared.runs.map((r) => (
              <th key={r.runId} className="num">
                {r.scenarioId}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {compared.table.slice(0, 30).map((row) => (
            <tr key={row.id}>
              <td>{row.id}</td>
              {row.meanShortfall.map((v, i) => (
                <td key={compared.runs[i]?.runId} className="num">
                  {pct(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
