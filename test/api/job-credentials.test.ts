/**
 * A job lives no longer than the credential that started it, on both databases: revoking the API token
 * cancels the jobs it queued and stops the one it has running; a job whose token was revoked before a runner
 * took it (queued in a transaction that committed after the revocation) fails without running; disabling
 * the account cancels its jobs, those started from a session too. Another user's token leaves them alone.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../../src/app/auth.ts';
import { projectionJob } from '../../src/app/jobs/compute-kinds.ts';
import { hubFor } from '../../src/app/jobs/hub.ts';
import { cancelJob, jobSettled, startJob } from '../../src/app/jobs/use-cases.ts';
import { parseCanonicalJson } from '../../src/domain/canonical-json.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

const SCENARIO = 'antimony-export-ban';
const LONG = { paths: 200_000, quarters: 80 };

describeOnBackends('jobs and the credentials that started them', (backend) => {
  let f: ApiFixture;
  const analyst = { id: 'research-analyst', role: 'research_analyst' } as const;
  const auditor = { id: 'auditor', role: 'auditor' } as const;
  const jobRow = (id: string) =>
    f.keel.database.db
      .selectFrom('jobs')
      .select(['status', 'error', 'token_id', 'cancel_requested'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const pm = { id: 'portfolio-manager', role: 'portfolio_manager' } as const;
  const tokenOf = async (
    name: string,
    owner: { id: string; role: 'research_analyst' | 'portfolio_manager' } = analyst,
  ) => createApiToken(f.keel, owner, { name, scope: 'write' }) as Promise<{ id: string; token: string }>;
  const startThrough = async (token: string, key: string) => {
    const answer = await f.app.inject({
      method: 'POST',
      url: `/api/research/scenarios/${SCENARIO}/run-jobs`,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
    });
    expect(answer.statusCode, answer.body).toBe(202);
    return answer.json().id as string;
  };
  /** Both of this server's work slots held by long projections, so that what comes next waits queued. */
  const holdWorkers = async (seed: number) => [
    await startJob(f.keel, auditor, projectionJob, { ...LONG, seed }),
    await startJob(f.keel, auditor, projectionJob, { ...LONG, seed: seed + 1 }),
  ];
  const lastAudit = async (action: string) => {
    const rows = await f.keel.database.db
      .selectFrom('audit_log')
      .select('body')
      .orderBy('seq', 'desc')
      .execute();
    const bodies = rows.map((row) =>
      parseCanonicalJson<{ action: string; details: Record<string, unknown> }>(row.body),
    );
    return bodies.find((body) => body.action === action)!;
  };
  const release = async (blockers: Array<{ id: string }>) => {
    for (const blocker of blockers) await cancelJob(f.keel, auditor, blocker.id);
    await Promise.all(blockers.map((b) => jobSettled(b.id)));
  };

  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(async () => {
    // A cancelled job's queue entry is still fetched and completed by a worker: closing the database before
    // that would leave pg-boss completing it on a closed driver. Wait for the queue to be empty first.
    const deadline = Date.now() + 30_000;
    while (f && Date.now() < deadline) {
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM keel_boss.job WHERE state IN ('created', 'retry', 'active')`.execute(
        f.keel.database.db,
      );
      if (rows[0]?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    await f?.close();
  });

  it('revoking the token cancels what it queued, and leaves another token’s job alone', async () => {
    const blockers = await holdWorkers(31);
    const leaked = await tokenOf('leaked');
    const other = await tokenOf('other');
    const queued = await startThrough(leaked.token, 'cred-1');
    const kept = await startThrough(other.token, 'cred-2');
    expect(await jobRow(queued)).toMatchObject({ status: 'queued', token_id: leaked.id });

    const revoked = await f.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${leaked.id}`,
      headers: { authorization: `Bearer ${other.token}`, 'idempotency-key': 'cred-revoke' },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(await jobRow(queued)).toMatchObject({
      status: 'cancelled',
      error: 'cancelled: the API token that started it was revoked; nothing was written',
    });
    expect((await jobRow(kept)).status).toBe('queued');
    await release(blockers);
    await Promise.all([jobSettled(queued), jobSettled(kept)]);
    expect((await jobRow(queued)).status).toBe('cancelled');
    expect((await jobRow(kept)).status).toBe('done');
  });

  it('revoking the token stops the job it has running', async () => {
    const token = await tokenOf('running', pm);
    const running = await startJob(f.keel, { ...pm, scope: 'write', tokenId: token.id }, projectionJob, {
      ...LONG,
      seed: 41,
    });
    const deadline = Date.now() + 30_000;
    while ((await jobRow(running.id)).status === 'queued' && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await jobRow(running.id)).status).toBe('running');
    // Running in this process: the revocation aborts it as it returns, not at the runner's next heartbeat.
    const { local } = await hubFor(f.keel);
    const signalHere = local.get(running.id)!.controller.signal;
    expect(signalHere.aborted).toBe(false);
    await revokeApiToken(f.keel, pm, token.id);
    expect(signalHere.aborted).toBe(true);
    expect((await jobRow(running.id)).cancel_requested).toBe(true);
    // The audit row of the revocation names what it stopped.
    expect((await lastAudit('token.revoke')).details).toMatchObject({
      id: token.id,
      cancelledJobs: [running.id],
    });
    await jobSettled(running.id);
    expect((await jobRow(running.id)).status).toBe('cancelled');
  });

  it('a job queued under a token revoked meanwhile fails when a runner takes it, without running', async () => {
    const token = await tokenOf('raced', pm);
    await revokeApiToken(f.keel, pm, token.id);
    // As if its transaction had committed just after the revocation's: the row names the revoked token.
    const job = await startJob(f.keel, { ...pm, scope: 'write', tokenId: token.id }, projectionJob, {
      paths: 1_000,
      quarters: 4,
      seed: 51,
    });
    await jobSettled(job.id);
    expect(await jobRow(job.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^the API token that started this .+ has been revoked or has expired; /),
    });
  });

  it('disabling the account cancels its open jobs, those started from a session too', async () => {
    const blockers = await holdWorkers(61);
    const fromSession = await startJob(f.keel, pm, projectionJob, {
      paths: 1_000,
      quarters: 4,
      seed: 62,
    });
    const disabled = await f.app.inject({
      method: 'POST',
      url: '/api/users/portfolio-manager/disable',
      headers: { authorization: `Bearer ${f.tokens.admin}`, 'idempotency-key': 'cred-disable' },
    });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(await jobRow(fromSession.id)).toMatchObject({
      status: 'cancelled',
      error: 'cancelled: the account that started it was disabled; nothing was written',
    });
    expect((await lastAudit('user.disable')).details).toMatchObject({
      id: 'portfolio-manager',
      jobsCancelled: 1,
      cancelledJobs: expect.arrayContaining([fromSession.id]),
    });
    await release(blockers);
  });
});
