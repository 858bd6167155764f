/** A job as the API shows it, read live where it runs or from its row, and followed until it ends. */
import { type JobHead, jobById } from '../../db/jobs-repo.ts';
import { KeelError } from '../../domain/errors.ts';
import type { Hub, Notice } from './hub.ts';
import { jobKind } from './kinds.ts';

export interface Job {
  id: string;
  kind: string;
  owner: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  done: number;
  total: number;
  /** The latest progress as the kind's stream shows it. */
  progress?: unknown;
  error?: string;
  startedAt: string;
  finishedAt?: string;
}

export const FINISHED = new Set<Job['status']>(['done', 'failed', 'cancelled']);

const iso = (timestamp: string) => new Date(timestamp).toISOString();

export function asJob(row: JobHead): Job {
  return {
    id: row.id,
    kind: row.kind,
    owner: row.owner,
    status: row.status,
    done: row.done,
    total: row.total,
    ...(row.progress !== null && row.progress !== undefined ? { progress: row.progress } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    startedAt: iso(row.created_at),
    ...(row.finished_at ? { finishedAt: iso(row.finished_at) } : {}),
  };
}

/** The queue a kind waits in; an unknown kind (a newer server's) waits with the work of its kind's family. */
export function queueOf(kind: string): string {
  return jobKind(kind)?.queue ?? (kind.startsWith('import.') ? 'keel-imports' : 'keel-work');
}

/** The job as this process knows it best: live if it runs here, else its row. */
export async function readJob(hub: Hub, id: string): Promise<Job | undefined> {
  const local = hub.local.get(id);
  if (local) return { ...local.job };
  const row = await jobById(hub.ctx.database.db, id);
  return row && asJob(row);
}

/**
 * Follows a job until it ends, wherever it runs: notices bring progress and the end; a read now and then
 * covers a notice lost (a listen connection that dropped) and a job that ended before the watch began.
 */
export function watch(
  hub: Hub,
  id: string,
  onUpdate?: (job: Job) => void,
  signal?: AbortSignal,
): Promise<Job> {
  return new Promise<Job>((resolve, reject) => {
    let last: Job | undefined;
    let ended = false;
    const end = (outcome: () => void) => {
      if (ended) return;
      ended = true;
      clearInterval(poll);
      hub.events.off(id, onNotice);
      hub.events.off('resync', check);
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    async function check() {
      try {
        const job = await readJob(hub, id);
        if (ended) return;
        if (!job) return end(() => reject(new KeelError('not_found', `no job "${id}"`)));
        if (FINISHED.has(job.status)) return end(() => resolve(job));
        last = job;
        onUpdate?.(job);
      } catch (error) {
        end(() => reject(error));
      }
    }
    function onNotice(notice: Notice) {
      if (notice.event === 'progress' && last && notice.done !== undefined && notice.total !== undefined) {
        last = {
          ...last,
          status: 'running',
          done: notice.done,
          total: notice.total,
          ...(notice.detail !== undefined ? { progress: notice.detail } : {}),
        };
        onUpdate?.(last);
      } else void check();
    }
    const onAbort = () => end(() => reject(new KeelError('cancelled', 'stopped watching the job')));
    const poll = setInterval(() => void check(), Math.max(hub.timings.heartbeatMs, 500));
    hub.events.on(id, onNotice);
    hub.events.on('resync', check);
    signal?.addEventListener('abort', onAbort, { once: true });
    void check();
  });
}
