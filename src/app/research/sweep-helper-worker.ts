// The helper thread of the Leontief inverse: waits on the control block for jobs, runs their tiles with
// its own instance of the SIMD kernel over the shared memory, and says done. Between jobs it returns to
// its event loop now and then, which is when a new memory (a larger matrix) arrives.
import { parentPort } from 'node:worker_threads';
import { type SweepJob, sweepTiles } from '../../domain/research/inverse.ts';
import { kernelOn, type SimdKernel } from '../../domain/research/simd-kernel.ts';
import { CONTROL } from './sweep-helper.ts';

let control: Int32Array | null = null;
let kernel: SimdKernel | null = null;
let looping = false;
const SPIN = 20_000;

parentPort?.on(
  'message',
  (message: { control?: SharedArrayBuffer; memory?: WebAssembly.Memory; generation?: number }) => {
    if (message.control) control = new Int32Array(message.control);
    if (message.memory && control) {
      kernel = kernelOn(message.memory);
      if (kernel) Atomics.store(control, CONTROL.attached, message.generation ?? 0);
    }
    if (!looping && control) {
      looping = true;
      void serve(control);
    }
  },
);

async function serve(control: Int32Array) {
  let seen = Atomics.load(control, CONTROL.seq);
  for (;;) {
    // The next job of an inverse comes within a millisecond: watching for it costs less than waking up.
    for (let spin = 0; spin < SPIN && Atomics.load(control, CONTROL.seq) === seen; spin++);
    if (Atomics.wait(control, CONTROL.seq, seen, 50) === 'timed-out') {
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    seen = Atomics.load(control, CONTROL.seq);
    const job: SweepJob = {
      N: control[CONTROL.N]!,
      kb: control[CONTROL.kb]!,
      k0: control[CONTROL.k0]!,
      W: control[CONTROL.W]!,
      X: control[CONTROL.X]!,
      fromTile: control[CONTROL.fromTile]!,
      toTile: control[CONTROL.toTile]!,
    };
    // Without a kernel there is no honest answer: staying silent makes the caller fail loudly.
    if (!kernel) continue;
    sweepTiles(kernel, job);
    Atomics.store(control, CONTROL.done, seen);
    Atomics.notify(control, CONTROL.done);
  }
}
