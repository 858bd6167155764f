/**
 * Imports run in the background for the web app and API: a job has progress and can be cancelled; the import
 * itself stays all or none (a cancelled or failed job writes nothing).
 *
 * Jobs are durable and shared by every server on the database: the job and its upload are rows (migration
 * 0045), the queue (job-queue.ts) hands each to one worker of any `keel serve` process, and any server answers
 * a job's progress, watches it and cancels it. Across servers, progress and cancellation travel by
 * LISTEN/NOTIFY; within this process directly (the embedded database has only this process, and its one
 * connection is held by the running import's transaction, so a NOTIFY would arrive only after the import).
 *
 * A runner proves it is alive with a heartbeat; a job whose runner died (kill -9) is queued again by any server
 * and taken over. A second run of the same file is the import's own idempotent replay (the key is the file's
 * SHA-256, claimed inside the import's transaction): two overlapping runs cannot both write, the second waits
 * for the first's claim and replays it, so the ledger never gets the rows twice.
 */

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { KeelDatabase } from '../db/connect.ts';
import {
  beat,
  claimImportJob,
  finishImportJob,
  forgetEndedJobs,
  type ImportJobRow,
  importJobById,
  importJobDepth,
  insertImportJob,
  lockOwnerJobs,
  openJobCount,
  queuedWithoutEntry,
  releaseImportJob,
  requestCancel,
  requeueAbandoned,
  uploadOf,
} from '../db/import-jobs-repo.ts';
import { type Listener, listenOn } from '../db/listen.ts';
import { KeelError } from '../domain/errors.ts';
import { importPermission } from '../domain/import-kinds.ts';
import { authorize } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';
import { tooManyJobs } from './heavy-jobs.ts';
import { type ImportKind, importFile } from './import.ts';
import { type JobQueue, type JobTimings, jobTimings, QUEUE_SCHEMA, startJobQueue } from './job-queue.ts';
import { notifyImportFinished } from './notifications/notify.ts';
import { resourceLimits } from './resource-limits.ts';

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

const QUEUE = 'keel-imports';
const CHANNEL = 'keel_import_jobs';
const PROGRESS_EVERY_MS = 100;
/** Imports one server runs at a time; more wait in the queue (or run on another server). */
const WORKERS_PER_SERVER = 2;
const CANCELLED = 'cancelled; nothing was imported';
const MAX_SETTLED_KEPT = 200;
/** How long an ended job can still be read (and counts on /metrics), and how often that is tidied. */
const KEEP_ENDED_DAYS = 30;
const TIDY_EVERY_MS = 3_600_000;

interface Notice {
  id: string;
  /** The runner id of the process that sent it: a process skips its own, already delivered directly. */
  origin: string;
  event: 'progress' | 'end' | 'cancel';
  done?: number;
  total?: number;
}

interface Hub {
  ctx: AppContext;
  runner: string;
  timings: JobTimings;
  queue: JobQueue;
  listener: Listener | null;
  /** Jobs running in this process, with their live progress. */
  local: Map<string, { job: ImportJob; controller: AbortController; settled: Promise<void> }>;
  /** Per job id: notices (from this process or, on PostgreSQL, from others); 'resync' after a lost listen. */
  events: EventEmitter;
  reaper: NodeJS.Timeout;
  reaping: boolean;
  tidiedAt: number;
  stopping: boolean;
  users: number;
}

const hubs = new WeakMap<KeelDatabase, Promise<Hub>>();
/** Jobs started through this process, and when they end (wherever they run): importJobSettled. */
const settledHere = new Map<string, Promise<unknown>>();

/**
 * Starts this process's import worker on `ctx`'s database (every server does: buildServer), or joins the
 * one running. `stop` lets go; the last user's stop hands the jobs running here back to the queue.
 */
export async function startImportJobRunner(ctx: AppContext): Promise<{ stop(): Promise<void> }> {
  const hub = await hubFor(ctx);
  hub.users++;
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      if (--hub.users <= 0) await stopHub(hub);
    },
  };
}

function hubFor(ctx: AppContext): Promise<Hub> {
  let hub = hubs.get(ctx.database);
  if (!hub) {
    hub = startHub(ctx);
    hubs.set(ctx.database, hub);
    hub.catch(() => hubs.delete(ctx.database));
  }
  return hub;
}

