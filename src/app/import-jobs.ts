/**
 * Imports run in the background for the web app and API: a job has progress and can be cancelled; the import
 * itself stays all or none (a cancelled or failed job writes nothing). Jobs live in this process's memory,
 * which is where the single embedded database lives too.
 */
import { randomBytes } from 'node:crypto';
import { KeelError } from '../domain/errors.ts';
import { importPermission } from '../domain/import-kinds.ts';
import { authorize } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';
import { type ImportKind, importFile } from './import.ts';
import { notifyImportFinished } from './notifications/notify.ts';

export interface ImportJob {
  id: string;
  kind: ImportKind;
  owner: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  done: number;
  total: number;
  rows?: number;
  replayed?: boolean;
  error?: string;
  startedAt: string;
  finishedAt?: string;
}

const MAX_JOBS_KEPT = 200;
const jobs = new Map<string, { job: ImportJob; controller: AbortController; finished: Promise<void> }>();

export function startImportJob(ctx: AppContext, actor: Actor, kind: ImportKind, text: string): ImportJob {
  authorize(actor, importPermission(kind));
  const id = `imp_${randomBytes(9).toString('base64url')}`;
  const job: ImportJob = {
    id,
    kind,
    owner: actor.id,
    status: 'running',
    done: 0,
    total: 0,
    startedAt: new Date().toISOString(),
  };
  const controller = new AbortController();
  const finished = importFile(ctx, actor, kind, text, {
    signal: controller.signal,
    onProgress: (done, total) => {
      job.done = done;
      job.total = total;
    },
  })
    .then(
      (outcome) => {
        job.status = 'done';
        job.rows = outcome.rows;
        job.replayed = outcome.replayed;
        job.done = job.total = outcome.rows;
      },
      (error: unknown) => {
        job.status = controller.signal.aborted ? 'cancelled' : 'failed';
        job.error = controller.signal.aborted
          ? 'cancelled; nothing was imported'
          : error instanceof KeelError
            ? error.message
            : 'the import failed unexpectedly; nothing was imported';
      },
    )
    .finally(() => {
      job.finishedAt = new Date().toISOString();
    })
    // The job has its outcome whether or not its notice could be stored (a closed database at shutdown).
    .then(() => notifyImportFinished(ctx, job))
    .catch(() => {});
  jobs.set(id, { job, controller, finished });
  while (jobs.size > MAX_JOBS_KEPT) jobs.delete(jobs.keys().next().value!);
  return job;
}

function find(actor: Actor, id: string) {
  // Whoever may import anything holds this one (imports.run's roles are among its roles); a job is seen
  // by its owner only (and the admin), so an analyst never sees a private-side import's progress or error.
  authorize(actor, 'imports.jobs');
  const entry = jobs.get(id);
  if (!entry || (entry.job.owner !== actor.id && actor.role !== 'admin'))
    throw new KeelError('not_found', `no import job "${id}"`);
  return entry;
}

export function importJobStatus(actor: Actor, id: string): ImportJob {
  return { ...find(actor, id).job };
}

export function cancelImportJob(actor: Actor, id: string): ImportJob {
  const entry = find(actor, id);
  if (entry.job.status === 'running') entry.controller.abort();
  return { ...entry.job };
}

/** Import jobs of this process by status, and how long the oldest running one has run (for /metrics). */
export function importJobsOverview(now = Date.now()): {
  byStatus: Record<ImportJob['status'], number>;
  oldestRunningSeconds: number;
} {
  const byStatus = { running: 0, done: 0, failed: 0, cancelled: 0 };
  let oldestRunningSeconds = 0;
  for (const { job } of jobs.values()) {
    byStatus[job.status]++;
    if (job.status === 'running')
      oldestRunningSeconds = Math.max(oldestRunningSeconds, (now - Date.parse(job.startedAt)) / 1000);
  }
  return { byStatus, oldestRunningSeconds };
}

/** For tests and shutdown: waits until a job has settled. */
export async function importJobSettled(id: string): Promise<void> {
  await jobs.get(id)?.finished;
}
