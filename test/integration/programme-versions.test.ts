/**
 * Programme versions are checked against the ledger (issue 13, defect 5), through the `keel` command: a
 * version that adds a cap starts it at what the ledger has already committed, a version the ledger already
 * breaks is refused, and reloading an older file makes it current again as a new version.
 */

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REFERENCE_PROGRAMME, readJson } from '../../src/app/data-files.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { currentProgramme, loadProgramme } from '../../src/app/programme.ts';
import { programmeSummary } from '../../src/app/summary.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';
import { seedDeals } from './fixtures.ts';

interface ProgrammeFileShape {
  caps: Array<Record<string, unknown>>;
}

/** The reference programme plus a per-company equity cap of `limit` dollars, written to a file. */
function withCompanyCap(limit: string, name: string): string {
  const file = readJson(REFERENCE_PROGRAMME) as ProgrammeFileShape;
  file.caps.push({
    id: 'equity-per-company-tight',
    label: 'Equity per company (tight)',
    scope: 'company',
    instruments: ['direct_equity', 'venture_capital'],
    limit,
    source: 'illustrative setting (test)',
  });
  const path = join(tmpdir(), `keel-programme-${process.pid}-${name}.json`);
  writeFileSync(path, JSON.stringify(file));
  return path;
}

describeOnBackends('programme versions against the ledger', (backend) => {
  let keel: TestKeel;
  let deal: string;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    [deal] = (await seedDeals(keel, { prefix: 'pv', count: 1, instrument: 'direct_equity' })) as [string];
    await commit('pv-75m', 75_000_000_00n);
  });
  afterAll(() => keel.close());

  const commit = (clientKey: string, amount: bigint) =>
    recordLedgerEntry(keel, testAdmin, {
      clientKey,
      dealId: deal,
      kind: 'commitment',
      amount: cents(amount),
      effectiveOn: asIsoDate('2026-02-01'),
    });
  /** `keel programme load FILE` in a child process on the same database. */
  const cliLoad = async (path: string) => {
    await keel.closeConnection();
    try {
      return await runKeel(['programme', 'load', path], keel.env);
    } finally {
      keel = await keel.reopen();
    }
  };

  it('refuses a version whose new cap the ledger already exceeds, naming cap, scope, usage and limit', async () => {
    const refused = loadProgramme(keel, testAdmin, readJson(withCompanyCap('50000000.00', 'tight')) as never);
    await expect(refused).rejects.toMatchObject({
      code: 'cap_already_exceeded',
      details: {
        exceeded: [
          {
            capId: 'equity-per-company-tight',
            scope: 'company',
            scopeKey: 'pv-0-co',
            used: '7500000000',
            limit: '5000000000',
          },
        ],
      },
    });
    await expect(refused).rejects.toThrow(
      'cap "Equity per company (tight)" (equity-per-company-tight, company pv-0-co): $75,000,000.00 already committed against a limit of $50,000,000.00',
    );
    expect((await currentProgramme(keel.database.db)).version).toBe(1);
  });

  it('starts a new $100M cap at the $75M already committed, so a further $50M is refused', async () => {
    const load = await cliLoad(withCompanyCap('100000000.00', 'wide'));
    expect(load.stdout, load.stderr).toMatch(/as programme version 2/);
    const tight = async () =>
      (await programmeSummary(keel, testAdmin)).caps.find((c) => c.capId === 'equity-per-company-tight');
    expect(await tight()).toMatchObject({ scopeKey: 'pv-0-co', used: 75_000_000_00n });
    await expect(commit('pv-50m-a', 50_000_000_00n)).rejects.toThrow(
      /exceed the cap "Equity per company \(tight\)" \(for pv-0-co\): limit \$100,000,000\.00, used \$75,000,000\.00, headroom \$25,000,000\.00/,
    );
    await commit('pv-25m', 25_000_000_00n);
    await expect(commit('pv-50m-b', 50_000_000_00n)).rejects.toThrow(/headroom \$0\.00/);
    expect(await tight()).toMatchObject({ used: 100_000_000_00n });
  });

  it('reloading the original file makes it current again as a new version', async () => {
    const originalPath = join(tmpdir(), `keel-programme-${process.pid}-original.json`);
    writeFileSync(originalPath, JSON.stringify(readJson(REFERENCE_PROGRAMME)));
    const back = await cliLoad(originalPath);
    expect(back.stdout, back.stderr).toMatch(/as programme version 3/);
    const again = await cliLoad(originalPath);
    expect(again.stdout).toMatch(/already loaded \(programme version 3\); nothing changed/);
    const current = await currentProgramme(keel.database.db);
    expect(current.version).toBe(3);
    expect(current.programme.caps.map((c) => c.id)).not.toContain('equity-per-company-tight');
    const summary = await programmeSummary(keel, testAdmin);
    expect(summary.caps.some((c) => c.capId === 'equity-per-company-tight')).toBe(false);
    expect(summary.caps.find((c) => c.capId === 'equity-vc-per-company')).toMatchObject({
      scopeKey: 'pv-0-co',
      used: 100_000_000_00n,
    });
  });

  // A ledger write that waits for a load's lock must be checked against the version the load made, not the
  // one it locked: only PostgreSQL has a second connection to hold the loader's lock while the write waits.
  it.runIf(backend === 'postgres')(
    'a write that waited for a programme load is checked against the new version',
    async () => {
      const loader = new pg.Client({ connectionString: keel.env.DATABASE_URL });
      await loader.connect();
      try {
        await loader.query('BEGIN');
        const { rows } = await loader.query(
          'SELECT version, programme_id, methodology_version FROM programme_versions ORDER BY version DESC LIMIT 1 FOR UPDATE',
        );
        const latest = rows[0] as { version: number; programme_id: string; methodology_version: number };
        const write = commit('pv-waited', 10_000_000_00n);
        const settled = write.then(
          () => 'committed',
          () => 'refused',
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(await Promise.race([settled, Promise.resolve('waiting')])).toBe('waiting');
        // What a load does: a new version with a $100M per-company cap, and its usage from the ledger.
        const document = readJson(withCompanyCap('100000000.00', 'race'));
        await loader.query(
          `INSERT INTO programme_versions (version, programme_id, methodology_version, document, document_sha256, loaded_by)
           VALUES ($1, $2, $3, $4, $5, 'test')`,
          [
            latest.version + 1,
            latest.programme_id,
            latest.methodology_version,
            JSON.stringify(document),
            createHash('sha256')
              .update(`race ${JSON.stringify(document)}`)
              .digest('hex'),
          ],
        );
        await loader.query(
          `INSERT INTO cap_usage (cap_id, scope_key, limit_cents, used_cents)
           VALUES ('equity-per-company-tight', 'pv-0-co', 10000000000, 10000000000)`,
        );
        await loader.query('COMMIT');
        await expect(write).rejects.toThrow(/Equity per company \(tight\)/);
      } finally {
        await loader.end();
      }
    },
  );
});
