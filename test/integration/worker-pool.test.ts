/**
 * The worker pools' mechanics with real threads: never more than the pool's size, owners take turns, work
 * waiting for a thread can be cancelled, idle threads stop (the sweep helper's too).
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createSweepHelper } from '../../src/app/research/sweep-helper.ts';
import { configureResources, defaultResourceLimits } from '../../src/app/resource-limits.ts';
import { WorkerPool } from '../../src/app/worker-pool.ts';
import { KeelError } from '../../src/domain/errors.ts';

/** A thread that answers each message after `ms` milliseconds of waiting. */
const echo = () =>
  new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (m) => setTimeout(() => parentPort.postMessage(m.value), m.ms));`,
    { eval: true },
  );

function ask(pool: WorkerPool, owner: string, value: string, ms: number, signal?: AbortSignal) {
  return pool.use(
    { owner, signal, cancelled: () => new KeelError('cancelled', 'cancelled') },
    ({ worker }) =>
      new Promise<string>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage({ value, ms });
      }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('worker pool', () => {
  afterEach(() => {
    configureResources(defaultResourceLimits());
  });

  it('runs at most `size` threads, lets owners take turns, drops cancelled waiting work, and stops idle threads', async () => {
    const pool = new WorkerPool('test-echo', echo, 1, 200);
    const order: string[] = [];
    const track = (p: Promise<string>) => p.then((v) => order.push(v));
    const first = track(ask(pool, 'alice', 'a1', 100));
    const rest = [
      track(ask(pool, 'alice', 'a2', 20)),
      track(ask(pool, 'alice', 'a3', 20)),
      track(ask(pool, 'bob', 'b1', 20)),
    ];
    const controller = new AbortController();
    const cancelled = ask(pool, 'alice', 'never', 20, controller.signal);
    expect(pool.stats()).toMatchObject({ size: 1, live: 1, busy: 1, waiting: 4 });
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    expect(pool.stats().waiting).toBe(3);
    await Promise.all([first, ...rest]);
    // Bob waited behind Alice's queue, but gets the thread as soon as Alice's running work ends.
    expect(order).toEqual(['a1', 'b1', 'a2', 'a3']);
    expect(pool.stats()).toMatchObject({ live: 1, busy: 0, waiting: 0 });
    await sleep(400);
    expect(pool.stats().live).toBe(0);
    await pool.close();
  });

  it('a discarded thread is stopped and replaced for the next work', async () => {
    const pool = new WorkerPool('test-discard', echo, 2, 10_000);
    await pool.use({ cancelled: () => new Error('cancelled') }, async ({ discard }) => discard());
    expect(pool.stats()).toMatchObject({ live: 0, busy: 0 });
    expect(await ask(pool, 'alice', 'again', 1)).toBe('again');
    expect(pool.stats().live).toBe(1);
    await pool.close();
  });

  it("stops the Leontief inverse's helper thread after the idle timeout", async () => {
    configureResources({ workerIdleMs: 200, sweepHelper: true });
    const helper = createSweepHelper();
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    helper.readyFor(memory);
    expect(helper.running()).toBe(true);
    await sleep(500);
    expect(helper.running()).toBe(false);
    configureResources({ sweepHelper: false });
    expect(helper.readyFor(memory)).toBe(false);
    expect(helper.running()).toBe(false);
    await helper.close();
  });
});
