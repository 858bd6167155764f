import { useEffect, useState } from 'react';
import type { Principal } from '../../domain/roles.ts';
import { api, type ResponseOf, urlFor } from '../api.ts';
import { Pager } from '../components/Pager.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { formatMoment, label } from '../format.ts';
import { useAction } from '../use-action.ts';
import { useApi } from '../use-api.ts';

type Job = ResponseOf<'GET /api/jobs'>['jobs'][number];
const PAGE = 20;
/** While a job is open the list is read again this often (progress lives on the server, any server). */
const REFRESH_MS = 2_000;

const kindLabel = (kind: string) =>
  kind.startsWith('import.') ? `import: ${label(kind.slice(7))}` : label(kind);
const open = (job: Job) => job.status === 'queued' || job.status === 'running';
/** Kinds whose result is a file (a report's PDF or HTML): downloaded, not shown as JSON. */
const isFile = (job: Job) => job.kind.startsWith('report.');

/** Your long-running jobs (the admin: everyone's): progress, cancel, and the result of a finished one. */
export function Jobs({ user }: { user: Principal }) {
  const [offset, setOffset] = useState(0);
  const list = useApi('/api/jobs', { query: { limit: PAGE, offset } });
  const action = useAction(() => list.reload());
  const [shown, setShown] = useState<{ id: string; text: string } | null>(null);
  const anyOpen = list.data?.jobs.some(open) ?? false;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `list.reload` is stable enough; `anyOpen` is the trigger.
  useEffect(() => {
    if (!anyOpen) return;
    const timer = setInterval(() => list.reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [anyOpen]);
  const showResult = async (job: Job) => {
    const answer = await api.get('/api/jobs/:id/result', { params: { id: job.id } });
    setShown({ id: job.id, text: JSON.stringify(answer.result, null, 2) });
  };
  const data = list.data;
  return (
    <section className="jobs">
      <h1>Jobs</h1>
      <p className="muted">
        Projections, optimiser runs, risk simulations, scenario runs, reports and imports run as jobs on any
        Keel server: they go on if you close this page. Closing a page that streams one (Allocation, Credit)
        cancels it.
      </p>
      {action.done ? (
        <p className="notice ok" role="status">
          {action.done}
        </p>
      ) : null}
      {action.error ? <ErrorState error={action.error} /> : null}
      {list.error ? <ErrorState error={list.error} /> : null}
      {!data && !list.error ? <Loading /> : null}
      {data && data.jobs.length === 0 ? <Empty>No jobs yet.</Empty> : null}
      {data && data.jobs.length > 0 ? (
        <table data-testid="jobs">
          <thead>
            <tr>
              <th>Kind</th>
              {user.role === 'admin' ? <th>Owner</th> : null}
              <th>Status</th>
              <th>Progress</th>
              <th>Started (UTC)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.jobs.map((job) => (
              <tr key={job.id} data-testid="job">
                <td>{kindLabel(job.kind)}</td>
                {user.role === 'admin' ? <td>{job.owner}</td> : null}
                <td>
                  {job.status}
                  {job.error ? <span className="muted"> — {job.error}</span> : null}
                </td>
                <td>
                  {job.total > 0 ? (
                    <progress value={job.done} max={job.total}>
                      {job.done} of {job.total}
                    </progress>
                  ) : null}
                </td>
                <td>{formatMoment(job.startedAt)}</td>
                <td>
                  {open(job) ? (
                    <button
                      type="button"
                      onClick={() =>
                        action.run(
                          () => api.delete('/api/jobs/:id', { params: { id: job.id } }),
                          'The job is cancelled.',
                        )
                      }
                    >
                      Cancel
                    </button>
                  ) : null}
                  {job.status === 'done' && !job.kind.startsWith('import.') ? (
                    <>
                      {isFile(job) ? null : (
                        <button type="button" onClick={() => void showResult(job).catch(() => {})}>
                          Open result
                        </button>
                      )}{' '}
                      <a href={urlFor('/api/jobs/:id/result', { params: { id: job.id } } as never)} download>
                        Download
                      </a>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {shown ? (
        <details open>
          <summary>Result of {shown.id}</summary>
          <pre className="job-result">{shown.text}</pre>
        </details>
      ) : null}
      {data && data.total > PAGE ? (
        <Pager offset={offset} pageSize={PAGE} total={data.total} onPage={setOffset} />
      ) : null}
    </section>
  );
}
