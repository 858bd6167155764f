/**
 * Several `keel serve` processes on one PostgreSQL database, behind a round-robin proxy as a load balancer
 * would put them (issue 19): sessions and the login limit hold across them; an import job is watched and
 * cancelled through a server other than the one running it, and so is a risk simulation started through one
 * server and watched and cancelled through the other; and a job whose server is killed (SIGKILL)
 * finishes on the other, with the file's rows in the ledger exactly once.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/app/auth.ts';
import { addCompanies } from '../../src/app/companies.ts';
import { openDeals } from '../../src/app/deals.ts';
import { syntheticBook, syntheticLedgerCsv } from '../../src/domain/synthetic.ts';
import { multipartCsv, PASSWORD } from '../api/helpers.ts';
import { testAdmin } from '../principals.ts';
import { freshKeel, SERVER_URL, type TestKeel } from './backends.ts';
import { type KeelServer, startKeelServer } from './cli.ts';

const ROWS = 60_000;

/** Round robin over `targets`; a request with `x-backend: N` goes to target N (the test's choice). */
async function roundRobinProxy(targets: string[]) {
  let next = 0;
  const served: number[] = [];
  const server: Server = createServer((req, res) => {
    const pinned = req.headers['x-backend'];
    const index = pinned === undefined ? next++ % targets.length : Number(pinned);
    served.push(index);
    const target = new URL(targets[index]!);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-backend': String(index) });
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Server-sent events of a streaming response, as they arrive. */
async function* events(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      yield {
        event: /^event: (.*)$/m.exec(block)?.[1],
        data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null'),
      };
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!SERVER_URL)('several Keel servers on one PostgreSQL', () => {
  let keel: TestKeel;
  let servers: KeelServer[] = [];
  let proxy: Awaited<ReturnType<typeof roundRobinProxy>>;
  let token: string;
  let csv: string;
  let configHome: string;
  let serverEnv: NodeJS.ProcessEnv;
  /** The proxy's targets, by index: a server started later is added at the end. */
  let targets: string[] = [];
  const auth = () => ({ authorization: `Bearer ${token}` });

  const ledgerRows = async () =>
    Number(
      (
        await keel.database.db
          .selectFrom('ledger_entries')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const jobRow = (id: string) =>
    keel.database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  /** Which server (by index) runs the job, once one does. */
  async function runnerOf(id: string): Promise<number> {
    for (let i = 0; i < 600; i++) {
      const row = await jobRow(id);
      if (row.status === 'running' && row.done > 0 && row.runner) {
        const pid = Number(row.runner.split(':')[1]);
        const index = servers.findIndex((s) => s.pid === pid);
        if (index >= 0) return index;
      }
      await sleep(50);
    }
    throw new Error(`job ${id} did not start running: ${JSON.stringify(await jobRow(id))}`);
  }
  async function startImport(backend: number) {
    const upload = multipartCsv(csv);
    const response = await fetch(`${proxy.url}/api/imports/ledger`, {
      method: 'POST',
      headers: {
        ...auth(),
        ...upload.headers,
        'idempotency-key': `ledger-${Date.now()}`,
        'x-backend': `${backend}`,
      },
      body: upload.payload,
    });
    expect(response.status).toBe(202);
    return (await response.json()) as { id: string };
  }

  beforeAll(async () => {
    keel = await freshKeel('postgres');
    await addUser(keel, testAdmin, {
      id: 'pm',
      email: 'pm@example.org',
      name: 'PM',
      role: 'portfolio_manager',
      password: PASSWORD,
    });
    token = (
      await createApiToken(keel, { id: 'pm', role: 'portfolio_manager' }, { name: 't', scope: 'write' })
    ).token;
    const subAreas = (await keel.database.db.selectFrom('sub_areas').select('id').execute()).map((r) => r.id);
    const book = syntheticBook(7, { companies: 200, deals: 800 }, subAreas);
    await addCompanies(keel, testAdmin, 'servers-companies', book.companies);
    await openDeals(keel, testAdmin, 'servers-deals', book.deals);
    csv = syntheticLedgerCsv(7, book.deals, ROWS);
    configHome = mkdtempSync(join(tmpdir(), 'keel-servers-'));
    serverEnv = {
      ...keel.env,
      XDG_CONFIG_HOME: configHome,
      KEEL_JOB_HEARTBEAT_MS: '200',
      KEEL_JOB_STALE_MS: '1500',
      KEEL_JOB_POLL_MS: '500',
      LOG_LEVEL: 'warn',
    };
    const env = serverEnv;
    servers = await Promise.all([startKeelServer(env), startKeelServer(env)]);
    targets = servers.map((s) => s.url);
    proxy = await roundRobinProxy(targets);
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(servers.map((s) => s.stop()));
    await keel?.close();
    if (configHome) rmSync(configHome, { recursive: true, force: true });
  }, 60_000);

  it('keeps a session and the login limit across both servers', async () => {
    const login = await fetch(`${proxy.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-backend': '0' },
      body: JSON.stringify({ email: 'pm@example.org', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const me = await fetch(`${proxy.url}/api/me`, { headers: { cookie, 'x-backend': '1' } });
    expect(me.status).toBe(200);
    expect((await me.json()).user).toMatchObject({ id: 'pm' });

    // Failed logins, alternating between the servers, reach the one limit they share (10 a minute per
    // address, the successful one above counted too).
    const statuses: number[] = [];
    const backends: string[] = [];
    for (let i = 0; i < 12; i++) {
      const attempt = await fetch(`${proxy.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'pm@example.org', password: 'wrong password, surely' }),
      });
      statuses.push(attempt.status);
      backends.push(attempt.headers.get('x-backend')!);
    }
    expect(new Set(backends)).toEqual(new Set(['0', '1']));
    expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(9)).toEqual([429, 429, 429]);
  });

  it('watches and cancels a job through the server not running it; nothing is written', async () => {
    const before = await ledgerRows();
    const { id } = await startImport(0);
    const runner = await runnerOf(id);
    const other = 1 - runner;
    const stream = await fetch(`${proxy.url}/api/import-jobs/${id}/events`, {
      headers: { ...auth(), 'x-backend': `${other}` },
    });
    expect(stream.headers.get('x-backend')).toBe(`${other}`);
    let progressed = 0;
    let cancelled = false;
    let result: { status: string; error?: string } | undefined;
    for await (const event of events(stream)) {
      if (event.event === 'progress' && event.data.done > 0) progressed++;
      if (event.event === 'result') result = event.data;
      if (!cancelled && progressed >= 2) {
        cancelled = true;
        const stop = await fetch(`${proxy.url}/api/import-jobs/${id}`, {
          method: 'DELETE',
          headers: { ...auth(), 'x-backend': `${other}`, 'idempotency-key': `stop-${id}` },
        });
        expect(stop.status).toBe(200);
      }
    }
    expect(progressed).toBeGreaterThanOrEqual(2);
    expect(result).toMatchObject({ status: 'cancelled', error: 'cancelled; nothing was imported' });
    expect(await jobRow(id)).toMatchObject({ status: 'cancelled', cancel_requested: true, attempts: 1 });
    expect(await ledgerRows()).toBe(before);
  }, 120_000);

  it('finishes a job on the other server when the one running it is killed, without duplicate rows', async () => {
    const before = await ledgerRows();
    const { id } = await startImport(0);
    const runner = await runnerOf(id);
    const survivor = 1 - runner;
    process.kill(servers[runner]!.pid, 'SIGKILL');
    const stream = await fetch(`${proxy.url}/api/import-jobs/${id}/events`, {
      headers: { ...auth(), 'x-backend': `${survivor}` },
    });
    let result: { status: string; rows?: number; replayed?: boolean } | undefined;
    for await (const event of events(stream)) if (event.event === 'result') result = event.data;
    expect(result).toMatchObject({ status: 'done', rows: ROWS, replayed: false });
    const row = await jobRow(id);
    expect(row.attempts).toBe(2);
    expect(Number(row.runner!.split(':')[1])).toBe(servers[survivor]!.pid);
    expect(await ledgerRows()).toBe(before + ROWS);
  }, 180_000);

  // After the ledger import above (the lending book then has obligors to simulate), with the server that
  // test killed replaced by a new one.
  it('watches and cancels a simulation started through one server through the other', async () => {
    const alive = servers.findIndex((s) => {
      try {
        process.kill(s.pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    servers.push(await startKeelServer(serverEnv));
    targets.push(servers.at(-1)!.url);
    const [one, other] = [alive, targets.length - 1];
    const started = await fetch(`${proxy.url}/api/credit/portfolio-risk/stream`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', 'x-backend': `${one}` },
      body: JSON.stringify({ pd: 0.02, lgd: 0.4, scenarios: 1_000_000, seed: 9, factorLevel: 'sub_area' }),
    });
    expect(started.status).toBe(200);
    const origin = events(started);
    const first = (await origin.next()).value;
    expect(first).toMatchObject({ event: 'job', data: { kind: 'portfolio_risk' } });
    const id = first?.data.id as string;
    const watch = await fetch(`${proxy.url}/api/jobs/${id}/events`, {
      headers: { ...auth(), 'x-backend': `${other}` },
    });
    expect(watch.headers.get('x-backend')).toBe(`${other}`);
    let progressed = 0;
    let cancelled = false;
    let result: { status: string; error?: string } | undefined;
    for await (const event of events(watch)) {
      if (event.event === 'progress' && event.data.done > 0) progressed++;
      if (event.event === 'result') result = event.data;
      if (!cancelled && progressed >= 1) {
        cancelled = true;
        const stop = await fetch(`${proxy.url}/api/jobs/${id}`, {
          method: 'DELETE',
          headers: { ...auth(), 'x-backend': `${other}`, 'idempotency-key': `stop-${id}` },
        });
        expect(stop.status).toBe(200);
      }
    }
    expect(progressed, JSON.stringify(result)).toBeGreaterThanOrEqual(1);
    expect(result).toMatchObject({ status: 'cancelled', error: 'cancelled; nothing was written' });
    // The stream that started it ends with the cancellation as its failure.
    let last: { event?: string; data: { message?: string } } | undefined;
    for await (const event of origin) last = event;
    expect(last).toMatchObject({ event: 'failure', data: { message: 'cancelled; nothing was written' } });
    expect(await jobRow(id)).toMatchObject({ status: 'cancelled', cancel_requested: true, result: null });
  }, 120_000);
});
