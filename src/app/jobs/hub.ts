/**
 * The one durable-job mechanism (imports, projections, optimiser runs, …: kinds.ts). A job is a row (`jobs`,
 * migrations 0045/0046), the queue (job-queue.ts) hands it to one worker of any `keel serve` process, and any
 * server answers its status, watches it and cancels it. Across servers progress and cancellation travel by
 * LISTEN/NOTIFY; within this process directly (the embedded database has only this process, and its one
 * connection may be held by a running import's transaction, so a NOTIFY would arrive only after the import).
 *
 * A runner proves it is alive with a heartbeat (runner.ts); a job whose runner died (kill -9) is queued again by
 * any server's reaper and taken over. Kinds are safe to run twice: the pure computations simply run again, and
 * a kind that writes does so under an idempotency key (an import's file hash, a scenario run's key).
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { KeelDatabase } from '../../db/connect.ts';
import { forgetEndedJobs, queuedWithoutEntry, requeueAbandoned } from '../../db/jobs-repo.ts';
import { type Listener, listenOn } from '../../db/listen.ts';
import type { AppContext } from '../context.ts';
import { type JobQueue, type JobTimings, jobTimings, QUEUE_SCHEMA, startJobQueue } from '../job-queue.ts';
import { type Job, queueOf } from './job.ts';
import { runJob } from './runner.ts';

const CHANNEL = 'keel_jobs';
/** The queues and how many jobs of each one server runs at a time; more wait (or run on another server). */
export const QUEUES = { imports: 'keel-imports', work: 'keel-work' } as const;
const WORKERS_PER_SERVER = { [QUEUES.imports]: 2, [QUEUES.work]: 2 };
/** Told of a job cancelled while its runner was dead (the kind's own message is told otherwise). */
export const CANCELLED = 'cancelled; nothing was written';
/** How long an ended job (and its result) can still be read, and how often that is tidied. */
const KEEP_ENDED_DAYS = 30;
const TIDY_EVERY_MS = 3_600_000;

export interface Notice {
  id: string;
  /** The runner id of the process that sent it: a process skips its own, already delivered directly. */
  origin: string;
  event: 'progress' | 'end' | 'cancel';
  done?: number;
  total?: number;
  detail?: unknown;
}

export interface Hub {
  ctx: AppContext;
  runner: string;
  timings: JobTimings;
  queue: JobQueue;
  listener: Listener | null;
  /** Jobs running in this process, with their live progress. */
  local: Map<string, { job: Job; controller: AbortController; settled: Promise<void> }>;
  /** Per job id: notices (from this process or, on PostgreSQL, from others); 'resync' after a lost listen. */
  events: EventEmitter;
  reaper: NodeJS.Timeout;
  reaping: boolean;
  tidiedAt: number;
  stopping: boolean;
  users: number;
}

const hubs = new WeakMap<KeelDatabase, Promise<Hub>>();

/**
 * Starts this process's job workers on `ctx`'s database (every server does: buildServer), or joins the ones
 * running. `stop` lets go; the last user's stop hands the jobs running here back to the queue.
 */
export async function startJobRunner(ctx: AppContext): Promise<{ stop(): Promise<void> }> {
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

export function hubFor(ctx: AppContext): Promise<Hub> {
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
    if (!hub?.stopping) console.error('keel jobs:', error);
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
  for (const [name, workers] of Object.entries(WORKERS_PER_SERVER))
    await queue.work<{ id: string }>(name, workers, (data) => runJob(hub!, data.id));
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
export function publish(hub: Hub, notice: Omit<Notice, 'origin'>): void {
  const full: Notice = { ...notice, origin: hub.runner };
  if (notice.event !== 'cancel') hub.events.emit(notice.id, full);
  if (!hub.stopping) void notifyServers(hub.ctx.database, full);
}

/** A notice to the other servers by NOTIFY (PostgreSQL only: see the file's head). */
async function notifyServers(database: KeelDatabase, notice: Notice): Promise<void> {
  if (database.kind !== 'postgres') return;
  let payload = JSON.stringify(notice);
  // NOTIFY's payload is at most 8000 bytes: a large progress detail travels as counts only.
  if (payload.length > 7_000) payload = JSON.stringify({ ...notice, detail: undefined });
  await database.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch(() => {}); // a lost notice is caught up by the watchers' own reads
}

/**
 * Tells at once of jobs cancelled by a transaction that has committed (a revoked token's, a disabled
 * account's): their runners stop now rather than at their next heartbeat, their watchers see the end. A
 * process without a hub (the CLI on a server's database) still tells the servers by NOTIFY.
 */
export async function announceCancelled(
  ctx: AppContext,
  jobs: ReadonlyArray<{ id: string; status: string }>,
): Promise<void> {
  if (jobs.length === 0) return;
  const hub = await hubs.get(ctx.database)?.catch(() => undefined);
  if (hub) announceCancelledBy(hub, jobs);
  else
    for (const job of jobs)
      await notifyServers(ctx.database, { id: job.id, origin: 'no-hub', event: cancellationEvent(job) });
}

/** `announceCancelled` from a process with a hub: a job running here is aborted on the spot. */
export function announceCancelledBy(hub: Hub, jobs: ReadonlyArray<{ id: string; status: string }>): void {
  for (const job of jobs) {
    hub.local.get(job.id)?.controller.abort();
    publish(hub, { id: job.id, event: cancellationEvent(job) });
  }
}

/** A queued job is cancelled outright (its watchers see the end); a running one is told to stop. */
const cancellationEvent = (job: { status: string }) => (job.status === 'cancelled' ? 'end' : 'cancel');

/** Every server, every heartbeat: jobs whose runner died go back to the queue (or end, if cancelled). */
async function reap(hub: Hub): Promise<void> {
  if (hub.reaping || hub.stopping) return;
  hub.reaping = true;
  try {
    const { db } = hub.ctx.database;
    for (const row of await requeueAbandoned(db, hub.runner, hub.timings.staleMs, CANCELLED)) {
      if (row.status === 'queued') await hub.queue.send(queueOf(row.kind), { id: row.id });
      else publish(hub, { id: row.id, event: 'end' });
    }
    // A second entry for a job is harmless: only one worker's claim takes it.
    const names = Object.values(QUEUES);
    for (const job of await queuedWithoutEntry(db, { schema: QUEUE_SCHEMA, names }, hub.timings.staleMs))
      await hub.queue.send(queueOf(job.kind), { id: job.id });
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
