/** Import jobs and their uploads (migration 0045): the truth every server answers from. */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { ImportJobsTable, Schema } from './schema.ts';

type Db = Kysely<Schema> | Transaction<Schema>;
export type ImportJobRow = {
  [K in keyof ImportJobsTable]: ImportJobsTable[K] extends { __select__: infer S } ? S : ImportJobsTable[K];
};

const OPEN = ['queued', 'running'] as const;

export async function insertImportJob(
  tx: Transaction<Schema>,
  job: { id: string; kind: string; owner: string; scope: 'read' | 'write' | null; content: string },
): Promise<ImportJobRow> {
  const row = await tx
    .insertInto('import_jobs')
    .values({ id: job.id, kind: job.kind, owner: job.owner, scope: job.scope, status: 'queued' })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx.insertInto('import_uploads').values({ job_id: job.id, content: job.content }).execute();
  return row as ImportJobRow;
}

/** Serialises one owner's job starts, so that two servers cannot both let a user past the limit. */
export async function lockOwnerJobs(tx: Transaction<Schema>, owner: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`keel_import_jobs:${owner}`}))`.execute(tx);
}

export async function openJobCount(db: Db, owner: string): Promise<number> {
  const row = await db
    .selectFrom('import_jobs')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('owner', '=', owner)
    .where('status', 'in', OPEN)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function importJobById(db: Db, id: string): Promise<ImportJobRow | undefined> {
  return (await db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst()) as
    | ImportJobRow
    | undefined;
}

/**
 * Takes a job to run: a queued one, or a running one whose runner's heartbeat stopped (its process died).
 * Undefined when it is not to be run here (cancelled, finished, or alive elsewhere).
 */
export async function claimImportJob(
  db: Db,
  id: string,
  runner: string,
  staleMs: number,
): Promise<ImportJobRow | undefined> {
  return (await db
    .updateTable('import_jobs')
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
    .returningAll()
    .executeTakeFirst()) as ImportJobRow | undefined;
}

export async function uploadOf(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('import_uploads').select('content').where('job_id', '=', id).executeTakeFirst())
    ?.content;
}

/** The runner's heartbeat, with progress; answers whether someone asked to cancel (false: not ours any more). */
export async function beat(
  db: Db,
  id: string,
  runner: string,
  progress: { done: number; total: number },
): Promise<{ cancel: boolean } | undefined> {
  const row = await db
    .updateTable('import_jobs')
    .set({ heartbeat_at: sql<string>`now()`, done: progress.done, total: progress.total })
    .where('id', '=', id)
    .where('runner', '=', runner)
    .where('status', '=', 'running')
    .returning('cancel_requested')
    .executeTakeFirst();
  return row && { cancel: row.cancel_requested };
}

/** The outcome, written only by the job's current runner; false when another took it over meanwhile. */
export async function finishImportJob(
  db: Db,
  id: string,
  runner: string,
  outcome: Pick<ImportJobRow, 'status' | 'done' | 'total' | 'rows' | 'replayed' | 'error'>,
): Promise<boolean> {
  const row = await db
    .updateTable('import_jobs')
    .set({ ...outcome, finished_at: sql<string>`now()`, heartbeat_at: null })
    .where('id', '=', id)
    .where('runner', '=', runner)
    .where('status', '=', 'running')
    .returning('id')
    .executeTakeFirst();
  if (row) await db.deleteFrom('import_uploads').where('job_id', '=', id).execute();
  return Boolean(row);
}

/** Gives a running job back to the queue (its server is stopping); false when it was not ours. */
export async function releaseImportJob(db: Db, id: string, runner: string): Promise<boolean> {
  const row = await db
    .updateTable('import_jobs')
    .set({ status: 'queued', runner: null, heartbeat_at: null, done: 0, total: 0 })
    .where('id', '=', id)
    .where('runner', '=', runner)
    .where('status', '=', 'running')
    .returning('id')
    .executeTakeFirst();
  return Boolean(row);
}

/**
 * Asks for a job's cancellation: a queued one is cancelled here and now; a running one is flagged for its
 * runner. Answers the row after, or undefined when the job had already finished.
 */
export async function requestCancel(db: Db, id: string, message: string): Promise<ImportJobRow | undefined> {
  const row = (await db
    .updateTable('import_jobs')
    .set({
      cancel_requested: true,
      status: sql`CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END`,
      error: sql`CASE WHEN status = 'queued' THEN ${message} ELSE error END`,
      finished_at: sql`CASE WHEN status = 'queued' THEN now() ELSE finished_at END`,
    })
    .where('id', '=', id)
    .where('status', 'in', OPEN)
    .returningAll()
    .executeTakeFirst()) as ImportJobRow | undefined;
  if (row?.status === 'cancelled') await db.deleteFrom('import_uploads').where('job_id', '=', id).execute();
  return row;
}

/**
 * Running jobs whose runner stopped beating (not this process's own: its heartbeat may only be waiting for
 * the embedded database's one connection): queued again, or cancelled if that was asked meanwhile.
 */
export async function requeueAbandoned(
  db: Db,
  runner: string,
  staleMs: number,
  message: string,
): Promise<{ id: string; status: string }[]> {
  const rows = await db
    .updateTable('import_jobs')
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
    .returning(['id', 'status'])
    .execute();
  const cancelled = rows.filter((r) => r.status === 'cancelled').map((r) => r.id);
  if (cancelled.length) await db.deleteFrom('import_uploads').where('job_id', 'in', cancelled).execute();
  return rows;
}

/**
 * Queued jobs older than `staleMs` that the queue no longer holds (its entry was fetched by a worker that then
 * failed before claiming the job, or by a server stopping, or was lost with a killed process between a release
 * and its re-send): without a new entry they would wait for ever and hold their owner's job slot.
 */
export async function queuedWithoutEntry(
  db: Db,
  queue: { schema: string; name: string },
  staleMs: number,
): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT j.id FROM import_jobs j
    WHERE j.status = 'queued'
      AND j.created_at < now() - make_interval(secs => ${staleMs / 1000})
      AND NOT EXISTS (
        SELECT 1 FROM ${sql.table(`${queue.schema}.job`)} q
        WHERE q.name = ${queue.name} AND q.state IN ('created', 'retry', 'active') AND q.data->>'id' = j.id
      )`.execute(db);
  return rows.map((r) => r.id);
}

/** Ended jobs older than `days` are forgotten (their outcome was told to their owner as a notification). */
export async function forgetEndedJobs(db: Db, days: number): Promise<void> {
  await db
    .deleteFrom('import_jobs')
    .where('finished_at', '<', sql<string>`now() - make_interval(days => ${days})`)
    .execute();
}

/** Jobs by status and the age of the oldest open one, in seconds (for /metrics). */
export async function importJobDepth(db: Db): Promise<{ status: string; n: number; oldest: number }[]> {
  const rows = await db
    .selectFrom('import_jobs')
    .select((eb) => [
      'status',
      eb.fn.countAll<string>().as('n'),
      sql<string>`coalesce(extract(epoch from now() - min(created_at)), 0)`.as('oldest'),
    ])
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n), oldest: Number(r.oldest) }));
}
