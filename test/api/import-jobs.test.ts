/**
 * Durable import jobs through the API, on both databases: a job is a row any server answers from, watched
 * as server-sent events, cancelled with nothing written, seen by its owner only, replayed for the same file,
 * and counted against its owner's heavy-job limit across the queue. (Several servers: integration/several-servers.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { disableUser } from '../../src/app/accounts.ts';
import { addUser } from '../../src/app/auth.ts';
import { importFile } from '../../src/app/import.ts';
import { importJobsOverview, watchImportJob } from '../../src/app/import-jobs.ts';
import { jobSettled } from '../../src/app/jobs/use-cases.ts';
import { configureResources, resourceLimits } from '../../src/app/resource-limits.ts';
import { forgetEndedJobs } from '../../src/db/jobs-repo.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture, multipartCsv, PASSWORD, serverSentEvents } from './helpers.ts';

const companiesCsv = (prefix: string, count: number) =>
  `id,name,us_based,source\n${Array.from(
    { length: count },
    (_, i) => `${prefix}-${i},${prefix} Co ${i},yes,synthetic (test)`,
  ).join('\n')}\n`;

// Short beats, so that a dead runner's job is taken over within the test (read when the first server starts).
process.env.KEEL_JOB_HEARTBEAT_MS = '100';
process.env.KEEL_JOB_STALE_MS = '600';

describeOnBackends('durable import jobs', (backend) => {
  let f: ApiFixture;
  const bearer = (role: keyof ApiFixture['tokens']) => ({ authorization: `Bearer ${f.tokens[role]}` });
  const start = async (csv: string, key: string, role: keyof ApiFixture['tokens'] = 'admin') => {
    const upload = multipartCsv(csv);
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/imports/companies',
      headers: { ...bearer(role), ...upload.headers, 'idempotency-key': key },
      payload: upload.payload,
    });
    return response;
  };
  const companies = async (prefix: string) =>
    (
      await f.keel.database.db
        .selectFrom('companies')
        .select('id')
        .where('id', 'like', `${prefix}-%`)
        .execute()
    ).length;

  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(async () => {
    await f?.close();
  });

  it('watches a job as server-sent events to its end, and the same file again is a replay', async () => {
    const started = await start(companiesCsv('sse', 2000), 'sse-1');
    expect(started.statusCode).toBe(202);
    const job = started.json();
    expect(job).toMatchObject({ kind: 'companies', owner: 'admin', status: 'running' });
    const stream = await f.app.inject({
      method: 'GET',
      url: `/api/import-jobs/${job.id}/events`,
      headers: bearer('admin'),
    });
    expect(stream.headers['content-type']).toContain('text/event-stream');
    const events = serverSentEvents(stream.body);
    expect(events.at(-1)).toMatchObject({
      event: 'result',
      data: { id: job.id, status: 'done', rows: 2000, done: 2000, total: 2000, replayed: false },
    });
    expect(events.slice(0, -1).every((e) => e.event === 'progress' && e.data.id === job.id)).toBe(true);
    expect(await companies('sse')).toBe(2000);
    // A watch of an ended job answers its end at once.
    const again = await f.app.inject({
      method: 'GET',
      url: `/api/import-jobs/${job.id}/events`,
      headers: bearer('admin'),
    });
    expect(serverSentEvents(again.body)).toEqual([{ event: 'result', data: events.at(-1)!.data }]);

    const replay = await start(companiesCsv('sse', 2000), 'sse-2');
    await jobSettled(replay.json().id);
    const status = await f.app.inject({
      method: 'GET',
      url: `/api/import-jobs/${replay.json().id}`,
      headers: bearer('admin'),
    });
    expect(status.json()).toMatchObject({ status: 'done', rows: 2000, replayed: true });
    expect(await companies('sse')).toBe(2000);
  });

  it("shows a job to its owner and the admin only: another's watch and cancel are 404", async () => {
    const started = await start(companiesCsv('own', 10), 'own-1', 'portfolio_manager');
    const { id } = started.json();
    for (const [method, url] of [
      ['GET', `/api/import-jobs/${id}`],
      ['GET', `/api/import-jobs/${id}/events`],
      ['DELETE', `/api/import-jobs/${id}`],
    ] as const) {
      const other = await f.app.inject({
        method,
        url,
        headers: { ...bearer('banker'), 'idempotency-key': 'x' },
      });
      expect(other.statusCode, `${method} ${url}`).toBe(404);
    }
    await jobSettled(id);
    const admin = await f.app.inject({
      method: 'GET',
      url: `/api/import-jobs/${id}`,
      headers: bearer('admin'),
    });
    expect(admin.json()).toMatchObject({ owner: 'portfolio-manager', status: 'done', rows: 10 });
    const unknown = await f.app.inject({
      method: 'GET',
      url: '/api/import-jobs/imp_doesnotexist/events',
      headers: bearer('admin'),
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('cancels a running job: it ends cancelled and nothing of it is written', async () => {
    const started = await start(companiesCsv('cancel', 40_000), 'cancel-1');
    const { id } = started.json();
    // Followed and cancelled through HTTP on both databases: on the embedded one the import's transaction holds
    // the one connection, so the token comes from the cache (a ledger or company write leaves it alone) and
    // the job from this process's runner, and the cancel reaches the import at once.
    const status = async () =>
      (await f.app.inject({ method: 'GET', url: `/api/import-jobs/${id}`, headers: bearer('admin') })).json();
    let job = await status();
    for (let i = 0; i < 1000 && job.status === 'running' && job.done === 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
      job = await status();
    }
    expect(job).toMatchObject({ status: 'running' });
    expect(job.done).toBeGreaterThan(0);
    expect(job.done).toBeLessThan(40_000);
    const asked = performance.now();
    const cancelled = await f.app.inject({
      method: 'DELETE',
      url: `/api/import-jobs/${id}`,
      headers: bearer('admin'),
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    // Well before the 40,000 rows could have been written (about 3 s on PGlite).
    expect(performance.now() - asked).toBeLessThan(2_000);
    await jobSettled(id);
    const after = await f.app.inject({
      method: 'GET',
      url: `/api/import-jobs/${id}`,
      headers: bearer('admin'),
    });
    expect(after.json()).toMatchObject({ status: 'cancelled', error: 'cancelled; nothing was imported' });
    expect(await companies('cancel')).toBe(0);
    const row = await f.keel.database.db
      .selectFrom('jobs')
      .select(['status', 'cancel_requested'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'cancelled', cancel_requested: true });
    // The upload is not kept once the job has ended.
    const upload = await f.keel.database.db
      .selectFrom('job_uploads')
      .select('job_id')
      .where('job_id', '=', id)
      .execute();
    expect(upload).toEqual([]);
  });

  it('counts an import once against the limit: one open job elsewhere and a limit of 2 leave room for this one', async () => {
    const before = resourceLimits();
    configureResources({ ...before, heavyJobsPerUser: 2 });
    try {
      await f.keel.database.db
        .insertInto('jobs')
        .values({
          id: 'imp_once1',
          kind: 'import.companies',
          owner: 'portfolio-manager',
          scope: 'write',
          status: 'queued',
        })
        .execute();
      // The request's own slot and its job's row counted it twice: 1 + 1 + 1 reached the limit of 2.
      const started = await start(companiesCsv('once', 1), 'once-1', 'portfolio_manager');
      expect(started.statusCode, started.body).toBe(202);
      await jobSettled(started.json().id);
    } finally {
      await f.keel.database.db.deleteFrom('jobs').where('id', '=', 'imp_once1').execute();
      configureResources(before);
    }
  });

  it("counts the owner's queued and running jobs on every server against the heavy-job limit", async () => {
    const before = resourceLimits();
    configureResources({ ...before, heavyJobsPerUser: 2 });
    try {
      // Two open jobs of the portfolio manager's that another server holds (rows only: nothing here runs them).
      await f.keel.database.db
        .insertInto('jobs')
        .values([
          {
            id: 'imp_elsewhere1',
            kind: 'import.companies',
            owner: 'portfolio-manager',
            scope: 'write',
            status: 'queued',
          },
          {
            id: 'imp_elsewhere2',
            kind: 'import.companies',
            owner: 'portfolio-manager',
            scope: 'write',
            status: 'running',
            runner: 'elsewhere',
            heartbeat_at: new Date().toISOString(),
          },
        ])
        .execute();
      const refused = await start(companiesCsv('limit', 1), 'limit-1', 'portfolio_manager');
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error).toBe('too_many_jobs');
      // Someone else is served.
      const other = await start(companiesCsv('limit-admin', 1), 'limit-2', 'admin');
      expect(other.statusCode).toBe(202);
      await jobSettled(other.json().id);
    } finally {
      await f.keel.database.db
        .deleteFrom('jobs')
        .where('id', 'in', ['imp_elsewhere1', 'imp_elsewhere2'])
        .execute();
      configureResources(before);
    }
  });

  it("takes over a dead runner's job, acting as its owner is now: a disabled owner's job fails", async () => {
    await addUser(f.keel, testAdmin, {
      id: 'leaver',
      email: 'leaver@example.org',
      name: 'Leaver',
      role: 'portfolio_manager',
      password: PASSWORD,
    });
    await disableUser(f.keel, testAdmin, 'disable-leaver', 'leaver');
    const abandoned = (id: string, owner: string, prefix: string) => ({
      job: {
        id,
        kind: 'import.companies',
        owner,
        scope: null,
        status: 'running' as const,
        runner: 'a-dead-host:1:0',
        heartbeat_at: new Date(Date.now() - 60_000).toISOString(),
      },
      upload: { job_id: id, content: companiesCsv(prefix, 5) },
    });
    const jobs = [
      abandoned('imp_abandoned1', 'portfolio-manager', 'taken'),
      abandoned('imp_abandoned2', 'leaver', 'left'),
    ];
    for (const { job, upload } of jobs) {
      await f.keel.database.db.insertInto('jobs').values(job).execute();
      await f.keel.database.db.insertInto('job_uploads').values(upload).execute();
    }
    const admin = { id: 'admin', role: 'admin' } as const;
    const follow = (id: string) =>
      watchImportJob(f.keel, admin, id, { onProgress: () => {}, signal: AbortSignal.timeout(30_000) });
    expect(await follow('imp_abandoned1')).toMatchObject({ status: 'done', rows: 5, replayed: false });
    expect(await companies('taken')).toBe(5);
    expect(await follow('imp_abandoned2')).toMatchObject({
      status: 'failed',
      error: 'the account that started this import is disabled; nothing was imported',
    });
    expect(await companies('left')).toBe(0);
    const rows = await f.keel.database.db
      .selectFrom('jobs')
      .select(['id', 'attempts', 'runner'])
      .where('id', 'in', ['imp_abandoned1', 'imp_abandoned2'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.id, r.attempts, r.runner === 'a-dead-host:1:0'])).toEqual([
      ['imp_abandoned1', 1, false],
      ['imp_abandoned2', 1, false],
    ]);
  });

  it('reports a job whose runner died after committing as done with its rows, another job of the file as a replay', async () => {
    const owner = { id: 'portfolio-manager', role: 'portfolio_manager' } as const;
    const csv = companiesCsv('committed', 4);
    // What the dead runner did before it died: the import committed, as that job's write.
    await importFile(f.keel, { ...owner, job: 'imp_committed1' }, 'companies', csv);
    const abandoned = (id: string) => ({
      id,
      kind: 'import.companies',
      owner: owner.id,
      scope: null,
      status: 'running' as const,
      runner: 'a-dead-host:2:0',
      heartbeat_at: new Date(Date.now() - 60_000).toISOString(),
    });
    // The job itself, taken over, and another job of the same file that also lost its runner.
    for (const id of ['imp_committed1', 'imp_committed2']) {
      await f.keel.database.db.insertInto('jobs').values(abandoned(id)).execute();
      await f.keel.database.db.insertInto('job_uploads').values({ job_id: id, content: csv }).execute();
    }
    const admin = { id: 'admin', role: 'admin' } as const;
    const follow = (id: string) =>
      watchImportJob(f.keel, admin, id, { onProgress: () => {}, signal: AbortSignal.timeout(30_000) });
    expect(await follow('imp_committed1')).toMatchObject({ status: 'done', rows: 4, replayed: false });
    expect(await follow('imp_committed2')).toMatchObject({ status: 'done', rows: 4, replayed: true });
    expect(await companies('committed')).toBe(4);
    const told = await f.keel.database.db
      .selectFrom('notifications')
      .select(['subject_id', 'text'])
      .where('subject_id', 'in', ['imp_committed1', 'imp_committed2'])
      .orderBy('subject_id')
      .execute();
    expect(told.map((n) => n.text)).toEqual([
      'Your import of companies finished: 4 rows',
      'Your import of companies finished: this file was imported before, so nothing changed',
    ]);
  });

  it('refuses an upload that is not UTF-8 text, or holds a NUL, with a 400 that names it (nothing queued)', async () => {
    const before = await f.keel.database.db.selectFrom('jobs').select('id').execute();
    const boundary = '----keeltest';
    const upload = (bytes: Buffer) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="u.csv"\r\nContent-Type: text/csv\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
    const latin1 = Buffer.from(
      'id,name,us_based,source\nbad-1,Soci\u00e9t\u00e9,yes,synthetic (test)\n',
      'latin1',
    );
    const nul = Buffer.from('id,name,us_based,source\nbad-2,Nul\u0000Co,yes,synthetic (test)\n');
    for (const [bytes, says] of [
      [latin1, /UTF-8/],
      [nul, /NUL/],
    ] as const) {
      const response = await f.app.inject({
        method: 'POST',
        url: '/api/imports/companies',
        headers: {
          ...bearer('admin'),
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'idempotency-key': `bad-${String(says)}`,
        },
        payload: upload(bytes),
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.body).toMatch(says);
    }
    expect(await f.keel.database.db.selectFrom('jobs').select('id').execute()).toHaveLength(before.length);
    expect(await companies('bad')).toBe(0);
  });

  it('sends a queued job again when the queue lost its entry, so it runs instead of holding a slot for ever', async () => {
    await f.keel.database.db
      .insertInto('jobs')
      .values({
        id: 'imp_orphaned1',
        kind: 'import.companies',
        owner: 'portfolio-manager',
        scope: null,
        status: 'queued',
        created_at: new Date(Date.now() - 60_000).toISOString(),
      })
      .execute();
    await f.keel.database.db
      .insertInto('job_uploads')
      .values({ job_id: 'imp_orphaned1', content: companiesCsv('orphan', 3) })
      .execute();
    const admin = { id: 'admin', role: 'admin' } as const;
    expect(
      await watchImportJob(f.keel, admin, 'imp_orphaned1', {
        onProgress: () => {},
        signal: AbortSignal.timeout(20_000),
      }),
    ).toMatchObject({ status: 'done', rows: 3 });
    expect(await companies('orphan')).toBe(3);
  });

  it('reports the queue from the table on /metrics', async () => {
    const { byStatus } = await importJobsOverview(f.keel);
    const rows = await f.keel.database.db.selectFrom('jobs').select(['status']).execute();
    expect(byStatus.done).toBe(rows.filter((r) => r.status === 'done').length);
    expect(byStatus.cancelled).toBe(1);
  });

  it('forgets ended jobs after 30 days, never an open one', async () => {
    const long = new Date(Date.now() - 31 * 86_400_000).toISOString();
    await f.keel.database.db
      .insertInto('jobs')
      .values([
        {
          id: 'imp_old_done',
          kind: 'import.companies',
          owner: 'admin',
          scope: null,
          status: 'done',
          finished_at: long,
        },
        {
          id: 'imp_old_open',
          kind: 'import.companies',
          owner: 'admin',
          scope: null,
          status: 'queued',
          created_at: long,
        },
      ])
      .execute();
    const before = await f.keel.database.db.selectFrom('jobs').select('id').execute();
    await forgetEndedJobs(f.keel.database.db, 30);
    const after = (await f.keel.database.db.selectFrom('jobs').select('id').execute()).map((r) => r.id);
    expect(after.sort()).toEqual(
      before
        .map((r) => r.id)
        .filter((id) => id !== 'imp_old_done')
        .sort(),
    );
    await f.keel.database.db.deleteFrom('jobs').where('id', '=', 'imp_old_open').execute();
  });
});
