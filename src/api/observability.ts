/**
 * Health, readiness and Prometheus metrics.
 *
 * - `/healthz`: the process answers (no database call), for a liveness probe.
 * - `/readyz`: the database answers and every migration this Keel knows is applied, for a load balancer.
 * - `/metrics`: Prometheus text, only when a metrics token is configured (KEEL_METRICS_TOKEN), and only with
 *   `Authorization: Bearer <token>`: 404 when no token is configured, 401 without the right one.
 *
 * None of the three uses a session or an API token. Figures that live in the database (ledger writes, cap
 * headroom) are read when Prometheus scrapes, so every server on one database reports the same numbers and
 * nothing has to be counted inside the write path. Cap headroom is reported for programme and sub-area caps
 * only: a company-scoped cap's label names a counterparty, which the metrics audience must not see.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Actor, AppContext } from '../app/context.ts';
import { importJobsOverview } from '../app/import-jobs.ts';
import { jobsOverview } from '../app/jobs/use-cases.ts';
import { currentProgramme } from '../app/programme.ts';
import { programmeAggregates } from '../app/summary.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { errorBody } from './errors.ts';

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
export const METRICS_PATH = '/metrics';
const OWN_AUTH = new Set([HEALTH_PATH, READY_PATH, METRICS_PATH]);

/** The metrics reader sees aggregates only, like the external council: no counterparty-level figures. */
const METRICS_READER: Actor = { id: 'system:metrics', role: 'council_member' };

export interface ObservabilityOptions {
  /** Bearer token Prometheus must send to read /metrics; without one /metrics does not exist. */
  metricsToken?: string | undefined;
}

/** True for the routes that authenticate on their own (or not at all): the session/API-token hook skips them. */
export function authenticatesItself(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route !== undefined && OWN_AUTH.has(route);
}

export function registerObservability(
  app: FastifyInstance,
  ctx: AppContext,
  options: ObservabilityOptions,
): void {
  const registry = buildRegistry(ctx);
  const latency = new Histogram({
    name: 'keel_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // The route pattern (/api/deals/:id), never the raw URL: ids in labels would make one series per deal.
  app.addHook('onResponse', async (request, reply) => {
    latency.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  app.get(HEALTH_PATH, { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get(READY_PATH, { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`SELECT 1`.execute(ctx.database.db);
      const pending = await pendingMigrations(ctx.database.db);
      if (pending.length)
        return reply.status(503).send({ status: 'not_ready', reason: 'migrations pending', pending });
      return { status: 'ready' };
    } catch (error) {
      return reply
        .status(503)
        .send({ status: 'not_ready', reason: `the database does not answer: ${(error as Error).message}` });
    }
  });

  const expected = options.metricsToken ? digest(options.metricsToken) : null;
  app.get(METRICS_PATH, { schema: { hide: true } }, async (request, reply) => {
    if (!expected) return reply.status(404).send(errorBody('not_found', `no route GET ${METRICS_PATH}`));
    const auth = request.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? digest(auth.slice(7).trim()) : null;
    // Answered here, not thrown: these routes are registered before the server's error handler is set.
    if (!given || !timingSafeEqual(given, expected))
      return reply
        .status(401)
        .send(errorBody('unauthenticated', `${METRICS_PATH} needs the metrics token as a Bearer token`));
    const text = await registry.metrics();
    return reply.header('content-type', registry.contentType).send(text);
  });
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** The metrics read at scrape time, plus Node's process metrics. One registry per server, not the global one. */
function buildRegistry(ctx: AppContext): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { db } = ctx.database;

  new Counter({
    name: 'keel_ledger_writes_total',
    help: 'Ledger entries recorded, by kind (read from the database: all processes)',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('ledger_entries')
        .select(['kind', sql<bigint>`count(*)`.as('n')])
        .groupBy('kind')
        .execute()
        .catch(() => null);
      if (!rows) return;
      this.reset();
      for (const row of rows) this.inc({ kind: row.kind }, Number(row.n));
    },
  });

  new Counter({
    name: 'keel_audited_writes_total',
    help: 'Rows in the hash-chained audit log: every audited write of every process',
    registers: [registry],
    async collect() {
      const head = await db
        .selectFrom('audit_head')
        .select('seq')
        .executeTakeFirst()
        .catch(() => undefined);
      if (!head) return;
      this.reset();
      this.inc(Number(head.seq));
    },
  });

  new Gauge({
    name: 'keel_cap_headroom_dollars',
    help: 'Room left under each programme and sub-area cap, in dollars',
    labelNames: ['cap', 'scope'] as const,
    registers: [registry],
    async collect() {
      const read = await Promise.all([
        programmeAggregates(ctx, METRICS_READER),
        currentProgramme(ctx.database.db),
      ]).catch(() => null);
      if (!read) return; // not initialised yet
      const [summary, { programme }] = read;
      this.reset();
      // A programme cap nothing has counted against yet has no usage row: its headroom is its limit.
      for (const cap of programme.caps.filter((c) => c.scope === 'programme'))
        this.set({ cap: cap.id, scope: '*' }, Number(cap.limit) / 100);
      for (const cap of summary.caps)
        this.set({ cap: cap.capId, scope: cap.scopeKey }, Number(cap.headroom) / 100);
    },
  });

  // From the job table: every server on the database reports the same queue (import-jobs.ts).
  new Gauge({
    name: 'keel_import_jobs',
    help: "Import jobs on the database, by status (the queue's depth is status='queued' plus 'running')",
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      for (const [status, count] of Object.entries((await importJobsOverview(ctx)).byStatus))
        this.set({ status }, count);
    },
  });

  // Every kind of durable job (app/jobs/): the queue's depth and its oldest open job, per kind.
  new Gauge({
    name: 'keel_jobs',
    help: "Durable jobs on the database, by kind and status (the queue's depth is status='queued' plus 'running')",
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { kind, status, count } of (await jobsOverview(ctx)).byKind)
        this.set({ kind, status }, count);
    },
  });

  new Gauge({
    name: 'keel_job_oldest_open_seconds',
    help: 'Age of the oldest job not yet ended (queued or running), per kind, on any server',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [kind, seconds] of Object.entries((await jobsOverview(ctx)).oldestOpenSeconds))
        this.set({ kind }, seconds);
    },
  });

  new Gauge({
    name: 'keel_import_job_oldest_running_seconds',
    help: 'Age of the oldest import job not yet ended, queued or running, on any server (0 when none)',
    registers: [registry],
    async collect() {
      this.set((await importJobsOverview(ctx)).oldestOpenSeconds);
    },
  });

  return registry;
}
