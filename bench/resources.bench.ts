/**
 * npm run bench:resources (node --expose-gc): what heavy requests cost the server, over real HTTP on loopback.
 *
 * 1. Sixteen concurrent projections (200,000 paths each, an auditor's token) whose clients all disconnect
 *    after BENCH_DISCONNECT_MS: RSS at the start, at its peak, and once idle threads have stopped; and the
 *    worker pools' busy threads just after the disconnects (no computation may outlive its request).
 * 2. A large ledger import (BENCH_IMPORT_ROWS, default 150,000 rows) while a client asks for a non-API page
 *    (what a static file costs: no database) every 20 ms: the median, 95th-percentile and slowest answer,
 *    and every stall of the event loop over 200 ms (on PGlite, one 5,000-row INSERT of the write phase).
 *
 * PGlite by default; BENCH_BACKEND=postgres with DATABASE_URL for the server.
 */
import { request } from 'node:http';
import { addCompanies } from '../src/app/companies.ts';
import { openDeals } from '../src/app/deals.ts';
import { runningJobs } from '../src/app/heavy-jobs.ts';
import { configureResources, resourceLimits } from '../src/app/resource-limits.ts';
import { workerPoolStats } from '../src/app/worker-pool.ts';
import { syntheticBook, syntheticLedgerCsv } from '../src/domain/synthetic.ts';
import { apiFixture } from '../test/api/helpers.ts';
import { testAdmin } from '../test/principals.ts';

const PROJECTIONS = 16;
const PATHS = Number(process.env.BENCH_PATHS ?? 200_000);
const DISCONNECT_MS = Number(process.env.BENCH_DISCONNECT_MS ?? 3_000);
const IDLE_MS = 2_000;
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 150_000);
const backend = process.env.BENCH_BACKEND === 'postgres' ? 'postgres' : 'pglite';

const gc = (globalThis as { gc?: () => void }).gc;
const rssMb = () => {
  gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const busy = () => workerPoolStats().reduce((sum, pool) => sum + pool.busy, 0);
const live = () => workerPoolStats().reduce((sum, pool) => sum + pool.live, 0);

configureResources({ workerIdleMs: IDLE_MS });
const f = await apiFixture(backend);
await f.app.listen({ port: 0, host: '127.0.0.1' });
const address = f.app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;

function get(path: string, token?: string): { done: Promise<number>; abort(): void } {
  let abort = () => {};
  const done = new Promise<number>((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(-1));
      },
    );
    req.on('error', () => resolve(-1));
    req.end();
    abort = () => req.destroy();
  });
  return { done, abort: () => abort() };
}

const PARTS = (process.env.BENCH_PARTS ?? 'projections,import').split(',');

// Part 1: sixteen projections and sixteen disconnects.
if (PARTS.includes('projections')) {
  // One small projection first, so that the start counts what a running server has loaded anyway.
  await get('/api/projections?paths=1000', f.tokens.auditor).done;
  await sleep(IDLE_MS + 500);
  const start = rssMb();
  let peak = start;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20);
  }, 50);
  const requests = Array.from({ length: PROJECTIONS }, () =>
    get(`/api/projections?paths=${PATHS}`, f.tokens.auditor),
  );
  await sleep(DISCONNECT_MS);
  const inFlight = runningJobs('auditor');
  for (const r of requests) r.abort();
  const statuses = await Promise.all(requests.map((r) => r.done));
  const disconnectedAt = performance.now();
  const waitUntil = async (done: () => boolean) => {
    while (!done() && performance.now() - disconnectedAt < 15_000) await sleep(10);
    return Math.round(performance.now() - disconnectedAt);
  };
  const msUntilNoBusyWorker = await waitUntil(() => busy() === 0);
  // Requests still queued for authentication when their client left see at once that it has gone.
  const msUntilNoJobRunning = await waitUntil(() => runningJobs('auditor') === 0);
  await sleep(IDLE_MS + 1_000);
  clearInterval(sampler);
  const after = rssMb();
  console.log(
    JSON.stringify(
      {
        part: 'projections',
        backend,
        limits: resourceLimits(),
        projections: PROJECTIONS,
        paths: PATHS,
        inFlightAtDisconnect: inFlight,
        answeredBeforeDisconnect: statuses.filter((s) => s > 0).length,
        msUntilNoBusyWorker,
        msUntilNoJobRunning,
        liveThreadsAfterIdle: live(),
        rssMb: { start: Math.round(start), peak: Math.round(peak), after: Math.round(after) },
        afterVsStart: `${(((after - start) / start) * 100).toFixed(1)}%`,
      },
      null,
      2,
    ),
  );
}

// Part 2: a large import while a client asks for a page every 20 ms.
if (PARTS.includes('import')) {
  const subAreas = (await f.keel.database.db.selectFrom('sub_areas').select('id').execute()).map((r) => r.id);
  const book = syntheticBook(11, { companies: 500, deals: 2_000 }, subAreas);
  await addCompanies(f.keel, testAdmin, 'bench-companies', book.companies);
  await openDeals(f.keel, testAdmin, 'bench-deals', book.deals);
  const csv = syntheticLedgerCsv(11, book.deals, IMPORT_ROWS);
  const boundary = '----keelbench';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ledger.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
  const upload = await fetch(`http://127.0.0.1:${port}/api/imports/ledger`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${f.tokens.admin}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'idempotency-key': 'bench-import',
    },
    body,
  });
  const job = (await upload.json()) as { id: string; status: string };
  const started = performance.now();
  let lagLast = performance.now();
  const lags: { at: number; ms: number }[] = [];
  const lagTimer = setInterval(() => {
    const now = performance.now();
    if (now - lagLast > 200) lags.push({ at: Math.round(now - started), ms: Math.round(now - lagLast) });
    lagLast = now;
  }, 10);
  const samples: { at: number; ms: number }[] = [];
  let status = 'running';
  const poller = (async () => {
    while (status === 'running') {
      await sleep(250);
      const r = await fetch(`http://127.0.0.1:${port}/api/imports/${job.id}`, {
        headers: { authorization: `Bearer ${f.tokens.admin}` },
      });
      const body = (await r.json()) as { status: string };
      status = body.status;
    }
  })();
  while (status === 'running') {
    const t = performance.now();
    await get('/').done;
    samples.push({ at: t - started, ms: performance.now() - t });
    await sleep(20);
  }
  await poller;
  clearInterval(lagTimer);
  console.log('event-loop stalls over 200 ms', JSON.stringify(lags));
  const ms = samples.map((x) => x.ms).sort((a, b) => a - b);
  console.log(
    JSON.stringify(
      {
        part: 'import',
        backend,
        rows: IMPORT_ROWS,
        status,
        importSeconds: ((performance.now() - started) / 1000).toFixed(1),
        getDuringImportMs: {
          requests: ms.length,
          p50: Math.round(ms[Math.floor(ms.length / 2)]!),
          p95: Math.round(ms[Math.floor(ms.length * 0.95)]!),
          max: Math.round(ms.at(-1)!),
        },
      },
      null,
      2,
    ),
  );
  const slow = samples.filter((x) => x.ms > 300).map((x) => ({ at: Math.round(x.at), ms: Math.round(x.ms) }));
  console.log('requests slower than 300 ms', JSON.stringify(slow));
}
await f.close();
process.exit(0);