async function startHub(ctx: AppContext): Promise<Hub> {
  const timings = jobTimings();
  const onError = (error: unknown) => {
    if (!hub?.stopping) console.error('keel import jobs:', error);
  };
  const queue = await startJobQueue(ctx.database, timings, onError);
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let hub: Hub | undefined;
  const url = ctx.database.kind === 'postgres' ? ctx.database.pool.options.connectionString : undefined;
  const listener = url
    ? listenOn(url, [CHANNEL], {
        notice: (_channel, payload) => hub && received(hub, payload),
        watching: (on) => on && events.emit('resync'),
      })
    : null;
  await listener?.started;
  hub = {
    ctx,
    runner: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    timings,
    queue,
    listener,
    local: new Map(),
    events,
    reaper: setInterval(() => void reap(hub!), timings.heartbeatMs),
    reaping: false,
    tidiedAt: 0,
    stopping: false,
    users: 0,
  };
  hub.reaper.unref();
  await queue.work<{ id: string }>(QUEUE, WORKERS_PER_SERVER, (data) => runJob(hub!, data.id));
  return hub;
}

async function stopHub(hub: Hub): Promise<void> {
  hub.stopping = true;
  hubs.delete(hub.ctx.database);
  clearInterval(hub.reaper);
  // A job running here goes back to the queue (runJob sees `stopping`), for another server or the next start.
  for (const { controller } of hub.local.values()) controller.abort();
  await Promise.allSettled([...hub.local.values()].map((entry) => entry.settled));
  await hub.queue.stop();
  await hub.listener?.close();
}

function received(hub: Hub, payload: string): void {
  let notice: Notice;
  try {
    notice = JSON.parse(payload) as Notice;
  } catch {
    return;
  }
  if (notice.origin === hub.runner) return;
  if (notice.event === 'cancel') hub.local.get(notice.id)?.controller.abort();
  else hub.events.emit(notice.id, notice);
}

/** To this process's watchers at once; to other servers' by NOTIFY (PostgreSQL only: see the file's head). */
function publish(hub: Hub, notice: Omit<Notice, 'origin'>): void {
  const full: Notice = { ...notice, origin: hub.runner };
  if (notice.event !== 'cancel') hub.events.emit(notice.id, full);
  if (hub.ctx.database.kind !== 'postgres' || hub.stopping) return;
  hub.ctx.database.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(full)]).catch(() => {}); // a lost notice is caught up by the watchers' own reads
}

export async function startImportJob(
  ctx: AppContext,
  actor: Actor,
  kind: ImportKind,
  text: string,
): Promise<ImportJob> {
  authorize(actor, importPermission(kind));
  const hub = await hubFor(ctx);
  const id = `imp_${randomBytes(9).toString('base64url')}`;
  const row = await ctx.database.db.transaction().execute(async (tx) => {
    // The per-user heavy-job limit holds across the queue: every server counts the same rows.
    await lockOwnerJobs(tx, actor.id);
    const open = await openJobCount(tx, actor.id);
    const limit = resourceLimits().heavyJobsPerUser;
    if (open >= limit) throw tooManyJobs(open, limit);
    const inserted = await insertImportJob(tx, {
      id,
      kind,
      owner: actor.id,
      scope: actor.scope ?? null,
      content: text,
    });
    await hub.queue.sendIn(tx, QUEUE, { id });
    return inserted;
  });
  hub.queue.wake(QUEUE);
  settledHere.set(
    id,
    watch(hub, id).catch(() => {}),
  );
  while (settledHere.size > MAX_SETTLED_KEPT) settledHere.delete(settledHere.keys().next().value!);
  return asJob(row);
}

/** Runs one queued job here, if it is still to be run (it may have been cancelled, or be alive elsewhere). */
async function runJob(hub: Hub, id: string): Promise<void> {
  if (hub.stopping) return;
  const { db } = hub.ctx.database;
  const row = await claimImportJob(db, id, hub.runner, hub.timings.staleMs);
  if (!row) return;
  const job = asJob(row);
  job.done = job.total = 0;
  const controller = new AbortController();
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  hub.local.set(id, { job, controller, settled });
  try {
    const outcome = await runClaimed(hub, row, job, controller);
    if (outcome === 'released') {
      if (await releaseImportJob(db, id, hub.runner).catch(() => false))
        await hub.queue.send(QUEUE, { id }).catch(() => {});
      return;
    }
    Object.assign(job, outcome, { finishedAt: new Date().toISOString() });
    const mine = await finishImportJob(db, id, hub.runner, {
      status: job.status,
      done: job.done,
      total: job.total,
      rows: job.rows ?? null,
      replayed: job.replayed ?? null,
      error: job.error ?? null,
    }).catch(() => false);
    // Told once, by the runner that wrote the outcome (not by one that was taken over meanwhile).
    if (mine) await notifyImportFinished(hub.ctx, job).catch(() => {});
  } finally {
    hub.local.delete(id);
    settle();
    publish(hub, { id, event: 'end' });
  }
}

