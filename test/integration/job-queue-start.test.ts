/**
 * Several servers starting at once on one PostgreSQL database each create the job queues they work. pg-boss's
 * createQueue takes a row of its `queue` table and then attaches a foreign key to that table, so two processes
 * creating two queues deadlock; one CI run lost a `keel serve` to exactly that. Every start must still succeed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JobQueue, jobTimings, startJobQueue } from '../../src/app/job-queue.ts';
import { type KeelDatabase, openDatabase } from '../../src/db/connect.ts';
import { createServerDatabase, type ServerDatabase } from '../support/server-database.ts';
import { SERVER_URL } from './backends.ts';

describe.skipIf(!SERVER_URL)('job queues created by several processes at once [postgres]', () => {
  let server: ServerDatabase;
  const databases: KeelDatabase[] = [];

  beforeAll(async () => {
    server = await createServerDatabase(SERVER_URL!, 'keel_test');
    for (let i = 0; i < 4; i++)
      databases.push(await openDatabase({ databaseUrl: server.url, poolSize: 4, migrate: i === 0 }));
  });
  afterAll(async () => {
    for (const database of databases) await database.close();
    await server.drop();
  });

  it('every process gets every queue, in whatever order they race', async () => {
    const timings = { ...jobTimings({}), pollMs: 60_000 };
    const errors: unknown[] = [];
    for (let round = 0; round < 4; round++) {
      const names = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => `race-${round}-${name}`);
      const queues: JobQueue[] = await Promise.all(
        databases.map((database) => startJobQueue(database, timings, (error) => errors.push(error))),
      );
      try {
        // Each process works the queues in its own order, all at once, as each server's hub does on start.
        await Promise.all(
          queues.map((queue, i) =>
            Promise.all(
              [...names.slice(i), ...names.slice(0, i)].map((name) => queue.work(name, 1, async () => {})),
            ),
          ),
        );
      } finally {
        await Promise.all(queues.map((queue) => queue.stop()));
      }
      const made = await databases[0]!.pool.query(
        `SELECT count(*)::int AS n FROM keel_boss.queue WHERE name LIKE $1`,
        [`race-${round}-%`],
      );
      expect(made.rows[0].n).toBe(names.length);
    }
    expect(errors).toEqual([]);
  });
});
