/** HiGHS in a worker thread: one persistent worker, one solve at a time, each with a time limit and gap. */
import { Worker } from 'node:worker_threads';
import { KeelError } from '../domain/errors.ts';

export interface Solution {
  Status: string;
  ObjectiveValue: number;
  Columns: Record<string, { Primal: number; Dual?: number }>;
  Rows: Array<{ Primal: number; Dual?: number }>;
}

let worker: Worker | null = null;
let nextId = 0;
let queue: Promise<unknown> = Promise.resolve();

function solverWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./optimiser-worker.mjs', import.meta.url));
    worker.unref();
    worker.on('error', () => {
      worker = null;
    });
  }
  return worker;
}

export function solveLp(
  text: string,
  options: { timeLimitSeconds: number; relativeGap: number },
): Promise<{ solution: Solution; seconds: number }> {
  const run = () =>
    new Promise<{ solution: Solution; seconds: number }>((resolve, reject) => {
      const w = solverWorker();
      const id = nextId++;
      w.ref();
      const onMessage = (message: { id: number; solution?: Solution; seconds: number; error?: string }) => {
        if (message.id !== id) return;
        w.off('message', onMessage);
        w.unref();
        if (message.error)
          reject(
            new KeelError('solver_error', `the solver could not read or solve the model: ${message.error}`),
          );
        else resolve({ solution: message.solution!, seconds: message.seconds });
      };
      w.on('message', onMessage);
      w.postMessage({
        id,
        text,
        options: {
          time_limit: options.timeLimitSeconds,
          mip_rel_gap: options.relativeGap,
          // HiGHS' presolve costs far more than it saves on Keel's allocation models (one long budget row,
          // short cap rows, binaries): on bench:optimiser's 10,000 candidates it took the WebAssembly solve
          // from 0.66 s to 3.3 s for the same optimum (and native HiGHS from 0.24 s to 0.64 s).
          presolve: 'off',
          output_flag: false,
        },
      });
    });
  const result = queue.then(run, run);
  queue = result.catch(() => {});
  return result;
}
