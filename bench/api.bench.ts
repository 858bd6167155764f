/**
 * npm run bench:api: with 1M synthetic ledger rows, p50/p95 latency of GET /api/programme/summary over real
 * HTTP on loopback against the bare SQL aggregate that endpoint runs, measured interleaved in one run, on
 * PGlite and (when DATABASE_URL is set) PostgreSQL. The rows are synthetic (deterministic formula, seed 7,
 * labelled in their note) and are written with one INSERT … SELECT, after which the summary's totals are
 * rebuilt from the ledger: this benchmark measures the read path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../src/api/server.ts';
import { addUser, createApiToken } from '../src/app/auth.ts';
import { type KeelConfig, openKeel } from '../src/app/open.ts';
import { keptCommitmentAggregate } from '../src/db/commitments-repo.ts';
import { createServerDatabase } from '../test/support/server-database.ts';
import { seedSyntheticLedger } from './synthetic-ledger.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const admin = { id: 'bench', role: 'admin' } as const;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function measure(name: string, config: KeelConfig) {
  const keel = await openKeel(config, { poolSize: 4 });
  try {
    await seedSyntheticLedger(keel, ROWS, name);

    await addUser(keel, admin, {
      id: 'bench-user',
      email: 'bench@example.org',
      name: 'bench',
      role: 'portfolio_manager',
      password: 'bench password 1234',
    });
    const { token } = await createApiToken(
      keel,
      { id: 'bench-user', role: 'portfolio_manager' },
      { name: 'bench', scope: 'read' },
    );
    const app = await buildServer(keel);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/programme/summary`;
    const endpoint: number[] = [];
    const bare: number[] = [];
    const time = async (work: () => Promise<unknown>) => {
      const t = process.hrtime.bigint();
      await work();
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const callEndpoint = async () => {
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`summary answered ${response.status}`);
      await response.json();
    };
    for (let i = 0; i < 3; i++) {
      await callEndpoint();
      await keptCommitmentAggregate(keel.database.db).execute();
    }
    for (let i = 0; i < ITERATIONS; i++) {
      endpoint.push(await time(callEndpoint));
      bare.push(await time(() => keptCommitmentAggregate(keel.database.db).execute()));
    }
    await app.close();
    return { name, endpoint, bare };
  } finally {
    await keel.close();
  }
}

async function main() {
  const results = [];
  const dir = mkdtempSync(join(tmpdir(), 'keel-bench-api-'));
  try {
    results.push(await measure('PGlite', { dataDir: join(dir, 'data') }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const server = process.env.DATABASE_URL;
  if (server) {
    const database = await createServerDatabase(server, 'keel_bench');
    try {
      results.push(await measure('PostgreSQL', { databaseUrl: database.url, dataDir: '' }));
    } finally {
      await database.drop();
    }
  } else {
    console.log('DATABASE_URL not set: PostgreSQL skipped');
  }
  console.log(
    `\nprogramme summary with ${ROWS.toLocaleString('en-US')} synthetic ledger rows, ${ITERATIONS} requests each (ms; lower is better)`,
  );
  console.log(
    'database'.padEnd(12),
    'endpoint p50'.padStart(13),
    'p95'.padStart(8),
    'bare SQL p50'.padStart(13),
    'p95'.padStart(8),
    'ratio p50'.padStart(10),
    'ratio p95'.padStart(10),
  );
  for (const r of results) {
    const [e50, e95, b50, b95] = [
      percentile(r.endpoint, 50),
      percentile(r.endpoint, 95),
      percentile(r.bare, 50),
      percentile(r.bare, 95),
    ];
    console.log(
      r.name.padEnd(12),
      e50.toFixed(1).padStart(13),
      e95.toFixed(1).padStart(8),
      b50.toFixed(1).padStart(13),
      b95.toFixed(1).padStart(8),
      `${(e50 / b50).toFixed(2)}×`.padStart(10),
      `${(e95 / b95).toFixed(2)}×`.padStart(10),
    );
  }
}

await main();
