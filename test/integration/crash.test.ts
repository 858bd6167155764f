/**
 * A writer killed with SIGKILL in the middle of a batch loop loses no acknowledged write and leaves no partial
 * batch, 20 times over. On PGlite this also exercises taking over the dead writer's folder lock and PostgreSQL's
 * crash recovery inside PGlite; on the server, the killed client's open transaction is rolled back.
 */

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit.ts';
import { seededRandom } from '../../src/domain/synthetic.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { ROOT } from './cli.ts';
import { seedDeals } from './fixtures.ts';

const RUNS = 20;
const BATCH = 25;

function runUntilKilled(
  env: NodeJS.ProcessEnv,
  run: string,
  dealId: string,
  killAfterAcks: number,
  extraDelayMs: number,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'test/integration/fixtures/crash-writer.ts'),
        run,
        dealId,
        String(BATCH),
      ],
      { env, cwd: ROOT },
    );
    const acks: string[] = [];
    let buffer = '';
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (data) => {
      buffer += data;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('ack ')) acks.push(line.slice(4));
        newline = buffer.indexOf('\n');
      }
      if (!killing && acks.length >= killAfterAcks) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself: ${stderr}`));
      else resolve(acks);
    });
  });
}

describeOnBackends('crash safety', (backend) => {
  let keel: TestKeel;
  let dealId: string;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    [dealId] = (await seedDeals(keel, { prefix: 'crash', count: 1 })) as [string];
    await keel.closeConnection();
  });
  afterAll(() => keel.close());

  it(`SIGKILL mid-loop ${RUNS} times: every acknowledged batch is whole, no batch is partial`, async () => {
    const random = seededRandom(2026);
    let acknowledged = 0;
    for (let run = 0; run < RUNS; run++) {
      const acks = await runUntilKilled(
        keel.env,
        `run${run}`,
        dealId,
        1 + Math.floor(random() * 8),
        Math.floor(random() * 40),
      );
      acknowledged += acks.length;
      keel = await keel.reopen(); // on PGlite: takes over the dead writer's lock and recovers the database
      try {
        const { rows } = await sql<{ batch: string; n: bigint }>`
          SELECT regexp_replace(client_key, '-[0-9]+$', '') AS batch, count(*) AS n
          FROM ledger_entries WHERE client_key LIKE ${`run${run}-%`} GROUP BY 1`.execute(keel.database.db);
        const sizes = new Map(rows.map((r) => [r.batch, r.n]));
        for (const batch of acks) expect(sizes.get(batch), `acknowledged batch ${batch}`).toBe(BigInt(BATCH));
        for (const [batch, n] of sizes) expect(n, `batch ${batch} is whole`).toBe(BigInt(BATCH));
        expect((await verifyAudit(keel, testAdmin)).ok).toBe(true);
      } finally {
        await keel.closeConnection();
      }
    }
    expect(acknowledged).toBeGreaterThanOrEqual(RUNS);
  });
});
