/**
 * `keel backup` and `keel restore` through the real command, on both databases: a backup restored into an
 * empty target gives an intact audit chain and the same summary; a restore onto a database that already
 * holds data, or a backup onto an existing file, is refused without --force.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { alice } from '../principals.ts';
import { createServerDatabase, type ServerDatabase } from '../support/server-database.ts';
import { describeOnBackends, freshKeel, SERVER_URL, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';
import { entry, seedDeals } from './fixtures.ts';

describeOnBackends('backup and restore', (backend) => {
  let keel: TestKeel;
  let dir: string;
  let target: NodeJS.ProcessEnv;
  let targetDatabase: ServerDatabase | undefined;

  beforeAll(async () => {
    keel = await freshKeel(backend);
    const [deal] = await seedDeals(keel, { prefix: 'bak', count: 2 });
    for (let i = 0; i < 5; i++)
      await recordLedgerEntry(keel, alice, entry(`bak-${i}`, deal!, 'commitment', 1_000_000n + BigInt(i)));
    // The embedded folder is locked while open: the child commands need it free.
    await keel.closeConnection();
    dir = mkdtempSync(join(tmpdir(), 'keel-backup-'));
    const { DATABASE_URL: _server, KEEL_DATA: _data, ...inherited } = keel.env;
    if (backend === 'postgres') {
      targetDatabase = await createServerDatabase(SERVER_URL!, 'keel_restore');
      target = { ...inherited, DATABASE_URL: targetDatabase.url };
    } else {
      target = { ...inherited, KEEL_DATA: join(dir, 'restored') };
    }
  });

  afterAll(async () => {
    await targetDatabase?.drop();
    rmSync(dir, { recursive: true, force: true });
    await (await keel.reopen()).close();
  });

  it('restores a backup into an empty target: audit chain intact, summaries equal', async () => {
    const file = join(dir, 'keel.backup');
    const backup = await runKeel(['backup', file], keel.env);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toMatch(/backing up .* to .*keel\.backup/);
    expect(backup.stdout).toMatch(/backup written: .*keel\.backup \(\d+\.\d MB in \d+\.\d s\)/);

    const restore = await runKeel(['restore', file], target);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/audit chain intact: \d+ row\(s\)/);

    const verify = await runKeel(['audit', 'verify'], target);
    expect(verify.code, verify.stderr).toBe(0);
    const [before, after] = await Promise.all([
      runKeel(['summary', '--json'], keel.env),
      runKeel(['summary', '--json'], target),
    ]);
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual(JSON.parse(before.stdout));
    expect(JSON.parse(after.stdout).counted.total).not.toBe('0');
  });

  it('refuses to restore onto a database that holds data, unless --force', async () => {
    const file = join(dir, 'keel.backup');
    const refused = await runKeel(['restore', file], keel.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds a Keel database; restore onto it only with --force/);

    const forced = await runKeel(['restore', file, '--force'], keel.env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/audit chain intact/);
  });

  it('refuses to overwrite an existing file, unless --force', async () => {
    const file = join(dir, 'existing.backup');
    writeFileSync(file, 'something else\n');
    const refused = await runKeel(['backup', file], keel.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already exists; overwrite it only with --force/);

    const wrongFile = await runKeel(['restore', file, '--force'], target);
    expect(wrongFile.code).toBe(1);
    expect(wrongFile.stderr).toMatch(/is not a Keel backup/);
  });
});
