/**
 * npm run bench:research: the research engine's interactive calls, warm, on the real reference graph (every
 * material of the loaded releases), over real HTTP on loopback, on PGlite and (when DATABASE_URL is set)
 * PostgreSQL: GET /api/research/scores (every node scored) and POST /api/research/scenarios/:id/runs for each
 * shipped scenario (stored and audited as a user's run is). Beside each, in the same run, the bare domain
 * computation on the same graph in this process (scoreGraph, runScenario), so the ratio is what the
 * database, the audit and HTTP add. Goal (issue 14): each call under 200 ms warm.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../src/api/server.ts';
import { addUser, createApiToken } from '../src/app/auth.ts';
import { initKeel } from '../src/app/init.ts';
import { type KeelConfig, openKeel } from '../src/app/open.ts';
import { subAreaValueAdded } from '../src/app/research/bea-annual.ts';
import { graphVersion } from '../src/app/research/graph.ts';
import { referenceCountries } from '../src/app/research/reference-data.ts';
import { listScenarios } from '../src/app/research/scenarios.ts';
import { runScenario, scenarioSchema } from '../src/domain/research/scenario.ts';
import { scoreGraph } from '../src/domain/research/scores.ts';
import { createServerDatabase } from '../test/support/server-database.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const GOAL_MS = 200;
const admin = { id: 'bench', role: 'admin' } as const;
const analyst = { id: 'bench-analyst', role: 'research_analyst' } as const;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
async function timed(work: () => unknown): Promise<number> {
  const t = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

interface Case {
  name: string;
  http: () => Promise<unknown>;
  bare: () => unknown;
}

async function measure(database: string, config: KeelConfig) {
  const keel = await openKeel(config, { poolSize: 4, cacheTokens: true });
  try {
    await initKeel(keel, admin);
    await addUser(keel, admin, {
      ...analyst,
      email: 'analyst@example.org',
      name: 'bench analyst',
      password: 'bench password 1234',
    });
    const { token } = await createApiToken(keel, analyst, { name: 'bench', scope: 'write' });
    const app = await buildServer(keel);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const call = async (method: 'GET' | 'POST', path: string) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
        },
      });
      if (!response.ok)
        throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
      await response.json();
    };

    const { graph } = await graphVersion(keel, analyst);
    const countries = referenceCountries();
    const va = await subAreaValueAdded();
    const valueAdded = new Map([...va.bySubArea].map(([s, c]) => [s, c.value] as const));
    const materials = graph.nodes.filter((n) => n.kind === 'material').length;
    const scenarios = await listScenarios(keel, analyst);
    const cases: Case[] = [
      {
        name: `scores, ${graph.nodes.length} nodes (${materials} materials)`,
        http: () => call('GET', '/api/research/scores'),
        bare: () => scoreGraph(graph, countries, { subAreaValueAdded: valueAdded }),
      },
      ...scenarios
        .filter((s) => s.shipped)
        .map((s) => {
          const scenario = scenarioSchema.parse(s);
          return {
            name: `scenario run: ${s.id}`,
            http: () => call('POST', `/api/research/scenarios/${s.id}/runs`),
            bare: () => runScenario(graph, scenario, []),
          };
        }),
    ];
    console.log(`\n${database}: ${cases.length} cases, ${ITERATIONS} warm calls each (after 3 to warm up)`);
    console.log('case | HTTP p50 | HTTP p95 | bare p50 | bare p95 | p95 ratio | under 200 ms');
    for (const c of cases) {
      for (let i = 0; i < 3; i++) {
        await c.http();
        c.bare();
      }
      const http: number[] = [];
      const bare: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        http.push(await timed(c.http));
        bare.push(await timed(c.bare));
      }
      const p95 = percentile(http, 95);
      console.log(
        `${c.name} | ${percentile(http, 50).toFixed(1)} ms | ${p95.toFixed(1)} ms | ${percentile(bare, 50).toFixed(2)} ms | ${percentile(bare, 95).toFixed(2)} ms | ${(p95 / Math.max(0.01, percentile(bare, 95))).toFixed(1)}× | ${p95 < GOAL_MS ? 'yes' : 'NO'}`,
      );
    }
    await app.close();
  } finally {
    await keel.close();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'keel-bench-research-'));
try {
  await measure('PGlite', { dataDir });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
const serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  const server = await createServerDatabase(serverUrl, 'keel_bench_research');
  try {
    await measure('PostgreSQL', { databaseUrl: server.url, dataDir: '' });
  } finally {
    await server.drop();
  }
}
