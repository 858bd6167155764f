/**
 * The Leontief inverse's helper thread (see SweepHelper in domain/research/io.ts): one worker, created on
 * first use, that runs half of each sweep's row phase on the same shared WebAssembly memory. Jobs go
 * through a small shared control block with Atomics, not messages: a sweep hands over work dozens of
 * times per inverse and a message round trip would cost more than the tiles. Memories go by message.
 * The thread stops after resourceLimits().workerIdleMs without an inverse (an idle helper still wakes to
 * watch its control block), and is not used at all when resourceLimits().sweepHelper is off.
 */
import { Worker } from 'node:worker_threads';
import { invariant } from '../../domain/errors.ts';
import type { SweepHelper, SweepJob } from '../../domain/research/inverse.ts';
import { resourceLimits } from '../resource-limits.ts';

/** Control block layout (Int32Array indices), shared with sweep-helper-worker.ts. */
export const CONTROL = {
  seq: 0,
  done: 1,
  attached: 2,
  N: 3,
  kb: 4,
  k0: 5,
  W: 6,
  X: 7,
  fromTile: 8,
  toTile: 9,
  size: 10,
} as const;

/** How long the caller waits for a job before it calls the helper dead. */
const ANSWER_WITHIN_MS = 5_000;

export function createSweepHelper(
  answerWithinMs = ANSWER_WITHIN_MS,
): SweepHelper & { close(): Promise<void>; running(): boolean } {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL.size * 4));
  let worker: Worker | null = null;
  let posted: WebAssembly.Memory | null = null;
  let generation = 0;
  let seq = 0;
  let idleTimer: NodeJS.Timeout | null = null;
  const stop = () => {
    void worker?.terminate();
    worker = null;
    posted = null;
  };
  // An inverse runs synchronously, so this timer can only fire between inverses.
  const stopWhenIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(stop, resourceLimits().workerIdleMs);
    idleTimer.unref();
  };

  return {
    readyFor(memory) {
      if (!resourceLimits().sweepHelper) return false;
      stopWhenIdle();
      if (!worker) {
        worker = new Worker(new URL('./sweep-helper-worker-entry.mjs', import.meta.url));
        worker.unref(); // never keeps the process alive
        worker.on('error', () => {
          worker = null;
          posted = null;
        });
        worker.postMessage({ control: control.buffer });
      }
      if (posted !== memory) {
        posted = memory;
        generation++;
        worker.postMessage({ memory, generation });
        return false;
      }
      return Atomics.load(control, CONTROL.attached) === generation;
    },
    start(job: SweepJob) {
      for (const key of ['N', 'kb', 'k0', 'W', 'X', 'fromTile', 'toTile'] as const)
        control[CONTROL[key]] = job[key];
      seq++;
      Atomics.store(control, CONTROL.seq, seq);
      Atomics.notify(control, CONTROL.seq);
    },
    finish() {
      for (;;) {
        const done = Atomics.load(control, CONTROL.done);
        if (done === seq) return;
        if (Atomics.wait(control, CONTROL.done, done, answerWithinMs) === 'timed-out') {
          const stopped = Atomics.load(control, CONTROL.done) !== seq;
          if (stopped) {
            void worker?.terminate();
            worker = null;
            posted = null;
          }
          invariant(
            !stopped,
            `the inverse's helper thread did not finish its rows within ${answerWithinMs} ms`,
          );
        }
      }
    },
    running: () => worker !== null,
    async close() {
      if (idleTimer) clearTimeout(idleTimer);
      await worker?.terminate();
      worker = null;
      posted = null;
    },
  };
}
