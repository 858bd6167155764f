/**
 * The queue of background work every Keel process on a database shares: pg-boss 10 (pinned: 11 and later
 * need Node 22, Keel runs on Node 20), run through Keel's own Kysely database.
 *
 * Why pg-boss and not graphile-worker: graphile-worker needs a pg Pool of its own and a dedicated LISTEN
 * connection, which the embedded PGlite (one connection, in this process) cannot give; pg-boss accepts a
 * `db: { executeSql(text, values) }` adapter, so the embedded mode and PostgreSQL run the same code path:
 * the same schema (`keel_boss`, created and upgraded by pg-boss itself on start), the same fetch
 * (`FOR UPDATE SKIP LOCKED`), the same polling worker. An enqueue can share a Keel transaction (`sendIn`),
 * so a job row and its queue entry are written together or not at all.
 *
 * The queue only says "run job X"; what a job is, who owns it, how far it got, lives in Keel's own tables.
 * pg-boss's own expiry is a far backstop: a dead runner is found by Keel's heartbeat (import-jobs.ts).
 */
import { CompiledQuery, type Kysely, type QueryResult, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import type { KeelDatabase } from '../db/connect.ts';
import type { Schema } from '../db/schema.ts';

export const QUEUE_SCHEMA = 'keel_boss';

/**
 * pg-boss's database adapter over Keel's Kysely database. Some of pg-boss's statements are several in one text
 * with their own BEGIN and COMMIT; one that fails midway leaves its connection inside an aborted transaction,
 * and a pooled connection (the embedded database's only one) must not go back to the pool that way.
 */
function adapter(db: Kysely<Schema>) {
  return {
    executeSql: (text: string, values: unknown[] = []) =>
      db.connection().execute(async (connection) => {
        try {
          return rowsOf(await connection.executeQuery(CompiledQuery.raw(text, values)));
        } catch (error) {
          if (/\bBEGIN\b/i.test(text))
            await connection.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => {});
          throw error;
        }
      }),
  };
}

/** The adapter inside a Keel transaction: pg-boss's send is one statement, and the transaction is the caller's. */
function transactionAdapter(tx: Transaction<Schema>) {
  return {
    executeSql: async (text: string, values: unknown[] = []) =>
      rowsOf(await tx.executeQuery(CompiledQuery.raw(text, values))),
  };
}

const rowsOf = (result: QueryResult<unknown>) => ({
  rows: result.rows as unknown[],
  rowCount: Number(result.numAffectedRows ?? result.rows.length),
});

/** Timings, in milliseconds; KEEL_JOB_* variables shorten them for tests. */
export interface JobTimings {
  /** How often a worker looks for queued work when nothing woke it (pg-boss's minimum is 500). */
  pollMs: number;
  /** How often a runner proves it is alive, and every server looks for runners that stopped doing so. */
  heartbeatMs: number;
  /** A running job whose heartbeat is older than this is taken to have lost its runner. */
  staleMs: number;
}

export function jobTimings(env: NodeJS.ProcessEnv = process.env): JobTimings {
  const read = (name: string, fallback: number, min: number) => {
    const value = Number(env[name] ?? fallback);
    return Number.isFinite(value) && value >= min ? value : fallback;
  };
  const heartbeatMs = read('KEEL_JOB_HEARTBEAT_MS', 2_000, 50);
  return {
    pollMs: read('KEEL_JOB_POLL_MS', 1_000, 500),
    heartbeatMs,
    // Several missed heartbeats, so that a busy (not dead) process is never taken over.
    staleMs: Math.max(read('KEEL_JOB_STALE_MS', 15_000, 100), heartbeatMs * 3),
  };
}

/**
 * Two servers starting at once on a new database both create pg-boss's schema. pg-boss serialises them with
 * an advisory lock, but the second then runs on a catalog snapshot taken before the first committed (an
 * advisory lock does not refresh it) and fails on a duplicate schema. Started again, it finds the schema made.
 */
