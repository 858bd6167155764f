/**
 * `keel` beside a running server on the embedded data folder: the server runs the command and the caller prints
 * the same output as the command alone; a wrong credential or a server that does not answer is refused
 * cleanly, fast. (With DATABASE_URL there is no folder lock: commands reach PostgreSQL directly.)
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKeel, type TestKeel } from './backends.ts';
import { freePort, type KeelServer, runKeel, startKeelServer } from './cli.ts';

const PASSWORD = 'a long passphrase nobody guesses 7';

describe('keel beside a running server [pglite]', () => {
  let keel: TestKeel;
  let server: KeelServer;
  let handoverFile: string;
  const offline: Record<string, string> = {};

  beforeAll(async () => {
    keel = await freshKeel('pglite');
    await keel.closeConnection();
    const added = await runKeel(['user', 'add', 'alone', 'alone@example.org', 'auditor'], {
      ...keel.env,
      KEEL_PASSWORD: PASSWORD,
    });
    expect(added.code, added.stderr).toBe(0);
    offline['user add'] = added.stdout;
    for (const command of ['summary', 'audit verify']) {
      const result = await runKeel(command.split(' '), keel.env);
      expect(result.code, result.stderr).toBe(0);
      offline[command] = result.stdout;
    }
    server = await startKeelServer(keel.env);
    handoverFile = join(keel.config.dataDir, '.keel.lock', 'handover.json');
  }, 600_000); // five child processes on a shared 2-core machine
  afterAll(async () => {
    await server?.stop();
    await keel.close();
  });

  it('the server records its address and a per-start credential, readable by its owner only', () => {
    expect(statSync(handoverFile).mode & 0o777).toBe(0o600);
    const handover = JSON.parse(readFileSync(handoverFile, 'utf8'));
    expect(handover.pid).toBe(server.pid);
    expect(handover.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(handover.token.length).toBeGreaterThanOrEqual(43); // 32 random bytes
  });

  it('summary and audit verify print what they print alone', async () => {
    for (const command of ['summary', 'audit verify']) {
      const result = await runKeel(command.split(' '), keel.env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(offline[command]);
    }
  });

  it('user add through the server: same output, and the user logs in on that server at once', async () => {
    const result = await runKeel(['user', 'add', 'beside', 'beside@example.org', 'auditor'], {
      ...keel.env,
      KEEL_PASSWORD: PASSWORD,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(offline['user add']!.replace('alone', 'beside'));
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'beside@example.org', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    expect((await login.json()).user).toMatchObject({ id: 'beside', role: 'auditor' });
  });

  it('errors come back as they would alone: the message on stderr and the exit code', async () => {
    const result = await runKeel(['import', 'deals', 'no-such-file.csv'], keel.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('keel: cannot read no-such-file.csv: ENOENT\n');
    const usage = await runKeel(['user', 'add', 'x'], { ...keel.env, KEEL_PASSWORD: PASSWORD });
    expect(usage.code).toBe(2);
  });

  it('hands a command over, and refuses a wrong credential, each well under a second', async () => {
    const { url, token } = JSON.parse(readFileSync(handoverFile, 'utf8'));
    const run = (bearer: string) =>
      fetch(`${url}/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ argv: ['summary', '--json'], cwd: '/' }),
      });
    await (await run(token)).text(); // warm: the first summary compiles its queries
    let started = performance.now();
    const answer = await run(token);
    const lines = (await answer.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const handOverMs = performance.now() - started;
    expect(answer.status).toBe(200);
    expect(lines.at(-1)).toEqual({ exit: 0 });
    expect(JSON.parse(lines[0].out).programme.id).toBe('sri-reference');
    started = performance.now();
    const refused = await run(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`);
    const refusedMs = performance.now() - started;
    expect(refused.status).toBe(401);
    console.info(
      `hand-over of keel summary --json: ${handOverMs.toFixed(0)} ms; refusal: ${refusedMs.toFixed(0)} ms`,
    );
    expect(handOverMs).toBeLessThan(1_000);
    expect(refusedMs).toBeLessThan(1_000);
  });

  it('a keel whose credential does not match is refused cleanly, with a non-zero exit', async () => {
    const original = readFileSync(handoverFile, 'utf8');
    const handover = JSON.parse(original);
    try {
      writeFileSync(handoverFile, JSON.stringify({ ...handover, token: 'not-the-token' }), { mode: 0o600 });
      const started = performance.now();
      const result = await runKeel(['summary'], keel.env);
      console.info(
        `keel summary refused (wrong credential), whole process: ${(performance.now() - started).toFixed(0)} ms`,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `keel: the Keel server (PID ${server.pid}) holding ${keel.config.dataDir} refused the local credential; restart the server\n`,
      );
    } finally {
      writeFileSync(handoverFile, original, { mode: 0o600 });
    }
  });

  it('a server that does not answer, a file others could read, and backup are refused cleanly', async () => {
    const original = readFileSync(handoverFile, 'utf8');
    const handover = JSON.parse(original);
    try {
      writeFileSync(
        handoverFile,
        JSON.stringify({ ...handover, url: `http://127.0.0.1:${await freePort()}` }),
      );
      const silent = await runKeel(['summary'], keel.env);
      expect(silent.code).toBe(1);
      expect(silent.stderr).toMatch(/does not answer \(ECONNREFUSED\)/);
      writeFileSync(handoverFile, original);
      chmodSync(handoverFile, 0o644);
      const readable = await runKeel(['summary'], keel.env);
      expect(readable.code).toBe(1);
      expect(readable.stderr).toMatch(/is in use by another Keel process/);
    } finally {
      writeFileSync(handoverFile, original);
      chmodSync(handoverFile, 0o600);
    }
    const backup = await runKeel(['backup', join(keel.config.dataDir, '..', 'b.tar.gz')], keel.env);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toMatch(/needs the data folder .* to itself; stop the Keel server/);
  });

  it('with no admin yet, keel serve prints a setup link that creates the first admin once', async () => {
    const token = /#\/setup\/([A-Za-z0-9_-]{43})\n/.exec(server.stdout())?.[1];
    expect(token, server.stdout()).toBeDefined();
    const setup = (id: string) =>
      fetch(`${server.url}/api/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          token,
          id,
          name: 'First Admin',
          email: `${id}@example.org`,
          password: PASSWORD,
        }),
      });
    expect((await setup('first-admin')).status).toBe(201);
    expect((await setup('second-admin')).status).toBe(410);
  });

  it('once the server stops, the command runs alone again with the same output', async () => {
    expect(await server.stop()).toBe(0);
    const result = await runKeel(['summary'], keel.env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(offline.summary);
  });
});
