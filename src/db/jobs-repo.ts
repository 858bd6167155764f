/** Durable jobs of every kind and their uploads (migrations 0045, 0046): the truth every server answers from. */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { JobsTable, Schema } from './schema.ts';
import { anyOf } from './sql-helpers.ts';

type Db = Kysely<Schema> | Transaction<Schema>;
export type JobRow = {
  [K in keyof JobsTable]: JobsTable[K] extends { __select__: infer S } ? S : JobsTable[K];
};
/** A row without its result (a list, a status read: the result is read on its own). */
export type JobHead = Omit<JobRow, 'result' | 'result_bytes'>;
const HEAD = [
  'id',
  'kind',
  'owner',
  'scope',
  'token_id',
  'status',
  'done',
  'total',
  'input',
  'progress',
  'error',
  'cancel_requested',
  'runner',
  'heartbeat_at',
  'attempts',
  'created_at',
  'finished_at',
] as const;

const OPEN = ['queued', 'running'] as const;

export async function insertJob(
  tx: Transaction<Schema>,
  job: {
    id: string;
    kind: string;
    owner: string;
    scope: 'read' | 'write' | null;
    tokenId: string | null;
    input: unknown;
    upload?: string;
  },
): Promise<JobHead> {
  const row = await tx
    .insertInto('jobs')
    .values({
      id: job.id,
      kind: job.kind,
      owner: job.owner,
      scope: job.scope,
      token_id: job.tokenId,
      status: 'queued',
      input: JSON.stringify(job.input),
    })
    .returning(HEAD)
    .executeTakeFirstOrThrow();
  if (job.upload !== undefined)
    await tx.insertInto('job_uploads').values({ job_id: job.id, content: job.upload }).execute();
  return row as JobHead;
}

