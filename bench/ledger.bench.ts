/**
 * npm run bench:ledger: in one process and one run, on PGlite and (when DATABASE_URL is set) PostgreSQL,
 *   (a) raw INSERTs of ledger-shaped rows into a plain table (no caps, no idempotency, no audit), and
 *   (b) Keel ledger writes (deal + cap row locks, rule checks, idempotency key, hash-chained audit),
 * each both batched (one transaction per batch) and one write per transaction, and prints writes/s and the
 * ratio (b)/(a); and (c) 32 API clients at once, each posting single entries through HTTP (POST /api/ledger,
 * a write token, its own Idempotency-Key per entry), against 32 concurrent raw single-row INSERTs on the same
 * pool. All data is synthetic (seeded) and dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { buildServer } from '../src/api/server.ts';
import { addUser, createApiToken } from '../src/app/auth.ts';
import { addCompanies } from '../src/app/companies.ts';
import { openDeals } from '../src/app/deals.ts';
import { initKeel } from '../src/app/init.ts';
import { recordLedgerEntries, recordLedgerEntry } from '../src/app/ledger.ts';
import { type KeelConfig, openKeel } from '../src/app/open.ts';
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
      deal_id text NOT NULL, kind text NOT NULL, amount_cents bigint NOT NULL, effective_on date NOT NULL)`.execute(
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

    // (a) raw, batched: multi-row INSERT statements of BATCH rows, one transaction each.
    const rawBatched = rows(BATCHED_ROWS, 'raw');
    const a1 = await timed(async () => {
      for (let i = 0; i < rawBatched.length; i += BATCH) {
        const slice = rawBatched.slice(i, i + BATCH);
        await keel.database.db
          .insertInto('bench_raw' as never)
          .values(
            slice.map((r) => ({
              client_key: r.clientKey,
              deal_id: r.dealId,
              kind: r.kind,
              amount_cents: r.amount,
              effective_on: r.effectiveOn,
            })) as never,
          )
          .execute();
      }
    });
    // (b) Keel, batched: one recordLedgerEntries call (one transaction) per BATCH entries.
    const keelBatched = rows(BATCHED_ROWS, 'keel');
    const b1 = await timed(async () => {
      for (let i = 0; i < keelBatched.length; i += BATCH) {
        await recordLedgerEntries(keel, benchAdmin, `bench-batch-${i}`, keelBatched.slice(i, i + BATCH));
      }
    });
    // (a) raw, one row per INSERT (autocommit).
    const rawSingle = rows(SINGLE_ROWS, 'raw1');
    const a2 = await timed(async () => {
      for (const r of rawSingle) {
        await sql`INSERT INTO bench_raw (client_key, deal_id, kind, amount_cents, effective_on)
          VALUES (${r.clientKey}, ${r.dealId}, ${r.kind}, ${r.amount.toString()}::bigint, ${r.effectiveOn}::date)`.execute(
          keel.database.db,
        );
      }
    });
    // (b) Keel, one write per transaction.
    const keelSingle = rows(SINGLE_ROWS, 'keel1');
    const b2 = await timed(async () => {
      for (const r of keelSingle) await recordLedgerEntry(keel, benchAdmin, r);
    });
    // (a) raw, 32 at once, one row per INSERT.
    const rawConcurrent = rows(HTTP_ROWS, 'raw32');
    const a3 = await timed(async () => {
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          for (let i = c; i < rawConcurrent.length; i += CLIENTS) {
            const r = rawConcurrent[i]!;
            await sql`INSERT INTO bench_raw (client_key, deal_id, kind, amount_cents, effective_on)
              VALUES (${r.clientKey}, ${r.dealId}, ${r.kind}, ${r.amount.toString()}::bigint, ${r.effectiveOn}::date)`.execute(
              keel.database.db,
            );
          }
        }),
      );
    });
    // (c) Keel through HTTP: 32 API clients in a thread of their own.
    const b3 = await throughHttp(keel, rows(HTTP_ROWS, 'http32'));
    return [
      {
        label: `${name}, batched ${BATCH}/tx, ${BATCHED_ROWS} rows`,
        raw: BATCHED_ROWS / a1,
        keel: BATCHED_ROWS / b1,
      },
      { label: `${name}, 1 write/tx, ${SINGLE_ROWS} rows`, raw: SINGLE_ROWS / a2, keel: SINGLE_ROWS / b2 },
      {
        label: `${name}, ${CLIENTS} clients, HTTP, ${HTTP_ROWS} rows`,
        raw: HTTP_ROWS / a3,
        keel: HTTP_ROWS / b3,
      },
    ];
  } finally {
    await keel.close();
    await cleanup();
  }
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
    'raw INSERT w/s'.padStart(15),
    'Keel ledger w/s'.padStart(16),
    'ratio (b)/(a)'.padStart(14),
  );
  for (const r of results) {
    console.log(
      r.label.padEnd(44),
      r.raw.toFixed(0).padStart(15),
      r.keel.toFixed(0).padStart(16),
      `${(r.keel / r.raw).toFixed(3)}×`.padStart(14),
    );
  }
}

await main();