async function runClaimed(
  hub: Hub,
  row: ImportJobRow,
  job: ImportJob,
  controller: AbortController,
): Promise<Partial<ImportJob> | 'released'> {
  const { db } = hub.ctx.database;
  // The actor as the database has it now, not as it was when the job was queued: a user disabled (or whose
  // role lost the permission) since then has the job fail, with nothing imported.
  const user = await db
    .selectFrom('users')
    .select(['role', 'disabled'])
    .where('id', '=', row.owner)
    .executeTakeFirst();
  if (!user || user.disabled)
    return {
      status: 'failed',
      error: 'the account that started this import is disabled; nothing was imported',
    };
  const actor: Actor = { id: row.owner, role: user.role, ...(row.scope ? { scope: row.scope } : {}) };
  const text = await uploadOf(db, row.id);
  if (text === undefined)
    return { status: 'failed', error: 'the upload of this import is gone; nothing was imported' };

  let beating: Promise<void> | null = null;
  const beatNow = () => {
    // One at a time: on the embedded database a beat waits for the import's transaction to end.
    beating ??= beat(db, row.id, hub.runner, { done: job.done, total: job.total })
      .then((answer) => {
        // Not ours any more (taken over while this process stalled), or cancelled from another server.
        if (!answer || answer.cancel) controller.abort();
      })
      .catch(() => {})
      .finally(() => {
        beating = null;
      });
  };
  const heartbeat = setInterval(beatNow, hub.timings.heartbeatMs);
  let lastSent = 0;
  try {
    const outcome = await importFile(hub.ctx, actor, job.kind, text, {
      signal: controller.signal,
      onProgress: (done, total) => {
        job.done = done;
        job.total = total;
        const now = Date.now();
        if (now - lastSent < PROGRESS_EVERY_MS) return;
        lastSent = now;
        beatNow();
        publish(hub, { id: job.id, event: 'progress', done, total });
      },
    });
    return {
      status: 'done',
      rows: outcome.rows,
      replayed: outcome.replayed,
      done: outcome.rows,
      total: outcome.rows,
    };
  } catch (error) {
    if (hub.stopping) return 'released';
    if (controller.signal.aborted) return { status: 'cancelled', error: CANCELLED };
    return {
      status: 'failed',
      error:
        error instanceof KeelError ? error.message : 'the import failed unexpectedly; nothing was imported',
    };
  } finally {
    clearInterval(heartbeat);
    await beating;
  }
}

/** Every server, every heartbeat: jobs whose runner died go back to the queue (or end, if cancelled). */
async function reap(hub: Hub): Promise<void> {
  if (hub.reaping || hub.stopping) return;
  hub.reaping = true;
  try {
    const { db } = hub.ctx.database;
    for (const row of await requeueAbandoned(db, hub.runner, hub.timings.staleMs, CANCELLED)) {
      if (row.status === 'queued') await hub.queue.send(QUEUE, { id: row.id });
      else publish(hub, { id: row.id, event: 'end' });
    }
    // A second entry for a job is harmless: only one worker's claim takes it.
    for (const id of await queuedWithoutEntry(db, { schema: QUEUE_SCHEMA, name: QUEUE }, hub.timings.staleMs))
      await hub.queue.send(QUEUE, { id });
    if (Date.now() - hub.tidiedAt > TIDY_EVERY_MS) {
      hub.tidiedAt = Date.now();
      await forgetEndedJobs(db, KEEP_ENDED_DAYS);
    }
  } catch {
    // The next beat tries again (a closed or unreachable database).
  } finally {
    hub.reaping = false;
  }
}

const FINISHED = new Set(['done', 'failed', 'cancelled']);

/** The job as this process knows it best: live if it runs here, else its row. */
async function readJob(hub: Hub, id: string): Promise<ImportJob | undefined> {
  const local = hub.local.get(id);
  if (local) return { ...local.job };
  const row = await importJobById(hub.ctx.database.db, id);
  return row && asJob(row);
}

