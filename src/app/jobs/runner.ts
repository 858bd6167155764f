/** Runs one queued job in this process: claim, act as the owner is now, heartbeat, write the outcome once. */
import { beat, claimJob, finishJob, type JobHead, releaseJob, uploadOf } from '../../db/jobs-repo.ts';
import { KeelError } from '../../domain/errors.ts';
import type { Actor } from '../context.ts';
import { type Hub, publish } from './hub.ts';
import { asJob, type Job, queueOf } from './job.ts';
import { type JobKind, type JobOutcome, jobKind, jsonSafe } from './kinds.ts';

const PROGRESS_EVERY_MS = 100;

type Ended = { status: 'done' | 'failed' | 'cancelled'; error?: string; outcome?: JobOutcome };

/** Runs one queued job here, if it is still to be run (it may have been cancelled, or be alive elsewhere). */
export async function runJob(hub: Hub, id: string): Promise<void> {
  if (hub.stopping) return;
  const { db } = hub.ctx.database;
  const row = await claimJob(db, id, hub.runner, hub.timings.staleMs);
  if (!row) return;
  const job = asJob(row);
  job.done = job.total = 0;
  delete job.progress;
  const controller = new AbortController();
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  hub.local.set(id, { job, controller, settled });
  try {
    const ended = await runClaimed(hub, row, job, controller);
    if (ended === 'released') {
      if (await releaseJob(db, id, hub.runner).catch(() => false))
        await hub.queue.send(queueOf(row.kind), { id }).catch(() => {});
      return;
    }
    const { outcome } = ended;
    // The live job stays as it was until the row holds the outcome: a reader sees the row's, not a second one.
    const done = outcome?.done ?? job.done;
    const total = outcome?.total ?? job.total;
    // A binary result (a PDF) is kept as bytes; its result names it.
    const bytes = outcome?.bytes;
    const result = bytes
      ? { contentType: bytes.contentType, fileName: bytes.fileName, size: bytes.data.byteLength }
      : jsonSafe(outcome?.result);
    const mine = await finishJob(db, id, hub.runner, {
      status: ended.status,
      done,
      total,
      error: ended.error ?? null,
      result: result ?? null,
      progress: job.progress,
      result_bytes: bytes ? bytes.data : null,
    }).catch(() => false);
    // Told once, by the runner that wrote the outcome (not by one that was taken over meanwhile).
    const kind = jobKind(row.kind);
    if (mine && kind?.onFinished)
      await kind
        .onFinished(hub.ctx, {
          id,
          kind: row.kind,
          owner: row.owner,
          status: ended.status,
          ...(result !== undefined ? { result } : {}),
          ...(ended.error ? { error: ended.error } : {}),
        })
        .catch(() => {});
  } finally {
    hub.local.delete(id);
    settle();
    publish(hub, { id, event: 'end' });
  }
}

/**
 * The owner as the database has it now, or why the job may not run: the account is gone or disabled, or the
 * API token it was started with has been revoked or has expired since (a revocation cancels the token's open
 * jobs, but one queued in a transaction that committed after it would otherwise run).
 */
async function ownerNow(hub: Hub, row: JobHead, label: string): Promise<Actor | string> {
  const user = await hub.ctx.database.db
    .selectFrom('users')
    .leftJoin('api_tokens as t', (join) => join.on('t.id', '=', row.token_id).on('t.user_id', '=', row.owner))
    .select(['users.role', 'users.disabled', 't.id as token', 't.revoked_at', 't.expires_at'])
    .where('users.id', '=', row.owner)
    .executeTakeFirst();
  if (!user || user.disabled) return `the account that started this ${label} is disabled`;
  if (row.token_id) {
    const expired = user.expires_at !== null && new Date(user.expires_at).getTime() < Date.now();
    if (!user.token || user.revoked_at || expired)
      return `the API token that started this ${label} has been revoked or has expired`;
  }
  return {
    id: row.owner,
    role: user.role,
    ...(row.scope ? { scope: row.scope } : {}),
    ...(row.token_id ? { tokenId: row.token_id } : {}),
    job: row.id,
  };
}

async function runClaimed(
  hub: Hub,
  row: JobHead,
  job: Job,
  controller: AbortController,
): Promise<Ended | 'released'> {
  const { db } = hub.ctx.database;
  const kind = jobKind(row.kind);
  if (!kind) return { status: 'failed', error: `this server cannot run a job of kind "${row.kind}"` };
  // The actor as the database has it now, not as it was when the job was queued: a user disabled (or whose
  // role lost the permission) since then has the job fail, with nothing written.
  const actor = await ownerNow(hub, row, kind.label);
  if (typeof actor === 'string') return { status: 'failed', error: `${actor}; ${kind.noEffect}` };
  let input: unknown;
  try {
    input = kind.input.parse(row.input);
    if (kind.writes && actor.scope === 'read')
      throw new KeelError('forbidden', 'a read-only token cannot run this job');
    kind.authorize(actor, input);
  } catch (error) {
    return {
      status: 'failed',
      error: error instanceof KeelError ? error.message : `the ${kind.label}'s input is no longer valid`,
    };
  }
  const upload = await uploadOf(db, row.id);

  let beating: Promise<void> | null = null;
  const beatNow = () => {
    // One at a time: on the embedded database a beat waits for a running import's transaction to end.
    beating ??= beat(db, row.id, hub.runner, { done: job.done, total: job.total, detail: job.progress })
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
    const outcome = await (kind as JobKind<unknown>).run(hub.ctx, actor, input, {
      id: row.id,
      signal: controller.signal,
      ...(upload !== undefined ? { upload } : {}),
      onProgress: (done, total, detail, last = false) => {
        job.done = done;
        job.total = total;
        if (detail !== undefined) job.progress = jsonSafe(detail);
        const now = Date.now();
        if (!last && now - lastSent < PROGRESS_EVERY_MS) return;
        lastSent = now;
        beatNow();
        publish(hub, { id: job.id, event: 'progress', done, total, detail: job.progress });
      },
    });
    return { status: 'done', outcome };
  } catch (error) {
    if (hub.stopping) return 'released';
    if (controller.signal.aborted) return { status: 'cancelled', error: `cancelled; ${kind.noEffect}` };
    return {
      status: 'failed',
      error:
        error instanceof KeelError
          ? error.message
          : `the ${kind.label} failed unexpectedly; ${kind.noEffect}`,
    };
  } finally {
    clearInterval(heartbeat);
    await beating;
  }
}
