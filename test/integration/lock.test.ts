/** PGlite has no lock between processes; Keel's folder lock must refuse a second opener with the holder's PID. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKeel } from '../../src/app/open.ts';
import { freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';

describe('embedded data folder lock [pglite]', () => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel('pglite');
  });
  afterAll(() => keel.close());

  it('a second keel process on the same folder fails fast, naming the holder PID', async () => {
    const started = Date.now();
    const second = await runKeel(['summary'], keel.env);
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe(
      `keel: the Keel data folder ${keel.config.dataDir} is in use by another Keel process (PID ${process.pid}); stop it first or set KEEL_DATA to another folder`,
    );
    expect(Date.now() - started).toBeLessThan(30_000); // fails fast: no waiting on the lock
  });

  it('a second opener in the same process is refused too', async () => {
    await expect(openKeel(keel.config)).rejects.toThrow(/this process already holds/);
  });

  it('once the holder closes, another process can open the folder', async () => {
    await keel.closeConnection();
    try {
      const result = await runKeel(['summary', '--json'], keel.env);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).programme.id).toBe('sri-reference');
    } finally {
      keel = await keel.reopen();
    }
  });
});