/**
 * Follows a job until it ends, wherever it runs: notices bring progress and the end; a read now and then
 * covers a notice lost (a listen connection that dropped) and a job that ended before the watch began.
 */
function watch(hub: Hub, id: string, onUpdate?: (job: ImportJob) => void, signal?: AbortSignal) {
  return new Promise<ImportJob>((resolve, reject) => {
    let last: ImportJob | undefined;
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
        if (!job) return end(() => reject(new KeelError('not_found', `no import job "${id}"`)));
        if (FINISHED.has(job.status)) return end(() => resolve(job));
        last = job;
        onUpdate?.(job);
      } catch (error) {
        end(() => reject(error));
      }
    }
    function onNotice(notice: Notice) {
      if (notice.event === 'progress' && last && notice.done !== undefined && notice.total !== undefined) {
        last = { ...last, status: 'running', done: notice.done, total: notice.total };
        onUpdate?.(last);
      } else void check();
    }
    const onAbort = () => end(() => reject(new KeelError('cancelled', 'stopped watching the import job')));
    const poll = setInterval(() => void check(), Math.max(hub.timings.heartbeatMs, 500));
    hub.events.on(id, onNotice);
    hub.events.on('resync', check);
    signal?.addEventListener('abort', onAbort, { once: true });
    void check();
  });
}

async function find(ctx: AppContext, actor: Actor, id: string): Promise<{ hub: Hub; job: ImportJob }> {
  // Whoever may import anything holds this one (imports.run's roles are among its roles); a job is seen
  // by its owner only (and the admin), so an analyst never sees a private-side import's progress or error.
  authorize(actor, 'imports.jobs');
  const hub = await hubFor(ctx);
  const job = await readJob(hub, id);
  if (!job || (job.owner !== actor.id && actor.role !== 'admin'))
    throw new KeelError('not_found', `no import job "${id}"`);
  return { hub, job };
}

export async function importJobStatus(ctx: AppContext, actor: Actor, id: string): Promise<ImportJob> {
  return (await find(ctx, actor, id)).job;
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
  const { hub, job } = await find(ctx, actor, id);
  if (FINISHED.has(job.status)) return job;
  options.onProgress(job);
  return watch(hub, id, options.onProgress, options.signal);
}

/** Cancels a job wherever it runs; answers it as it stands (a running one ends as `cancelled` shortly). */
export async function cancelImportJob(ctx: AppContext, actor: Actor, id: string): Promise<ImportJob> {
  const { hub, job } = await find(ctx, actor, id);
  if (FINISHED.has(job.status)) return job;
  // First here: on the embedded database the flag below waits for the running import's one connection.
  hub.local.get(id)?.controller.abort();
  const row = await requestCancel(hub.ctx.database.db, id, CANCELLED);
  if (row?.status === 'cancelled') publish(hub, { id, event: 'end' });
  else if (row) publish(hub, { id, event: 'cancel' });
  return (await readJob(hub, id)) ?? job;
}

/** Import jobs on the database by status, and the age of the oldest open one (queued or running), for /metrics. */
export async function importJobsOverview(ctx: AppContext): Promise<{
  byStatus: Record<ImportJobRow['status'], number>;
  oldestOpenSeconds: number;
}> {
  const byStatus = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
  let oldestOpenSeconds = 0;
  for (const { status, n, oldest } of await importJobDepth(ctx.database.db)) {
    byStatus[status as ImportJobRow['status']] = n;
    if (status === 'queued' || status === 'running') oldestOpenSeconds = Math.max(oldestOpenSeconds, oldest);
  }
  return { byStatus, oldestOpenSeconds };
}

/** For tests and the route's job slot: waits until a job started through this process has ended. */
export async function importJobSettled(id: string): Promise<void> {
  await settledHere.get(id);
}

const iso = (timestamp: string) => new Date(timestamp).toISOString();

function asJob(row: ImportJobRow): ImportJob {
  return {
    id: row.id,
    kind: row.kind as ImportKind,
    owner: row.owner,
    status: row.status === 'queued' ? 'running' : row.status,
    done: row.done,
    total: row.total,
    ...(row.rows !== null ? { rows: row.rows } : {}),
    ...(row.replayed !== null ? { replayed: row.replayed } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    startedAt: iso(row.created_at),
    ...(row.finished_at ? { finishedAt: iso(row.finished_at) } : {}),
  };
}
