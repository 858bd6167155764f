/**
 * `keel serve` on a port another program holds ends at once with a clear message, and lets go of the data
 * folder: before, it printed EADDRINUSE and stayed alive (the import job runner's queue kept it), holding the
 * folder's lock, so the next `keel` command was handed over to whatever answered on that port.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKeel, type TestKeel } from './backends.ts';
import { freePort, runKeel } from './cli.ts';

describe('keel serve on a port in use [pglite]', () => {
  let keel: TestKeel;
  let squatter: Server;
  let port: number;

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    await keel.closeConnection();
    port = await freePort();
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  }, 120_000);
  afterAll(async () => {
    squatter?.close();
    await keel?.close();
  });

  it('exits with the port named, and the next command runs on the folder itself', async () => {
    const served = await runKeel(
      ['serve'],
      { ...keel.env, PORT: String(port), KEEL_HOST: '127.0.0.1' },
      90_000,
    );
    expect(served.code, served.stderr).not.toBe(0);
    expect(served.code).not.toBeNull(); // ended by itself, not by the test's timeout
    expect(served.stderr).toContain(`port ${port} on 127.0.0.1 is in use by another program`);
    const summary = await runKeel(['summary'], keel.env);
    expect(summary.code, summary.stderr).toBe(0);
  });
});
