/**
 * npm run bench:ledger: in one process and one run, on PGlite and (when DATABASE_URL is set) PostgreSQL,
 *   (a) raw INSERTs of ledger-shaped rows into a plain table (a primary key only: no caps, no idempotency,
 *       no audit, no index),
 *   (a') the same raw INSERTs into a copy of the ledger's own table (its checks, unique key, indexes and
 *       foreign key): what any insert of these rows pays, so that (b)/(a') is the cost of Keel's guarantees,
 *   (b) Keel ledger writes (deal + cap row locks, rule checks, idempotency key, hash-chained audit, kept
 *       balances and totals),
 * each both batched (one transaction per batch) and one write per transaction, and prints writes/s and the
 * ratios; and (c) 32 API clients at once, each posting single entries through HTTP (POST /api/ledger,
 * a write token, its own Idempotency-Key per entry), against 32 concurrent raw single-row INSERTs on the same
 * pool. All data is synthetic (seeded) and dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Kysely, sql } from 'kysely';
import { buildServer } from '../src/api/server.ts';
import { addUser, createApiToken } from '../src/app/auth.ts';
import { addCompanies } from '../src/app/companies.ts';
import { openDeals } from '../src/app/deals.ts';
import { initKeel } from '../src/app/init.ts';
import { recordLedgerEntries, recordLedgerEntry } from '../src/app/ledger.ts';
import { type KeelConfig, openKeel } from '../src/app/open.ts';
import type { Schema } from '../src/db/schema.ts';
import { asIsoDate } from '../src/domain/fields.ts';
import { cents } from '../src/domain/money.ts';
import { syntheticBook } from '../src/domain/synthetic.ts';
import { createServerDatabase } from '../test/support/server-database.ts';

const benchAdmin = { id: 'bench', role: 'admin' } as const;
const BATCHED_ROWS = Number(process.env.BENCH_BATCHED_ROWS ?? 50_000);
const BATCH = 500;
const SINGLE_ROWS = Number(process.env.BENCH_SINGLE_ROWS ?? 2_000);
const CLIENTS = 32;
const HTTP_ROWS = Number(process.env.BENCH_HTTP_ROWS ?? 3_200);

interface Row {
  label: string;
  raw: number;
  shaped: number;
  keel: number;
}

async function withBackend(name: string, config: KeelConfig, cleanup: () => Promise<void>): Promise<Row[]> {
  // As `keel serve` opens it (its pool of 10, tokens cached): (c) goes through the real server.
  const keel = await openKeel(config, { poolSize: 10, cacheTokens: true });
  try {
    await initKeel(keel, benchAdmin, { withReferenceDeals: false });
    const subAreas = (await keel.database.db.selectFrom('sub_areas').select('id').execute()).map((r) => r.id);
    const book = syntheticBook(99, { companies: 100, deals: 1_000 }, subAreas);
    await addCompanies(keel, benchAdmin, 'bench-companies', book.companies);
    await openDeals(keel, benchAdmin, 'bench-deals', book.deals);
    const dealIds = book.deals.map((d) => d.id);
    await sql`CREATE TABLE bench_raw (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, client_key text NOT NULL,
      deal_id text NOT NULL, kind text NOT NULL, amount_cents bigint NOT NULL, effective_on date NOT NULL,
      note text, recorded_by text NOT NULL)`.execute(keel.database.db);
    // The ledger's table as its migrations shape it (checks, unique key, its indexes) and its foreign key:
    // what any insert of these rows pays before Keel's own guarantees.
    await sql`CREATE TABLE bench_shaped (LIKE ledger_entries INCLUDING ALL)`.execute(keel.database.db);
    await sql`ALTER TABLE bench_shaped ADD FOREIGN KEY (deal_id) REFERENCES deals(id)`.execute(
      keel.database.db,
    );

    const rows = (count: number, prefix: string) =>
      Array.from({ length: count }, (_, i) => ({
        clientKey: `${prefix}-${i}`,
        dealId: dealIds[i % dealIds.length]!,
        kind: 'commitment' as const,
        amount: cents(BigInt(100 + (i % 1000)) * 100n),
        effectiveOn: asIsoDate('2026-06-30'),
      }));

    // (a) raw, into the plain table; (a') raw, into the ledger's own shape.
    const plain = await rawInserts(keel.database.db, 'bench_raw', rows, 'raw');
    const shaped = await rawInserts(keel.database.db, 'bench_shaped', rows, 'shaped');
    // (b) Keel, batched: one recordLedgerEntries call (one transaction) per BATCH entries.
    const keelBatched = rows(BATCHED_ROWS, 'keel');
    const b1 = await timed(async () => {
      for (let i = 0; i < keelBatched.length; i += BATCH) {
        await recordLedgerEntries(keel, benchAdmin, `bench-batch-${i}`, keelBatched.slice(i, i + BATCH));
      }
    });
    // (b) Keel, one write per transaction.
    const keelSingle = rows(SINGLE_ROWS, 'keel1');
    const b2 = await timed(async () => {
      for (const r of keelSingle) await recordLedgerEntry(keel, benchAdmin, r);
    });
    // (c) Keel through HTTP: 32 API clients in a thread of their own.
    const b3 = await throughHttp(keel, rows(HTTP_ROWS, 'http32'));
    return [
      {
        label: `${name}, batched ${BATCH}/tx, ${BATCHED_ROWS} rows`,
        raw: BATCHED_ROWS / plain.batched,
        shaped: BATCHED_ROWS / shaped.batched,
        keel: BATCHED_ROWS / b1,
      },
      {
        label: `${name}, 1 write/tx, ${SINGLE_ROWS} rows`,
        raw: SINGLE_ROWS / plain.single,
        shaped: SINGLE_ROWS / shaped.single,
        keel: SINGLE_ROWS / b2,
      },
      {
        label: `${name}, ${CLIENTS} clients, HTTP, ${HTTP_ROWS} rows`,
        raw: HTTP_ROWS / plain.concurrent,
        shaped: HTTP_ROWS / shaped.concurrent,
        keel: HTTP_ROWS / b3,
      },
    ];
  } finally {
    await keel.close();
    await cleanup();
  }
}

type BenchRow = { clientKey: string; dealId: string; kind: string; amount: bigint; effectiveOn: string };

/**
 * Seconds for raw INSERTs of the same rows into `table`: batched (multi-row INSERTs of BATCH rows, one
 * transaction each), one row per autocommitted INSERT, and CLIENTS such writers at once on the pool.
 */