/** Serialises one owner's job starts, so that two servers cannot both let a user past the limit. */
export async function lockOwnerJobs(tx: Transaction<Schema>, owner: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`keel_jobs:${owner}`}))`.execute(tx);
}

export async function openJobCount(db: Db, owner: string): Promise<number> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('owner', '=', owner)
    .where('status', 'in', OPEN)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function jobById(db: Db, id: string): Promise<JobHead | undefined> {
  return (await db.selectFrom('jobs').select(HEAD).where('id', '=', id).executeTakeFirst()) as
    | JobHead
    | undefined;
}

export async function jobResult(
  db: Db,
  id: string,
): Promise<{ result: unknown; bytes: Uint8Array | null } | undefined> {
  const row = await db
    .selectFrom('jobs')
    .select(['result', 'result_bytes'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { result: row.result, bytes: row.result_bytes };
}

/** A page of jobs, newest first: one owner's, or everyone's (`owner` undefined: the admin). */
export async function listJobs(
  db: Db,
  filter: { owner?: string; limit: number; offset: number },
): Promise<{ rows: JobHead[]; total: number }> {
  let query = db.selectFrom('jobs');
  if (filter.owner !== undefined) query = query.where('owner', '=', filter.owner);
  const [rows, count] = await Promise.all([
    query
      .select(HEAD)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as JobHead[], total: Number(count.n) };
}

/**
 * Takes a job to run: a queued one, or a running one whose runner's heartbeat stopped (its process died).
 * Undefined when it is not to be run here (cancelled, finished, or alive elsewhere).
 */
export async function claimJob(
  db: Db,
  id: string,
  runner: string,
  staleMs: number,
): Promise<JobHead | undefined> {
  return (await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      runner,
      heartbeat_at: sql<string>`now()`,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id)
    .where('cancel_requested', '=', false)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'queued'),
        eb.and([
          eb('status', '=', 'running'),
          eb('heartbeat_at', '<', sql<string>`now() - make_interval(secs => ${staleMs / 1000})`),
        ]),
      ]),
    )
    .returning(HEAD)
    .executeTakeFirst()) as JobHead | undefined;
}

export async function uploadOf(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('job_uploads').select('content').where('job_id', '=', id).executeTakeFirst())
    ?.content;
}

/** The runner's heartbeat, with progress; answers whether someone asked to cancel (false: not ours any more). */
export async function beat(
  db: Db,
  id: string,
  runner: string,
  progress: { done: number; total: number; detail?: unknown },
): Promise<{ cancel: boolean } | undefined> {
  const row = await db
    .updateTable('jobs')
    .set({
      heartbeat_at: sql<string>`now()`,
      done: progress.done,
      total: progress.total,
      progress: progress.detail === undefined ? null : JSON.stringify(progress.detail),
    })
    .where('id', '=', id)
    .where('runner', '=', runner)
    .where('status', '=', 'running')
    .returning('cancel_requested')
    .executeTakeFirst();
  return row && { cancel: row.cancel_requested };
}

/** The outcome, written only by the job's current runner; false when another took it over meanwhile. */
export async function finishJob(
  db: Db,
  id: string,
  runner: string,
  outcome: Pick<JobRow, 'status' | 'done' | 'total' | 'error' | 'result_bytes'> & {
    result: unknown;
    progress: unknown;
  },
): Promise<boolean> {
  const row = await db
    .updateTable('jobs')
    .set({
      ...outcome,
      result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
      progress: outcome.progress === undefined ? null : JSON.stringify(outcome.progress),
      finished_at: sql<string>`now()`,
      heartbeat_at: null,
    })
    .where('id', '=', id)
    .where('runner', '=', runner)
    .where('status', '=', 'running')
    .returning('id')
    .executeTakeFirst();
  if (row) await db.deleteFrom('job_uploads').where('job_id', '=', id).execute();
  return Boolean(row);
}

/** Gives a running job back to the queue (its server is stopping); false when it was not ours. */
export async function releaseJob(db: Db, id: string, runner: string): Promise<boolean> {
  const row = await db
    .updateTable('jobs')
    .set({ status: 'queued', runner: null, heartbeat_at: null, done: 0, total: 0, progress: null })
    .where('id', '=', id)
    .where('runner', '=', runner)
    .where('status', '=', 'running')
    .returning('id')
    .executeTakeFirst();
  return Boolean(row);
}

/** Which open jobs a cancellation is for: one job, the jobs some API tokens started, or one owner's. */
export type CancelTarget = { id: string } | { tokenIds: readonly string[] } | { owner: string };

/**
 * Asks for the cancellation of open jobs: a queued one is cancelled here and now; a running one is flagged
 * for its runner (which sees the flag at its next heartbeat, or at once when told). Answers the rows after.
 */
export async function requestCancelOf(db: Db, target: CancelTarget, message: string): Promise<JobHead[]> {
  const rows = (await db
    .updateTable('jobs')
    .set({
      cancel_requested: true,
      status: sql`CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END`,
      error: sql`CASE WHEN status = 'queued' THEN ${message} ELSE error END`,
      finished_at: sql`CASE WHEN status = 'queued' THEN now() ELSE finished_at END`,
    })
    .$if('id' in target, (q) => q.where('id', '=', (target as { id: string }).id))
    .$if('tokenIds' in target, (q) =>
      q.where('token_id', '=', anyOf((target as { tokenIds: readonly string[] }).tokenIds)),
    )
    .$if('owner' in target, (q) => q.where('owner', '=', (target as { owner: string }).owner))
    .where('status', 'in', OPEN)
    .returning(HEAD)
    .execute()) as JobHead[];
  const cancelled = rows.filter((row) => row.status === 'cancelled').map((row) => row.id);
  if (cancelled.length) await db.deleteFrom('job_uploads').where('job_id', 'in', cancelled).execute();
  return rows;
}

/** One job's cancellation (`requestCancelOf`): the row after, or undefined when it had already finished. */
export const requestCancel = async (db: Db, id: string, message: string): Promise<JobHead | undefined> =>
  (await requestCancelOf(db, { id }, message))[0];

/**
 * Running jobs whose runner stopped beating (not this process's own: its heartbeat may only be waiting for
 * the embedded database's one connection): queued again, or cancelled if that was asked meanwhile.
 */
export async function requeueAbandoned(
  db: Db,
  runner: string,
  staleMs: number,
  message: string,
): Promise<{ id: string; kind: string; status: string }[]> {
  const rows = await db
    .updateTable('jobs')
    .set({
      status: sql`CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END`,
      error: sql`CASE WHEN cancel_requested THEN ${message} ELSE error END`,
      finished_at: sql`CASE WHEN cancel_requested THEN now() ELSE NULL END`,
      runner: null,
      heartbeat_at: null,
    })
    .where('status', '=', 'running')
    .where('runner', 'is distinct from', runner)
    .where('heartbeat_at', '<', sql<string>`now() - make_interval(secs => ${staleMs / 1000})`)
    .returning(['id', 'kind', 'status'])
    .execute();
  const cancelled = rows.filter((r) => r.status === 'cancelled').map((r) => r.id);
  if (cancelled.length) await db.deleteFrom('job_uploads').where('job_id', 'in', cancelled).execute();
  return rows;
}

/**
 * Queued jobs older than `staleMs` that the queue no longer holds (its entry was fetched by a worker that then
 * failed before claiming the job, or by a server stopping, or was lost with a killed process between a release
 * and its re-send): without a new entry they would wait for ever and hold their owner's job slot.
 */
export async function queuedWithoutEntry(
  db: Db,
  queue: { schema: string; names: string[] },
  staleMs: number,
): Promise<{ id: string; kind: string }[]> {
  const { rows } = await sql<{ id: string; kind: string }>`
    SELECT j.id, j.kind FROM jobs j
    WHERE j.status = 'queued'
      AND j.created_at < now() - make_interval(secs => ${staleMs / 1000})
      AND NOT EXISTS (
        SELECT 1 FROM ${sql.table(`${queue.schema}.job`)} q
        WHERE q.name IN (${sql.join(queue.names)}) AND q.state IN ('created', 'retry', 'active') AND q.data->>'id' = j.id
      )`.execute(db);
  return rows;
}

/** Ended jobs older than `days` are forgotten (their outcome was told to their owner as a notification). */
export async function forgetEndedJobs(db: Db, days: number): Promise<void> {
  await db
    .deleteFrom('jobs')
    .where('finished_at', '<', sql<string>`now() - make_interval(days => ${days})`)
    .execute();
}

/** Jobs by kind and status, and the age of the oldest of each, in seconds (for /metrics). */
export async function jobDepth(
  db: Db,
): Promise<{ kind: string; status: string; n: number; oldest: number }[]> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => [
      'kind',
      'status',
      eb.fn.countAll<string>().as('n'),
      sql<string>`coalesce(extract(epoch from now() - min(created_at)), 0)`.as('oldest'),
    ])
    .groupBy(['kind', 'status'])
    .execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, n: Number(r.n), oldest: Number(r.oldest) }));
}