async function startBoss(make: () => PgBoss): Promise<PgBoss> {
  for (let attempt = 1; ; attempt++) {
    const boss = make();
    try {
      await boss.start();
      return boss;
    } catch (error) {
      await boss.stop({ graceful: false, wait: false }).catch(() => {});
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/**
 * createQueue is idempotent in pg-boss 10 (`ON CONFLICT DO NOTHING`), but two processes creating two queues at
 * once deadlock: each holds its new `queue` row, then attaching its partition's foreign key to `queue` waits for
 * the other's (a test of four processes racing six queues deadlocked on every run). So creators on one
 * PostgreSQL database take turns, under a session advisory lock held on a connection of its own while pg-boss
 * creates on another. The embedded database is one process with one connection: nobody to take turns with.
 */
async function inTurn(database: KeelDatabase, create: () => Promise<void>): Promise<void> {
  if (database.kind === 'pglite') return create();
  const client = await database.pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('keel.job-queue.create'))`);
    try {
      await create();
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext('keel.job-queue.create'))`);
    }
  } finally {
    client.release();
  }
}

export interface JobQueue {
  /** Enqueues in `tx`, so that the queue entry commits with the caller's own rows. */
  sendIn(tx: Transaction<Schema>, queue: string, data: object): Promise<void>;
  send(queue: string, data: object): Promise<void>;
  /** Wakes this process's workers of `queue` (after a `sendIn` committed) instead of waiting for a poll. */
  wake(queue: string): void;
  /** Runs `handler` for each job of `queue`, `concurrency` at a time in this process. */
  work<T extends object>(
    queue: string,
    concurrency: number,
    handler: (data: T) => Promise<void>,
  ): Promise<void>;
  stop(): Promise<void>;
}

export async function startJobQueue(
  database: KeelDatabase,
  timings: JobTimings,
  onError: (error: unknown) => void,
): Promise<JobQueue> {
  const boss = await startBoss(() => {
    const made = new PgBoss({
      db: adapter(database.db),
      schema: QUEUE_SCHEMA,
      migrate: true,
      supervise: true,
      schedule: false,
    });
    made.on('error', onError);
    return made;
  });
  const created = new Set<string>();
  // One creation at a time in this process too: each turn holds a pooled connection and needs a second.
  let turns: Promise<unknown> = Promise.resolve();
  const ensureQueue = async (queue: string) => {
    if (created.has(queue)) return;
    const turn = turns.then(async () => {
      if (created.has(queue)) return;
      await inTurn(database, () =>
        boss.createQueue(queue, { name: queue, retryLimit: 0, expireInHours: 23 }),
      );
      created.add(queue);
    });
    turns = turn.catch(() => {});
    await turn;
  };
  const workers = new Map<string, string[]>();
  const wake = (queue: string) => {
    for (const id of workers.get(queue) ?? []) boss.notifyWorker(id);
  };
  return {
    async sendIn(tx, queue, data) {
      await ensureQueue(queue);
      await boss.send(queue, data, { db: transactionAdapter(tx) } as PgBoss.SendOptions);
    },
    async send(queue, data) {
      await ensureQueue(queue);
      await boss.send(queue, data);
      wake(queue);
    },
    wake,
    async work(queue, concurrency, handler) {
      await ensureQueue(queue);
      const ids: string[] = [];
      for (let i = 0; i < concurrency; i++) {
        ids.push(
          await boss.work<object>(
            queue,
            { pollingIntervalSeconds: timings.pollMs / 1000, batchSize: 1 },
            async ([job]) => {
              if (job) await handler(job.data as never);
            },
          ),
        );
      }
      workers.set(queue, ids);
    },
    async stop() {
      // Graceful: the hub has already aborted the jobs running here (they go back to Keel's queue), but a worker
      // may have just fetched one; pg-boss completes it after its handler returns, and that must happen before
      // the caller closes the database (a complete on a destroyed pool was an unhandled rejection). What is still
      // in hand after the timeout is failed in pg-boss; the Keel job row is taken over by its heartbeat.
      await boss.stop({ graceful: true, wait: true, timeout: 5_000 }).catch(onError);
    },
  };
}
