import { type FormEvent, useState } from 'react';
import {
  IMPORT_COLUMNS,
  IMPORT_KIND_LABELS,
  type ImportKind,
  importableKinds,
} from '../../domain/import-kinds.ts';
import { can } from '../../domain/roles.ts';
import { api, type Me, type ResponseOf } from '../api.ts';
import { NOTIFICATIONS_CHANGED } from '../components/NotificationBell.tsx';

type Job = ResponseOf<'GET /api/import-jobs/:id'>;

/**
 * Follows a job over server-sent events until it ends. The job may run on another server than this page's:
 * every server forwards its progress (app/import-jobs.ts).
 */
function watchJob(id: string, onUpdate: (job: Job) => void): Promise<Job> {
  return new Promise((resolve, reject) => {
    const source = new EventSource(`/api/import-jobs/${encodeURIComponent(id)}/events`);
    const data = (event: Event) => JSON.parse((event as MessageEvent).data);
    source.addEventListener('progress', (event) => onUpdate(data(event)));
    source.addEventListener('result', (event) => {
      source.close();
      // The server told the owner before it ended the stream: the bell shows it now, not at its next poll.
      window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
      resolve(data(event));
    });
    source.addEventListener('failure', (event) => {
      source.close();
      reject(new Error(data(event).message));
    });
    source.onerror = () => {
      // The server ends the stream after the result; an error before it is a real failure.
      if (source.readyState === EventSource.CLOSED) return;
      source.close();
      reject(new Error('the connection to the server was lost; the import goes on: reload to see it'));
    };
  });
}

/** Offers only the kinds the user's role may import (an analyst: the public record's two). */
export function Imports({ user }: { user: Me['user'] }) {
  const kinds = importableKinds(user);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [kind, setKind] = useState<ImportKind>(kinds[0] ?? 'companies');
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    const upload = new FormData();
    upload.set('file', form.get('file') as File);
    try {
      const started: Job = await api.post('/api/imports/:kind', { params: { kind }, form: upload });
      setJob(started);
      if (started.status === 'running') setJob(await watchJob(started.id, setJob));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const cancel = async () =>
    job && setJob(await api.delete('/api/import-jobs/:id', { params: { id: job.id } }));
  const percent = job?.total ? Math.round((job.done / job.total) * 100) : 0;
  return (
    <>
      <h1>Import &amp; export</h1>
      <section className="panel">
        <h2>Import a CSV file</h2>
        <p className="muted">
          All rows or none: a file with any bad row imports nothing, and the error names the line and column.
        </p>
        <form onSubmit={submit} className="upload">
          <label>
            Kind
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as ImportKind)}>
              {kinds.map((value) => (
                <option key={value} value={value}>
                  {IMPORT_KIND_LABELS[value]}
                </option>
              ))}
            </select>
          </label>
          <label>
            File
            <input type="file" name="file" accept=".csv,text/csv" required />
          </label>
          <p className="muted hint">
            Columns: {IMPORT_COLUMNS[kind].required.join(', ')}
            {IMPORT_COLUMNS[kind].optional.length > 0 &&
              `; optional: ${IMPORT_COLUMNS[kind].optional.join(', ')}`}
          </p>
          <button type="submit" disabled={job?.status === 'running'}>
            Import
          </button>
        </form>
        {job && (
          <div className="job" data-status={job.status} role="status">
            <progress max={100} value={job.status === 'done' ? 100 : percent} aria-label="Import progress" />
            <span>
              {job.status === 'running' && `Importing… ${job.done} of ${job.total || '?'} rows`}
              {job.status === 'done' &&
                (job.replayed
                  ? 'This file was already imported; nothing changed.'
                  : `Imported ${job.rows} rows.`)}
              {(job.status === 'failed' || job.status === 'cancelled') && job.error}
            </span>
            {job.status === 'running' && (
              <button type="button" onClick={cancel}>
                Cancel
              </button>
            )}
          </div>
        )}
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
      </section>
      {can(user, 'deals.read') && (
        <section className="panel">
          <h2>Export</h2>
          <ul>
            <li>
              Deals: <a href="/api/exports/deals?format=csv">CSV</a> ·{' '}
              <a href="/api/exports/deals?format=xlsx">XLSX</a>
            </li>
            <li>
              Ledger: <a href="/api/exports/ledger?format=csv">CSV</a> ·{' '}
              <a href="/api/exports/ledger?format=xlsx">XLSX</a>
            </li>
          </ul>
        </section>
      )}
    </>
  );
}
