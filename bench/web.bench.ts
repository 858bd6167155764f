/**
 * npm run bench:web: the web app's list reads at scale. With 10,000 synthetic deals (spread over the stages,
 * each named, labelled synthetic) and 1M synthetic ledger rows, p50/p95 over real HTTP on loopback of
 *   - global search for a word (as a banker: deals, companies, clients, notes, documents, research),
 *   - a page of the deals list sorted by amount (the first page, and one 5,000 deals down),
 *   - a pipeline stage page (one column of the board),
 * each measured interleaved with its bare query: the same repository call on the same database, without
 * HTTP, authentication, validation or serialisation. The HTTP client runs in a worker thread, as a browser
 * runs apart from the server: with fetch on the server's own thread, the client's garbage collections landed
 * in the server's tail (p95 outside the server's own request span was 4 ms, its span 0.3 ms over the query). PGlite, and PostgreSQL when DATABASE_URL is set.
 * Goal (issue 15): p95 ≤ 1.5× the bare query and under 100 ms on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Kysely, sql } from 'kysely';
import { buildServer } from '../src/api/server.ts';
import { addUser, createApiToken } from '../src/app/auth.ts';
import { type KeelConfig, openKeel } from '../src/app/open.ts';
import { dealPage } from '../src/db/deal-search.ts';
import { searchRecords } from '../src/db/global-search.ts';
import type { Schema } from '../src/db/schema.ts';
import { SEARCH_KINDS } from '../src/domain/search.ts';
import { createServerDatabase } from '../test/support/server-database.ts';
import { seedSyntheticLedger } from './synthetic-ledger.ts';

const DEALS = Number(process.env.BENCH_DEALS ?? 10_000);
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
// 300 requests: with 40, a p95 is the second-largest sample and the small pages' ratios swung 0.9×–2.3× run to run.
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const admin = { id: 'bench', role: 'admin' } as const;
const banker = { id: 'bench-banker', role: 'banker' } as const;
const WORDS = ['antimony', 'shipyard', 'gallium', 'turbine', 'graphite', 'foundry', 'munitions', 'reactor'];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
/** HTTP GETs through the client thread (http-client-worker.mjs); each answers its own round-trip time. */
function httpClient(base: string, token: string) {
  const worker = new Worker(new URL('./http-client-worker.mjs', import.meta.url), {
    workerData: { base, token },
  });
  const waiting = new Map<number, { resolve(ms: number): void; reject(error: Error): void }>();
  let next = 0;
  worker.on('message', ({ id, ms, error }: { id: number; ms?: number; error?: string }) => {
    const call = waiting.get(id)!;
    waiting.delete(id);
    if (error !== undefined) call.reject(new Error(error));
    else call.resolve(ms!);
  });
  return {
    get: (url: string) =>
      new Promise<number>((resolve, reject) => {
        waiting.set(++next, { resolve, reject });
        worker.postMessage({ id: next, url });
      }),
    close: () => worker.terminate(),
  };
}

const time = async (work: () => Promise<unknown>) => {
  const t = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t) / 1e6;
};

/** Names and stages for the seeded book, by SQL: the generator opens every deal at one stage, unnamed. */
async function spreadDeals(db: Kysely<Schema>) {
  await sql`
    UPDATE deals SET
      name = 'Synthetic ' || (${sql.raw(`ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}]`)})[1 + abs(hashtext(id)) % ${WORDS.length}]
             || ' plant ' || split_part(id, '-', 4),
      stage = (ARRAY['sourced','screening','diligence','committee','approved','closed','monitoring','exited','declined','withdrawn'])[1 + abs(hashtext(id || 's')) % 10]`.execute(
    db,
  );
  // Settled as a book is between bursts of writes: vacuumed (so no autovacuum of the fresh million rows runs
  // under the timed reads, on one of the machine's two cores) and checkpointed.
  await sql`VACUUM ANALYZE`.execute(db);
  await sql`CHECKPOINT`.execute(db);
}

interface Case {
  name: string;
  url: string;
  bare: () => Promise<unknown>;
  floor?: boolean;
}

