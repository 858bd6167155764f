import { useEffect, useState } from 'react';
import { api, type ResponseOf, urlFor } from '../api.ts';
import { ErrorState } from './States.tsx';

type Job = ResponseOf<'GET /api/jobs/:id'>;
/** A queued job's status is read this often until it ends (the Jobs screen's pace). */
const REFRESH_MS = 2_000;

/**
 * A job started from a page: followed here until it ends, then its file offered for download. Leaving the
 * page does not stop it; it stays on the Jobs screen.
 */
export function BackgroundJob({ job: started, onDone }: { job: Job; onDone?: (id: string) => void }) {
  const [job, setJob] = useState(started);
  const [error, setError] = useState<unknown>(null);
  const ended = job.status !== 'queued' && job.status !== 'running';
  useEffect(() => {
    if (ended) return;
    const timer = setInterval(() => {
      api
        .get('/api/jobs/:id', { params: { id: job.id } })
        .then(setJob)
        .catch(setError);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [ended, job.id]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: told once, when the job is seen done.
  useEffect(() => {
    if (job.status === 'done') onDone?.(job.id);
  }, [job.status]);
  if (error) return <ErrorState error={error} />;
  return (
    <span role="status" data-job={job.id}>
      {job.status === 'done' ? (
        <a href={urlFor('/api/jobs/:id/result', { params: { id: job.id } })} download>
          Download
        </a>
      ) : ended ? (
        <span className="notice error">{job.error ?? job.status}</span>
      ) : (
        <span className="muted">Preparing…</span>
      )}{' '}
      <a href="#/jobs">on the Jobs screen</a>
    </span>
  );
}