async function rawInserts(
  db: Kysely<Schema>,
  table: 'bench_raw' | 'bench_shaped',
  rows: (count: number, prefix: string) => BenchRow[],
  prefix: string,
) {
  const one = (r: BenchRow) =>
    sql`INSERT INTO ${sql.table(table)} (client_key, deal_id, kind, amount_cents, effective_on, recorded_by)
      VALUES (${r.clientKey}, ${r.dealId}, ${r.kind}, ${r.amount.toString()}::bigint, ${r.effectiveOn}::date, 'bench')`.execute(
      db,
    );
  const batchedRows = rows(BATCHED_ROWS, `${prefix}-b`);
  const batched = await timed(async () => {
    for (let i = 0; i < batchedRows.length; i += BATCH) {
      const values = batchedRows
        .slice(i, i + BATCH)
        .map(
          (r) =>
            sql`(${r.clientKey}, ${r.dealId}, ${r.kind}, ${r.amount.toString()}::bigint, ${r.effectiveOn}::date, 'bench')`,
        );
      await sql`INSERT INTO ${sql.table(table)} (client_key, deal_id, kind, amount_cents, effective_on, recorded_by)
        VALUES ${sql.join(values)}`.execute(db);
    }
  });
  const singleRows = rows(SINGLE_ROWS, `${prefix}-1`);
  const single = await timed(async () => {
    for (const r of singleRows) await one(r);
  });
  const concurrentRows = rows(HTTP_ROWS, `${prefix}-32`);
  const concurrent = await timed(async () => {
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = c; i < concurrentRows.length; i += CLIENTS) await one(concurrentRows[i]!);
      }),
    );
  });
  return { batched, single, concurrent };
}

/** Seconds for `entries` posted by CLIENTS API clients at once; every one must be recorded (201). */
async function throughHttp(
  keel: Awaited<ReturnType<typeof openKeel>>,
  entries: Array<{ clientKey: string; dealId: string; kind: string; amount: bigint; effectiveOn: string }>,
): Promise<number> {
  await addUser(keel, benchAdmin, {
    id: 'bench-pm',
    email: 'bench-pm@example.org',
    name: 'bench portfolio manager',
    role: 'portfolio_manager',
    password: 'bench password 1234',
  });
  const { token } = await createApiToken(
    keel,
    { id: 'bench-pm', role: 'portfolio_manager' },
    { name: 'bench', scope: 'write' },
  );
  const app = await buildServer(keel);
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const requests = entries.map((e) => ({
      key: e.clientKey,
      body: {
        dealId: e.dealId,
        kind: e.kind,
        amount: (Number(e.amount) / 100).toFixed(2),
        effectiveOn: e.effectiveOn,
      },
    }));
    const worker = new Worker(new URL('./http-load-worker.mjs', import.meta.url), {
      workerData: { base, token, path: '/api/ledger', requests, clients: CLIENTS },
    });
    const { seconds, statuses } = await new Promise<{ seconds: number; statuses: Record<string, number> }>(
      (resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      },
    );
    await worker.terminate();
    if (statuses['201'] !== entries.length && statuses['200'] !== entries.length)
      throw new Error(`not every entry was recorded: ${JSON.stringify(statuses)}`);
    return seconds;
  } finally {
    await app.close();
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
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
    const database = await createServerDatabase(server, 'keel_bench');
    results.push(
      ...(await withBackend('PostgreSQL', { databaseUrl: database.url, dataDir: '' }, database.drop)),
    );
  } else {
    console.log('DATABASE_URL not set: PostgreSQL skipped');
  }

  console.log('\nledger write throughput (synthetic data; higher is better)');
  console.log(
    'case'.padEnd(44),
    '(a) plain w/s'.padStart(14),
    "(a') shaped w/s".padStart(16),
    '(b) Keel w/s'.padStart(13),
    '(b)/(a)'.padStart(9),
    "(b)/(a')".padStart(9),
  );
  for (const r of results) {
    console.log(
      r.label.padEnd(44),
      r.raw.toFixed(0).padStart(14),
      r.shaped.toFixed(0).padStart(16),
      r.keel.toFixed(0).padStart(13),
      `${(r.keel / r.raw).toFixed(3)}×`.padStart(9),
      `${(r.keel / r.shaped).toFixed(3)}×`.padStart(9),
    );
  }
  console.log(
    "goal (issue 19): (b)/(a) ≥ 0.5× batched, ≥ 0.3× single writes; (a') shows what the ledger table's own shape costs",
  );
}

await main();