async function measure(name: string, config: KeelConfig) {
  // As `keel serve` opens it: API tokens cached while the database notifies changes (token-cache.ts).
  const keel = await openKeel(config, { poolSize: 4, cacheTokens: true });
  try {
    await seedSyntheticLedger(keel, ROWS, name, { companies: 2_000, deals: DEALS });
    await spreadDeals(keel.database.db);
    await addUser(keel, admin, {
      id: banker.id,
      email: 'bench-banker@example.org',
      name: 'bench banker',
      role: banker.role,
      password: 'bench password 1234',
    });
    const { token } = await createApiToken(keel, banker, { name: 'bench', scope: 'read' });
    const app = await buildServer(keel);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const db = keel.database.db;
    const list = (offset: number, stages?: ['diligence']) =>
      dealPage(db, { stages }, { sort: 'amount', direction: 'desc', offset, limit: stages ? 20 : 50 });
    const cases: Case[] = [
      {
        name: 'search "antimony"',
        url: '/api/search?q=antimony',
        bare: () => searchRecords(db, 'antimony', new Set(SEARCH_KINDS), 8),
      },
      {
        name: 'deals by amount, page 1',
        url: '/api/deal-list?sort=amount&dir=desc&limit=50',
        bare: () => list(0),
      },
      {
        name: 'deals by amount, at 5,000',
        url: '/api/deal-list?sort=amount&dir=desc&limit=50&offset=5000',
        bare: () => list(5000),
      },
      {
        name: 'stage page (diligence)',
        url: '/api/deal-list?stage=diligence&sort=amount&dir=desc&limit=20',
        bare: () => list(0, ['diligence']),
      },
      // The fixed cost of any request (loopback HTTP from this process, the token's lookup, JSON): no goal
      // of its own, it shows how much of a small page's ratio is the request rather than its query.
      { name: 'floor: GET /api/me', url: '/api/me', bare: async () => {}, floor: true },
    ];
    const results = [];
    const client = httpClient(base, token);
    for (const c of cases) {
      for (let i = 0; i < 3; i++) {
        await client.get(c.url);
        await c.bare();
      }
      const endpoint: number[] = [];
      const bare: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        endpoint.push(await client.get(c.url));
        bare.push(await time(c.bare));
      }
      results.push({ database: name, name: c.name, endpoint, bare, floor: c.floor ?? false });
    }
    await client.close();
    await app.close();
    return results;
  } finally {
    await keel.close();
  }
}

function print(results: Awaited<ReturnType<typeof measure>>) {
  console.log(
    `\nweb list reads with ${DEALS.toLocaleString('en-US')} deals and ${ROWS.toLocaleString('en-US')} ledger rows, ${ITERATIONS} requests each (ms; lower is better)`,
  );
  console.log(
    'database'.padEnd(11),
    'read'.padEnd(27),
    'HTTP p50'.padStart(9),
    'p95'.padStart(7),
    'bare p50'.padStart(9),
    'p95'.padStart(7),
    'p95 ratio'.padStart(10),
    'goal'.padStart(6),
  );
  for (const r of results) {
    const [e50, e95, b50, b95] = [50, 95, 50, 95].map((p, i) =>
      percentile(i < 2 ? r.endpoint : r.bare, p),
    ) as [number, number, number, number];
    const ratio = e95 / b95;
    const met = ratio <= 1.5 && (r.database !== 'PostgreSQL' || e95 < 100);
    if (r.floor) {
      console.log(
        r.database.padEnd(11),
        r.name.padEnd(27),
        e50.toFixed(1).padStart(9),
        e95.toFixed(1).padStart(7),
      );
      continue;
    }
    console.log(
      r.database.padEnd(11),
      r.name.padEnd(27),
      e50.toFixed(1).padStart(9),
      e95.toFixed(1).padStart(7),
      b50.toFixed(1).padStart(9),
      b95.toFixed(1).padStart(7),
      `${ratio.toFixed(2)}×`.padStart(10),
      (met ? 'met' : 'missed').padStart(6),
    );
  }
}

async function main() {
  const results = [];
  const dir = mkdtempSync(join(tmpdir(), 'keel-bench-web-'));
  try {
    results.push(...(await measure('PGlite', { dataDir: join(dir, 'data') })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const server = process.env.DATABASE_URL;
  if (server) {
    const database = await createServerDatabase(server, 'keel_bench_web');
    try {
      results.push(...(await measure('PostgreSQL', { databaseUrl: database.url, dataDir: '' })));
    } finally {
      await database.drop();
    }
  } else {
    console.log('DATABASE_URL not set: PostgreSQL skipped');
  }
  print(results);
}

await main();
