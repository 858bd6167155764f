/**
 * Starting, reading, following, cancelling and listing durable jobs of every kind. A job is seen by its owner
 * only (and the admin): anyone else is told it does not exist, so a private-side job's progress or error
 * never shows. The per-user heavy-job limit counts the owner's queued and running rows of every kind, so it
 * holds across servers.
 */
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import {
  insertJob,
  jobDepth,
  jobResult,
  listJobs,
  lockOwnerJobs,
  openJobCount,
  requestCancel,
} from '../../db/jobs-repo.ts';
import type { Schema } from '../../db/schema.ts';
import { KeelError } from '../../domain/errors.ts';
import { assertMayWrite } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';
import { runningJobs, tooManyJobs } from '../heavy-jobs.ts';
import { resourceLimits } from '../resource-limits.ts';
import { runWrite } from '../write.ts';
import { serverKey } from '../write-key.ts';
import { announceCancelledBy, type Hub, hubFor } from './hub.ts';
import { asJob, FINISHED, type Job, readJob, watch } from './job.ts';
import { type JobKind, jobKind, jsonSafe } from './kinds.ts';

const MAX_SETTLED_KEPT = 200;
/** Jobs started through this process, and when they end (wherever they run): jobSettled. */
const settledHere = new Map<string, Promise<unknown>>();

/**
 * Queues a job of `kind` for `actor`: the input is parsed by the kind's schema (the route's), authorised,
 * and stored as JSON that the same schema must read back; refused past the user's heavy-job limit.
 */
export async function startJob<I>(
  ctx: AppContext,
  actor: Actor,
  kind: JobKind<I>,
  given: unknown,
  options: { upload?: string; idPrefix?: string } = {},
): Promise<Job> {
  const stored = storedInput(actor, kind, given);
  const hub = await hubFor(ctx);
  const id = newJobId(options.idPrefix);
  const row = await ctx.database.db
    .transaction()
    .execute((tx) => queueIn(tx, hub, actor, kind, id, stored, options.upload));
  queued(hub, kind, id);
  return asJob(row);
}

/**
 * Queues a job under the client's idempotency key, in the key's own transaction: the same key and request
 * from the same principal answers the job already queued (as it stands now), never a second job.
 */
export async function startJobOnce<I>(
  ctx: AppContext,
  actor: Actor,
  kind: JobKind<I>,
  given: unknown,
  write: { key: string; action: string; subject: string; idPrefix?: string },
): Promise<Job> {
  const stored = storedInput(actor, kind, given);
  const hub = await hubFor(ctx);
  const id = newJobId(write.idPrefix);
  const written = await runWrite(
    ctx,
    { actor, action: write.action, key: write.key, request: stored, subject: write.subject },
    async (tx) => {
      await queueIn(tx, hub, actor, kind, id, stored, undefined);
      return { result: { id }, audit: { job: id, kind: kind.name, input: stored } };
    },
  );
  if (!written.replayed) queued(hub, kind, id);
  const job = await readJob(hub, written.result.id);
  // Ended jobs are forgotten after a while; the key outlives them.
  if (!job)
    throw new KeelError('not_found', `the job started with this key ("${written.result.id}") is gone`);
  return job;
}

function storedInput<I>(actor: Actor, kind: JobKind<I>, given: unknown): unknown {
  const input = kind.input.parse(given);
  if (kind.writes) assertMayWrite(actor);
  kind.authorize(actor, input);
  const stored = jsonSafe(input) ?? {};
  // The runner reads the stored form: a schema that cannot read its own output is a bug found here, not there.
  kind.input.parse(stored);
  return stored;
}

const newJobId = (prefix = 'job') => `${prefix}_${randomBytes(9).toString('base64url')}`;

async function queueIn<I>(
  tx: Transaction<Schema>,
  hub: Hub,
  actor: Actor,
  kind: JobKind<I>,
  id: string,
  stored: unknown,
  upload: string | undefined,
) {
  // The per-user heavy-job limit holds across the queue: every server counts the same rows.
  await lockOwnerJobs(tx, actor.id);
  // With the heavy requests this process answers within the request (GET /api/projections, …).
  const open = (await openJobCount(tx, actor.id)) + runningJobs(actor.id);
  const limit = resourceLimits().heavyJobsPerUser;
  if (open >= limit) throw tooManyJobs(open, limit);
  const inserted = await insertJob(tx, {
    id,
    kind: kind.name,
    owner: actor.id,
    scope: actor.scope ?? null,
    tokenId: actor.tokenId ?? null,
    input: stored,
    ...(upload !== undefined ? { upload } : {}),
  });
  await hub.queue.sendIn(tx, kind.queue, { id });
  return inserted;
}

