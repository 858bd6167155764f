/**
 * npm run bench:ledger-import: how a reader fares while a large ledger file is imported. On PGlite and (when
 * DATABASE_URL is set) PostgreSQL, a client GETs a ledger list page (GET /api/ledger) one request after
 * another, first with nothing else running, then while a 150,000-row ledger CSV goes through importFile (all
 * or none), and prints p50/p95 of each, the import's time and how many GETs were answered. Synthetic data,
 * dropped afterwards. BENCH_IMPORT_ROWS changes the file's size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildServer } from '../src/api/server.ts';
import { addUser, createApiToken } from '../src/app/auth.ts';
import { addCompanies } from '../src/app/companies.ts';
import { openDeals } from '../src/app/deals.ts';
import { importFile } from '../src/app/import.ts';
import { initKeel } from '../src/app/init.ts';
import { type KeelConfig, openKeel } from '../src/app/open.ts';
import { syntheticBook } from '../src/domain/synthetic.ts';
import { createServerDatabase } from '../test/support/server-database.ts';

const benchAdmin = { id: 'bench', role: 'admin' } as const;
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 150_000);
const QUIET_MS = 3_000;
const PATH = '/api/ledger?limit=100';

interface Row {
  label: string;
  gets: number;
  p50: number;
  p95: number;
  importSeconds: number | null;
}

async function withBackend(name: string, config: KeelConfig, cleanup: () => Promise<void>): Promise<Row[]> {
  const keel = await openKeel(config, { poolSize: 10, cacheTokens: true });
  try {
    await initKeel(keel, benchAdmin, { withReferenceDeals: false });
    const subAreas = (await keel.database.db.selectFrom('sub_areas').select('id').execute()).map((r) => r.id);
    const book = syntheticBook(7, { companies: 100, deals: 1_000 }, subAreas);
    await addCompanies(keel, benchAdmin, 'bench-companies', book.companies);
    await openDeals(keel, benchAdmin, 'bench-deals', book.deals);
    await addUser(keel, benchAdmin, {
      id: 'bench-reader',
      email: 'bench-reader@example.org',
      name: 'bench reader',
      role: 'portfolio_manager',
      password: 'bench password 1234',
    });
    const { token } = await createApiToken(
      keel,
      { id: 'bench-reader', role: 'portfolio_manager' },
      { name: 'bench', scope: 'read' },
    );
    // Small commitments spread over the deals: no cap or approval binds, the file goes in whole.
    const lines = ['key,deal_id,kind,amount_usd,effective_on'];
    for (let i = 0; i < IMPORT_ROWS; i++)
      lines.push(
        `imp-${i},${book.deals[i % book.deals.length]!.id},commitment,${1 + (i % 100)}.00,2026-06-30`,
      );
    const csv = `${lines.join('\n')}\n`;

    const app = await buildServer(keel);
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = app.server.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const quiet = await reading(base, token, () => new Promise((resolve) => setTimeout(resolve, QUIET_MS)));
      const started = process.hrtime.bigint();
      const during = await reading(base, token, async () => {
        const { rows } = await importFile(keel, benchAdmin, 'ledger', csv);
        if (rows !== IMPORT_ROWS) throw new Error(`imported ${rows} of ${IMPORT_ROWS} rows`);
      });
      const importSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      return [
        { label: `${name}, no import`, ...quiet, importSeconds: null },
        { label: `${name}, during a ${IMPORT_ROWS}-row import`, ...during, importSeconds },
      ];
    } finally {
      await app.close();
    }
  } finally {
    await keel.close();
    await cleanup();
  }
}

/** The reader's GETs while `work` runs: how many, and their p50 and p95 in milliseconds. */
async function reading(base: string, token: string, work: () => Promise<void>) {
  const worker = new Worker(new URL('./get-latency-worker.mjs', import.meta.url), {
    workerData: { base, token, path: PATH },
  });
  const answer = new Promise<{ latencies: number[]; statuses: Record<string, number> }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  try {
    await work();
  } finally {
    worker.postMessage('stop');
  }
  const { latencies, statuses } = await answer;
  await worker.terminate();
  if (Object.keys(statuses).some((status) => status !== '200'))
    throw new Error(`a GET was not answered 200: ${JSON.stringify(statuses)}`);
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { gets: sorted.length, p50: at(0.5), p95: at(0.95) };
}

async function main() {
  const results: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'keel-bench-'));
  results.push(
    ...(await withBackend('PGlite', { dataDir: join(dir, 'data') }, async () =>
      rmSync(dir, { recursive: true, force: true }),
    )),
  );
  const server = process.env.DATABASE_URL;
  if (server) {
    const database = await createServerDatabase(server, 'keel_bench_import');
    results.push(
      ...(await withBackend('PostgreSQL', { databaseUrl: database.url, dataDir: '' }, database.drop)),
    );
  } else {
    console.log('DATABASE_URL not set: PostgreSQL skipped');
  }

  console.log(`\nGET ${PATH} while a ledger file is imported (synthetic data; lower is better)`);
  console.log(
    'case'.padEnd(44),
    'GETs'.padStart(6),
    'p50 ms'.padStart(9),
    'p95 ms'.padStart(9),
    'import s'.padStart(9),
  );
  for (const r of results) {
    console.log(
      r.label.padEnd(44),
      String(r.gets).padStart(6),
      r.p50.toFixed(1).padStart(9),
      r.p95.toFixed(1).padStart(9),
      (r.importSeconds === null ? '' : r.importSeconds.toFixed(1)).padStart(9),
    );
  }
}

await main();
