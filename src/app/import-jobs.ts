/**
 * Imports as durable jobs (app/jobs/: the one mechanism every kind of long work shares): a job has progress
 * and can be cancelled; the import itself stays all or none (a cancelled or failed job writes nothing).
 * The uploaded file is kept beside the job row until it ends. A second run of the same file (a takeover after
 * its runner died) is the import's own idempotent replay (the key is the file's SHA-256, claimed inside the
 * import's transaction): two overlapping runs cannot both write, so the ledger never gets the rows twice.
 */
import { z } from 'zod';
import { jobResult } from '../db/jobs-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { importPermission } from '../domain/import-kinds.ts';
import { authorize } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';
import { IMPORT_KINDS, type ImportKind, importFile } from './import.ts';
import { QUEUES, startJobRunner } from './jobs/hub.ts';
import type { Job } from './jobs/job.ts';
import { type JobKind, registerJobKind } from './jobs/kinds.ts';
import { cancelJob, jobStatus, jobsOverview, startJob, watchJob } from './jobs/use-cases.ts';
import { notifyImportFinished } from './notifications/notify.ts';

export interface ImportJob {
  id: string;
  kind: ImportKind;
  owner: string;
  /** A queued job is `running` to its client: started, not finished. */
  status: 'running' | 'done' | 'failed' | 'cancelled';
  done: number;
  total: number;
  rows?: number;
  replayed?: boolean;
  error?: string;
  startedAt: string;
  finishedAt?: string;
}

const PREFIX = 'import.';
const isImport = (kind: string) => kind.startsWith(PREFIX);

function importJobKind(what: ImportKind): JobKind<Record<string, never>> {
  return registerJobKind({
    name: `${PREFIX}${what}`,
    queue: QUEUES.imports,
    // The file is the job's upload, not its input.
    input: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    authorize: (actor) => authorize(actor, importPermission(what)),
    writes: true,
    label: 'import',
    noEffect: 'nothing was imported',
    async run(ctx, actor, _input, control) {
      if (control.upload === undefined)
        throw new KeelError('not_found', 'the upload of this import is gone; nothing was imported');
      const outcome = await importFile(ctx, actor, what, control.upload, {
        signal: control.signal,
        onProgress: (done, total) => control.onProgress(done, total),
      });
      return {
        result: { rows: outcome.rows, replayed: outcome.replayed },
        done: outcome.rows,
        total: outcome.rows,
      };
    },
    async onFinished(ctx, job) {
      const result = (job.result ?? {}) as { rows?: number; replayed?: boolean };
      await notifyImportFinished(ctx, {
        ...job,
        kind: job.kind.slice(PREFIX.length),
        ...(result.rows !== undefined ? { rows: result.rows } : {}),
        ...(result.replayed !== undefined ? { replayed: result.replayed } : {}),
      });
    },
  });
}

const KINDS = Object.fromEntries(IMPORT_KINDS.map((what) => [what, importJobKind(what)])) as Record<
  ImportKind,
  JobKind<Record<string, never>>
>;

/** Every server runs queued jobs of every kind, its own and other servers' (buildServer). */
export const startImportJobRunner = startJobRunner;

export async function startImportJob(
  ctx: AppContext,
  actor: Actor,
  kind: ImportKind,
  text: string,
): Promise<ImportJob> {
  authorize(actor, importPermission(kind));
  return asImportJob(ctx, await startJob(ctx, actor, KINDS[kind], {}, { upload: text, idPrefix: 'imp' }));
}

async function asImportJob(ctx: AppContext, job: Job): Promise<ImportJob> {
  const result =
    job.status === 'done'
      ? ((await jobResult(ctx.database.db, job.id))?.result as { rows?: number; replayed?: boolean } | null)
      : null;
  return importView(job, result);
}

function importView(job: Job, result: { rows?: number; replayed?: boolean } | null = null): ImportJob {
  return {
    id: job.id,
    kind: job.kind.slice(PREFIX.length) as ImportKind,
    owner: job.owner,
    status: job.status === 'queued' ? 'running' : job.status,
    done: job.done,
    total: job.total,
    ...(typeof result?.rows === 'number' ? { rows: result.rows } : {}),
    ...(typeof result?.replayed === 'boolean' ? { replayed: result.replayed } : {}),
    ...(job.error !== undefined ? { error: job.error } : {}),
    startedAt: job.startedAt,
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
  };
}

/**
 * Whoever may import anything holds imports.jobs (imports.run's roles are among its roles); a job is seen
 * by its owner only (and the admin), so an analyst never sees a private-side import's progress or error.
 */
async function importJobOf(ctx: AppContext, actor: Actor, id: string): Promise<Job> {
  authorize(actor, 'imports.jobs');
  const job = await jobStatus(ctx, actor, id).catch(() => undefined);
  if (!job || !isImport(job.kind)) throw new KeelError('not_found', `no import job "${id}"`);
  return job;
}

export async function importJobStatus(ctx: AppContext, actor: Actor, id: string): Promise<ImportJob> {
  return asImportJob(ctx, await importJobOf(ctx, actor, id));
}

/**
 * Follows a job (any server's) until it ends: `onProgress` with the job while it runs, the ended job last.
 * Refuses (before anything is streamed) as the status read does.
 */
export async function watchImportJob(
  ctx: AppContext,
  actor: Actor,
  id: string,
  options: { onProgress: (job: ImportJob) => void; signal: AbortSignal },
): Promise<ImportJob> {
  await importJobOf(ctx, actor, id);
  const ended = await watchJob(ctx, actor, id, {
    signal: options.signal,
    onProgress: (job) => options.onProgress(importView(job)),
  });
  return asImportJob(ctx, ended);
}

/** Cancels a job wherever it runs; answers it as it stands (a running one ends as `cancelled` shortly). */
export async function cancelImportJob(ctx: AppContext, actor: Actor, id: string): Promise<ImportJob> {
  await importJobOf(ctx, actor, id);
  return asImportJob(ctx, await cancelJob(ctx, actor, id));
}

/** Import jobs on the database by status, and the age of the oldest open one (queued or running), for /metrics. */
export async function importJobsOverview(ctx: AppContext): Promise<{
  byStatus: Record<'queued' | 'running' | 'done' | 'failed' | 'cancelled', number>;
  oldestOpenSeconds: number;
}> {
  const byStatus = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
  const overview = await jobsOverview(ctx);
  for (const { kind, status, count } of overview.byKind)
    if (isImport(kind)) byStatus[status as keyof typeof byStatus] += count;
  const oldest = Object.entries(overview.oldestOpenSeconds).filter(([kind]) => isImport(kind));
  return { byStatus, oldestOpenSeconds: Math.max(0, ...oldest.map(([, s]) => s)) };
}