function queued(hub: Hub, kind: { queue: string }, id: string): void {
  hub.queue.wake(kind.queue);
  settledHere.set(
    id,
    watch(hub, id).catch(() => {}),
  );
  while (settledHere.size > MAX_SETTLED_KEPT) settledHere.delete(settledHere.keys().next().value!);
}

/** The job if `actor` may see it (its owner, or the admin), else not_found. */
export async function findJob(ctx: AppContext, actor: Actor, id: string): Promise<{ hub: Hub; job: Job }> {
  const hub = await hubFor(ctx);
  const job = await readJob(hub, id);
  if (!job || (job.owner !== actor.id && actor.role !== 'admin'))
    throw new KeelError('not_found', `no job "${id}"`);
  return { hub, job };
}

export async function jobStatus(ctx: AppContext, actor: Actor, id: string): Promise<Job> {
  return (await findJob(ctx, actor, id)).job;
}

/**
 * Follows a job (any server's) until it ends: `onProgress` with the job while it runs, the ended job last.
 * Refuses (before anything is streamed) as the status read does.
 */
export async function watchJob(
  ctx: AppContext,
  actor: Actor,
  id: string,
  options: { onProgress: (job: Job) => void; signal: AbortSignal },
): Promise<Job> {
  const { hub, job } = await findJob(ctx, actor, id);
  if (FINISHED.has(job.status)) return job;
  options.onProgress(job);
  return watch(hub, id, options.onProgress, options.signal);
}

/**
 * Cancels a job wherever it runs; answers it as it stands (a running one ends as `cancelled` shortly). An
 * admin cancelling another user's job is in the audit chain.
 */
export async function cancelJob(ctx: AppContext, actor: Actor, id: string): Promise<Job> {
  const { hub, job } = await findJob(ctx, actor, id);
  if (FINISHED.has(job.status)) return job;
  // First here: on the embedded database the flag below waits for a running import's one connection.
  hub.local.get(id)?.controller.abort();
  const message = `cancelled; ${jobKind(job.kind)?.noEffect ?? 'nothing was written'}`;
  const row =
    job.owner === actor.id
      ? await requestCancel(hub.ctx.database.db, id, message)
      : (
          await runWrite(
            ctx,
            {
              actor,
              action: 'job.cancel',
              key: serverKey('job-cancel', id),
              request: { id },
              subject: `job:${id}`,
            },
            async (tx) => ({
              result: (await requestCancel(tx, id, message)) ?? null,
              audit: { owner: job.owner, kind: job.kind },
            }),
          )
        ).result;
  if (row) announceCancelledBy(hub, [row]);
  return (await readJob(hub, id)) ?? job;
}

/** A page of the actor's jobs (the admin: everyone's), newest first. */
export async function listMyJobs(
  ctx: AppContext,
  actor: Actor,
  page: { limit: number; offset: number },
): Promise<{ jobs: Job[]; total: number }> {
  const { rows, total } = await listJobs(ctx.database.db, {
    ...(actor.role === 'admin' ? {} : { owner: actor.id }),
    ...page,
  });
  return { jobs: rows.map(asJob), total };
}

/** An ended job's result: JSON, or bytes with their type and name (a PDF). */
export async function jobResultOf(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<
  | { kind: 'json'; job: Job; result: unknown }
  | { kind: 'bytes'; job: Job; data: Uint8Array; contentType: string; fileName: string }
> {
  const { job } = await findJob(ctx, actor, id);
  if (job.status !== 'done')
    throw new KeelError(
      'conflict',
      job.status === 'queued' || job.status === 'running'
        ? `job "${id}" has not finished yet`
        : `job "${id}" ended ${job.status}: it has no result`,
    );
  const stored = await jobResult(ctx.database.db, id);
  if (!stored) throw new KeelError('not_found', `no job "${id}"`);
  if (stored.bytes) {
    const meta = stored.result as { contentType: string; fileName: string };
    return { kind: 'bytes', job, data: stored.bytes, contentType: meta.contentType, fileName: meta.fileName };
  }
  return { kind: 'json', job, result: stored.result };
}

/** Jobs on the database by kind and status, and the age of the oldest open one per kind, for /metrics. */
export async function jobsOverview(ctx: AppContext): Promise<{
  byKind: { kind: string; status: string; count: number }[];
  oldestOpenSeconds: Record<string, number>;
}> {
  const byKind: { kind: string; status: string; count: number }[] = [];
  const oldestOpenSeconds: Record<string, number> = {};
  for (const { kind, status, n, oldest } of await jobDepth(ctx.database.db)) {
    byKind.push({ kind, status, count: n });
    if (status === 'queued' || status === 'running')
      oldestOpenSeconds[kind] = Math.max(oldestOpenSeconds[kind] ?? 0, oldest);
  }
  return { byKind, oldestOpenSeconds };
}

/** For tests and the route's job slot: waits until a job started through this process has ended. */
export async function jobSettled(id: string): Promise<void> {
  await settledHere.get(id);
}
