/**
 * The reports and scenario runs as durable jobs, on both databases: a report job ends done with its file as
 * the result (the PDF's bytes begin %PDF, the HTML names its period), downloaded by its owner only; a
 * scenario-run job writes its run once, the same Idempotency-Key twice is one job and one run, a read token
 * cannot start it, and a job cancelled before it runs leaves no run.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/auth.ts';
import { projectionJob } from '../../src/app/jobs/compute-kinds.ts';
import { scenarioRunJob } from '../../src/app/jobs/scenario-kind.ts';
import { cancelJob, jobSettled, startJob, startJobOnce } from '../../src/app/jobs/use-cases.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

const SCENARIO = 'antimony-export-ban';

describeOnBackends('report and scenario-run jobs', (backend) => {
  let f: ApiFixture;
  const bearer = (role: keyof ApiFixture['tokens']) => ({ authorization: `Bearer ${f.tokens[role]}` });
  const get = (url: string, role: keyof ApiFixture['tokens']) =>
    f.app.inject({ method: 'GET', url, headers: bearer(role) });
  /** A POST under `key`, a fresh one when not given, none at all when null. */
  const post = (url: string, role: keyof ApiFixture['tokens'], payload?: unknown, key?: string | null) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { ...bearer(role), ...(key === null ? {} : { 'idempotency-key': key ?? randomUUID() }) },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const runRows = async () =>
    (
      await f.keel.database.db
        .selectFrom('research_scenario_runs')
        .select('id')
        .where('scenario_id', '=', SCENARIO)
        .execute()
    ).length;

  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(async () => {
    await f?.close();
  });

  it('renders the quarterly report as HTML and as a PDF in the background, for its owner only', async () => {
    const html = await post('/api/reports/quarterly/jobs', 'auditor', { quarter: '2026Q3' });
    expect(html.statusCode, html.body).toBe(202);
    expect(html.json()).toMatchObject({ kind: 'report.quarterly', owner: 'auditor' });
    await jobSettled(html.json().id);
    const page = await get(`/api/jobs/${html.json().id}/result`, 'auditor');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-disposition']).toContain('keel-report-2026Q3.html');
    expect(page.body).toContain('2026Q3');

    const started = performance.now();
    const pdf = await post('/api/reports/quarterly/jobs', 'auditor', { quarter: '2026Q3', format: 'pdf' });
    expect(pdf.statusCode, pdf.body).toBe(202);
    const { id } = pdf.json();
    await jobSettled(id);
    console.log(`[${backend}] quarterly PDF as a job: ${(performance.now() - started).toFixed(0)} ms`);
    expect((await get(`/api/jobs/${id}`, 'auditor')).json()).toMatchObject({
      status: 'done',
      done: 2,
      total: 2,
    });
    const file = await get(`/api/jobs/${id}/result`, 'auditor');
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.subarray(0, 4).toString('latin1')).toBe('%PDF');
    // Another user (who may read reports too) is told it does not exist.
    expect((await get(`/api/jobs/${id}/result`, 'banker')).statusCode).toBe(404);
    expect((await get(`/api/jobs/${id}`, 'banker')).statusCode).toBe(404);
  });

  it('prepares one report per Idempotency-Key: a retry answers the same job, another body under it is refused', async () => {
    const first = await post('/api/reports/monthly/jobs', 'auditor', { month: '2026-09' }, 'rep-key-1');
    expect(first.statusCode, first.body).toBe(202);
    const again = await post('/api/reports/monthly/jobs', 'auditor', { month: '2026-09' }, 'rep-key-1');
    expect(again.statusCode, again.body).toBe(202);
    expect(again.json().id).toBe(first.json().id);
    const other = await post('/api/reports/monthly/jobs', 'auditor', { month: '2026-08' }, 'rep-key-1');
    expect(other.statusCode, other.body).toBe(409);
    // The key is the auditor's own: another user's request under the same key is a job of their own.
    const pm = await post(
      '/api/reports/monthly/jobs',
      'portfolio_manager',
      { month: '2026-09' },
      'rep-key-1',
    );
    expect(pm.statusCode, pm.body).toBe(202);
    expect(pm.json().id).not.toBe(first.json().id);
    const missing = await post('/api/reports/monthly/jobs', 'auditor', { month: '2026-09' }, null);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('idempotency-key');
    const jobs = await f.keel.database.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', 'report.monthly')
      .where('input', '@>', JSON.stringify({ month: '2026-09' }) as never)
      .execute();
    expect(jobs).toHaveLength(2);
    for (const id of [first.json().id, pm.json().id]) await jobSettled(id);
  });

  it('renders the monthly report in the background; bad periods and the public side are refused', async () => {
    const html = await post('/api/reports/monthly/jobs', 'auditor', { month: '2026-10' });
    expect(html.statusCode, html.body).toBe(202);
    await jobSettled(html.json().id);
    const page = await get(`/api/jobs/${html.json().id}/result`, 'auditor');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2026-10');
    for (const payload of [{ month: '2026-13' }, { month: 'x' }, {}, { month: '2026-10', format: 'doc' }]) {
      const refused = await post('/api/reports/monthly/jobs', 'auditor', payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const quarter = await post('/api/reports/quarterly/jobs', 'auditor', { quarter: '2026Q5' });
    expect(quarter.statusCode).toBe(400);
    expect(quarter.body).toContain('must be a quarter such as 2026Q4');
    expect(
      (await post('/api/reports/monthly/jobs', 'research_analyst', { month: '2026-10' })).statusCode,
    ).toBe(403);
  });

  it('runs a scenario as a job: one run per Idempotency-Key, the same job answered twice', async () => {
    const before = await runRows();
    const first = await post(
      `/api/research/scenarios/${SCENARIO}/run-jobs`,
      'research_analyst',
      undefined,
      'sj-1',
    );
    expect(first.statusCode, first.body).toBe(202);
    const again = await post(
      `/api/research/scenarios/${SCENARIO}/run-jobs`,
      'research_analyst',
      undefined,
      'sj-1',
    );
    expect(again.statusCode, again.body).toBe(202);
    const { id } = first.json();
    expect(again.json().id).toBe(id);
    expect(first.json()).toMatchObject({ kind: 'scenario_run', owner: 'research-analyst' });
    await jobSettled(id);
    const result = await get(`/api/jobs/${id}/result`, 'research_analyst');
    expect(result.statusCode, result.body).toBe(200);
    expect(result.json().job.status).toBe('done');
    expect(result.json().result).toMatchObject({ scenario: { id: SCENARIO }, includesHoldings: false });
    expect(await runRows()).toBe(before + 1);
    // A third time, after it ran: still that job, still one run.
    const third = await post(
      `/api/research/scenarios/${SCENARIO}/run-jobs`,
      'research_analyst',
      undefined,
      'sj-1',
    );
    expect(third.json()).toMatchObject({ id, status: 'done' });
    expect(await runRows()).toBe(before + 1);
    const jobs = await f.keel.database.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', 'scenario_run')
      .where('owner', '=', 'research-analyst')
      .execute();
    expect(jobs.map((j) => j.id)).toEqual([id]);
    // The same key from another user is another key: another job.
    const other = await post(`/api/research/scenarios/${SCENARIO}/run-jobs`, 'banker', undefined, 'sj-1');
    expect(other.statusCode, other.body).toBe(202);
    expect(other.json().id).not.toBe(id);
    await jobSettled(other.json().id);
    expect((await get(`/api/jobs/${other.json().id}/result`, 'banker')).json().result.includesHoldings).toBe(
      true,
    );
    expect((await get(`/api/jobs/${id}/result`, 'banker')).statusCode).toBe(404);
    expect(await runRows()).toBe(before + 2);
  });

  it('two requests at once with the same key are one job and one run', async () => {
    const before = await runRows();
    const url = `/api/research/scenarios/${SCENARIO}/run-jobs`;
    const [one, two] = await Promise.all([
      post(url, 'research_analyst', undefined, 'sj-par'),
      post(url, 'research_analyst', undefined, 'sj-par'),
    ]);
    expect([one.statusCode, two.statusCode]).toEqual([202, 202]);
    expect(two.json().id).toBe(one.json().id);
    await jobSettled(one.json().id);
    expect(await runRows()).toBe(before + 1);
    // The same key for another scenario is refused, and starts nothing.
    const reused = await post(
      '/api/research/scenarios/gallium-germanium-export-ban/run-jobs',
      'research_analyst',
      undefined,
      'sj-par',
    );
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error).toBe('idempotency_key_reused');
  });

  it('writes the run once when a taken-over job runs again', async () => {
    const analyst = { id: 'research-analyst', role: 'research_analyst' } as const;
    const job = await startJobOnce(
      f.keel,
      analyst,
      scenarioRunJob,
      { scenario: SCENARIO },
      {
        key: 'sj-takeover',
        action: 'research.scenario.run_job',
        subject: `scenario:${SCENARIO}`,
      },
    );
    await jobSettled(job.id);
    const before = await runRows();
    // As a runner that died after writing would leave it: the job queued again, run by another as the job.
    const again = (actor: typeof analyst & { job?: string }) =>
      scenarioRunJob.run(
        f.keel,
        actor,
        { scenario: SCENARIO },
        { id: job.id, signal: new AbortController().signal, onProgress: () => {} },
      );
    // The job's own committed run is its outcome; anyone else asking again is answered a replay.
    expect(await again({ ...analyst, job: job.id })).toMatchObject({ result: { replayed: false } });
    expect(await again(analyst)).toMatchObject({ result: { replayed: true } });
    expect(await runRows()).toBe(before);
  });

  it('refuses a read token (403) and bad input (400); a job cancelled before it runs leaves no run', async () => {
    const read = (
      await createApiToken(
        f.keel,
        { id: 'research-analyst', role: 'research_analyst' },
        { name: 'read', scope: 'read' },
      )
    ).token;
    const refused = await f.app.inject({
      method: 'POST',
      url: `/api/research/scenarios/${SCENARIO}/run-jobs`,
      headers: { authorization: `Bearer ${read}`, 'idempotency-key': 'sj-read' },
    });
    expect(refused.statusCode).toBe(403);
    expect(
      (await post(`/api/research/scenarios/${SCENARIO}/run-jobs`, 'research_analyst', undefined, null))
        .statusCode,
    ).toBe(400);
    const unknown = await post(
      '/api/research/scenarios/no-such-scenario/run-jobs',
      'research_analyst',
      undefined,
      'sj-x',
    );
    expect(unknown.statusCode).toBe(202);
    await jobSettled(unknown.json().id);
    expect((await get(`/api/jobs/${unknown.json().id}`, 'research_analyst')).json()).toMatchObject({
      status: 'failed',
      error: 'no scenario "no-such-scenario"',
    });

    // Both of this server's work slots held by long projections: the scenario run waits queued.
    const auditor = { id: 'auditor', role: 'auditor' } as const;
    const blockers = [
      await startJob(f.keel, auditor, projectionJob, { paths: 200_000, quarters: 80, seed: 21 }),
      await startJob(f.keel, auditor, projectionJob, { paths: 200_000, quarters: 80, seed: 22 }),
    ];
    const before = await runRows();
    const queued = await post(
      `/api/research/scenarios/${SCENARIO}/run-jobs`,
      'research_analyst',
      undefined,
      'sj-cancel',
    );
    expect(queued.statusCode, queued.body).toBe(202);
    const { id } = queued.json();
    const cancelled = await f.app.inject({
      method: 'DELETE',
      url: `/api/jobs/${id}`,
      headers: { ...bearer('research_analyst'), 'idempotency-key': 'sj-cancel-del' },
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', error: 'cancelled; no run was stored' });
    for (const blocker of blockers) await cancelJob(f.keel, auditor, blocker.id);
    await Promise.all([...blockers.map((b) => jobSettled(b.id)), jobSettled(id)]);
    expect((await get(`/api/jobs/${id}`, 'research_analyst')).json().status).toBe('cancelled');
    expect(await runRows()).toBe(before);
  });
});
