/**
 * Durable jobs of every kind through the generic routes, on both databases: a projection stream is a job
 * (row, progress, result), named by its first event; the result is read back by its owner only; DELETE cancels
 * with nothing kept; another user cannot read, watch, fetch or cancel it (404); the limit counts open jobs of
 * every kind; a read-scoped token cannot start a kind that writes; an admin cancelling another's job is audited.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startImportJob } from '../../src/app/import-jobs.ts';
import { projectionJob } from '../../src/app/jobs/compute-kinds.ts';
import { jobSettled, startJob } from '../../src/app/jobs/use-cases.ts';
import { configureResources, resourceLimits } from '../../src/app/resource-limits.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture, serverSentEvents } from './helpers.ts';

process.env.KEEL_JOB_HEARTBEAT_MS = '100';
process.env.KEEL_JOB_STALE_MS = '600';

describeOnBackends('durable jobs of every kind', (backend) => {
  let f: ApiFixture;
  const bearer = (role: keyof ApiFixture['tokens']) => ({ authorization: `Bearer ${f.tokens[role]}` });
  const get = (url: string, role: keyof ApiFixture['tokens'] = 'auditor') =>
    f.app.inject({ method: 'GET', url, headers: bearer(role) });
  const auditor = { id: 'auditor', role: 'auditor' } as const;

  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(async () => {
    await f?.close();
  });

  it('runs a projection stream as a durable job: a job event, progress, the result, a row with all of it', async () => {
    const started = performance.now();
    const stream = await get('/api/projections/stream?paths=2000&seed=11&quarters=8');
    const elapsed = performance.now() - started;
    expect(stream.statusCode).toBe(200);
    const events = serverSentEvents(stream.body);
    expect(events[0]?.event).toBe('job');
    const { id, kind } = events[0]?.data ?? {};
    expect(kind).toBe('projection');
    expect(events.filter((e) => e.event === 'progress').at(-1)?.data).toEqual({ done: 2000, total: 2000 });
    expect(events.at(-1)?.event).toBe('result');
    const result = events.at(-1)?.data;
    const plain = await get('/api/projections?paths=2000&seed=11&quarters=8');
    expect(result.nav).toEqual(plain.json().nav);
    console.log(`[${backend}] projection stream through the queue: ${elapsed.toFixed(0)} ms`);

    const row = await f.keel.database.db
      .selectFrom('jobs')
      .select(['kind', 'owner', 'status', 'done', 'total', 'input', 'progress'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      kind: 'projection',
      owner: 'auditor',
      status: 'done',
      done: 2000,
      total: 2000,
    });
    expect(row.input).toEqual({ paths: 2000, seed: 11, quarters: 8 });
    expect(row.progress).toEqual({ done: 2000, total: 2000 });

    const job = await get(`/api/jobs/${id}`);
    expect(job.json()).toMatchObject({ id, kind: 'projection', status: 'done', owner: 'auditor' });
    const read = await get(`/api/jobs/${id}/result`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().result).toEqual(result);
    const list = await get('/api/jobs?limit=5');
    expect(list.json().jobs.map((j: { id: string }) => j.id)).toContain(id);
    const events2 = serverSentEvents((await get(`/api/jobs/${id}/events`)).body);
    expect(events2.at(-1)).toMatchObject({ event: 'result', data: { id, status: 'done' } });

    // Anyone else is told it does not exist; the admin sees it.
    for (const request of [
      { method: 'GET', url: `/api/jobs/${id}` },
      { method: 'GET', url: `/api/jobs/${id}/result` },
      { method: 'GET', url: `/api/jobs/${id}/events` },
      { method: 'DELETE', url: `/api/jobs/${id}` },
    ] as const) {
      const refused = await f.app.inject({
        ...request,
        headers: { ...bearer('portfolio_manager'), 'idempotency-key': 'other' },
      });
      expect(refused.statusCode, `${request.method} ${request.url}`).toBe(404);
    }
    expect((await get('/api/jobs?limit=200', 'portfolio_manager')).json().jobs).not.toContainEqual(
      expect.objectContaining({ id }),
    );
    expect((await get(`/api/jobs/${id}`, 'admin')).statusCode).toBe(200);
  });

  it('cancels through DELETE: the job ends cancelled with no result, and its result is refused', async () => {
    const job = await startJob(f.keel, auditor, projectionJob, { paths: 200_000, quarters: 80, seed: 3 });
    const cancelled = await f.app.inject({
      method: 'DELETE',
      url: `/api/jobs/${job.id}`,
      headers: { ...bearer('auditor'), 'idempotency-key': 'cancel-1' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await jobSettled(job.id);
    expect((await get(`/api/jobs/${job.id}`)).json()).toMatchObject({
      status: 'cancelled',
      error: 'cancelled; nothing was written',
    });
    const row = await f.keel.database.db
      .selectFrom('jobs')
      .select(['result', 'result_bytes'])
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ result: null, result_bytes: null });
    expect((await get(`/api/jobs/${job.id}/result`)).statusCode).toBe(409);
  });

  it("audits an admin cancelling another user's job", async () => {
    const job = await startJob(f.keel, auditor, projectionJob, { paths: 200_000, quarters: 80, seed: 4 });
    const cancelled = await f.app.inject({
      method: 'DELETE',
      url: `/api/jobs/${job.id}`,
      headers: { ...bearer('admin'), 'idempotency-key': 'cancel-2' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await jobSettled(job.id);
    const audit = await f.keel.database.db.selectFrom('audit_log').select('body').execute();
    const entry = audit.map((a) => JSON.parse(a.body)).find((b) => JSON.stringify(b).includes(job.id));
    expect(JSON.stringify(entry)).toContain('job.cancel');
    expect((await get(`/api/jobs/${job.id}`)).json().status).toBe('cancelled');
  });

  it('counts open jobs of every kind against the limit, across servers (429)', async () => {
    const before = resourceLimits();
    configureResources({ ...before, heavyJobsPerUser: 2 });
    try {
      // Two open jobs of the auditor's, of other kinds, that another server holds (rows only).
      await f.keel.database.db
        .insertInto('jobs')
        .values([
          { id: 'job_elsewhere1', kind: 'optimisation', owner: 'auditor', scope: null, status: 'queued' },
          {
            id: 'job_elsewhere2',
            kind: 'import.companies',
            owner: 'auditor',
            scope: null,
            status: 'running',
            runner: 'elsewhere',
            heartbeat_at: new Date().toISOString(),
          },
        ])
        .execute();
      const refused = await get('/api/projections/stream?paths=100');
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error).toBe('too_many_jobs');
      expect((await get('/api/projections/stream?paths=100', 'admin')).statusCode).toBe(200);
    } finally {
      await f.keel.database.db
        .deleteFrom('jobs')
        .where('id', 'in', ['job_elsewhere1', 'job_elsewhere2'])
        .execute();
      configureResources(before);
    }
  });

  it('refuses a read-scoped token a kind that writes, when queued and when run', async () => {
    const reader = { id: 'admin', role: 'admin', scope: 'read' } as const;
    await expect(
      startImportJob(f.keel, reader, 'companies', 'id,name,us_based,source\n'),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    // A job queued with a read scope (by an older server, or a row written by hand) fails when run.
    await f.keel.database.db
      .insertInto('jobs')
      .values({
        id: 'imp_readscope',
        kind: 'import.companies',
        owner: 'admin',
        scope: 'read',
        status: 'running',
        runner: 'a-dead-host:1:0',
        heartbeat_at: new Date(Date.now() - 60_000).toISOString(),
      })
      .execute();
    await f.keel.database.db
      .insertInto('job_uploads')
      .values({
        job_id: 'imp_readscope',
        content: 'id,name,us_based,source\nrs-1,Read Co,yes,synthetic (test)\n',
      })
      .execute();
    const deadline = Date.now() + 20_000;
    let status = '';
    while (Date.now() < deadline) {
      status = (await get('/api/jobs/imp_readscope', 'admin')).json().status;
      if (status !== 'running' && status !== 'queued') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe('failed');
    const written = await f.keel.database.db
      .selectFrom('companies')
      .select('id')
      .where('id', '=', 'rs-1')
      .execute();
    expect(written).toEqual([]);
  });
});
