/**
 * HiGHS in worker threads from the optimiser's pool (worker-pool.ts): one solve per thread at a time, each
 * with a time limit and a relative gap, reporting MIP progress and stopping early when its signal aborts.
 * Solves beyond the pool's size wait their turn; idle threads stop after the idle timeout.
 */
import { Worker } from 'node:worker_threads';
import { KeelError } from '../domain/errors.ts';
import type { AllocationModel } from '../domain/optimiser.ts';
import { onResourceLimits } from './resource-limits.ts';
import { WorkerPool } from './worker-pool.ts';

export type SolveStatus = 'optimal' | 'infeasible' | 'time_limit' | 'cancelled' | 'other';

export interface SolveResult {
  status: SolveStatus;
  statusText: string;
  /** Whether a feasible point is at hand (an optimum, or the incumbent when the time ran out). */
  feasible: boolean;
  objective: number;
  /** Column values in the model's column order. */
  columns: Float64Array;
  rowActivity: Float64Array;
  /** Row duals; meaningful for a continuous model (the LP relaxation) only. */
  rowDuals: Float64Array;
  /** Inside the worker: HiGHS taking the arrays and solving. */
  seconds: number;
}

export interface SolveProgress {
  seconds: number;
  /** Best selection found so far (resilience), and the proven bound on the best possible. */
  incumbent: number | null;
  bound: number | null;
  gap: number | null;
}

export interface SolveOptions {
  timeLimitSeconds: number;
  relativeGap: number;
  signal?: AbortSignal | undefined;
  /** Who the solve is for: threads are shared fairly between owners (worker-pool.ts). */
  owner?: string | undefined;
  onProgress?: ((progress: SolveProgress) => void) | undefined;
}

type Reply = { id: number; progress?: SolveProgress; result?: SolveResult; error?: string };

/** HiGHS threads (WebAssembly, loaded once per thread): resourceLimits().optimiserWorkers of them at most. */
const pool = new WorkerPool(
  'optimiser',
  () => new Worker(new URL('./optimiser-worker.mjs', import.meta.url)),
  1,
  30_000,
);
onResourceLimits((limits) => pool.configure({ size: limits.optimiserWorkers, idleMs: limits.workerIdleMs }));
let nextId = 0;

/** Stops the optimiser's threads (tests, shutdown). */
export async function closeOptimiserPool(): Promise<void> {
  await pool.close();
}

const cancelled = () => new KeelError('cancelled', 'the optimisation was cancelled');

/** No columns (no candidates): HiGHS has nothing to solve; each row holds iff 0 lies within its bounds. */
function solveEmpty(model: AllocationModel): SolveResult {
  const holds = model.rowLower.every((lower, r) => lower <= 0 && 0 <= model.rowUpper[r]!);
  return {
    status: holds ? 'optimal' : 'infeasible',
    statusText: 'no candidates',
    feasible: holds,
    objective: 0,
    columns: new Float64Array(0),
    rowActivity: new Float64Array(model.rows.length),
    rowDuals: new Float64Array(model.rows.length),
    seconds: 0,
  };
}

export function solveModel(model: AllocationModel, options: SolveOptions): Promise<SolveResult> {
  if (options.signal?.aborted) return Promise.reject(cancelled());
  if (model.columns.length === 0) return Promise.resolve(solveEmpty(model));
  return pool.use(
    { signal: options.signal, cancelled, owner: options.owner },
    ({ worker: w, discard }) =>
      new Promise<SolveResult>((resolve, reject) => {
        if (options.signal?.aborted) return reject(cancelled());
        const id = nextId++;
        // HiGHS polls this flag between simplex iterations and B&B nodes: a cancelled solve stops within
        // moments and its thread goes back to the pool.
        const cancel = new SharedArrayBuffer(4);
        const onAbort = () => Atomics.store(new Int32Array(cancel), 0, 1);
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const settle = () => {
          w.off('message', onMessage);
          w.off('exit', onExit);
          options.signal?.removeEventListener('abort', onAbort);
        };
        const onMessage = (message: Reply) => {
          if (message.id !== id) return;
          if (message.progress) return options.onProgress?.(message.progress);
          settle();
          if (message.error) {
            // HiGHS may be left in a broken state by a failed solve: the next solve gets a fresh thread.
            discard();
            reject(
              new KeelError('solver_error', `the solver could not read or solve the model: ${message.error}`),
            );
          } else if (message.result?.status === 'cancelled') reject(cancelled());
          else resolve(message.result!);
        };
        const onExit = (code: number) => {
          settle();
          discard();
          reject(
            new KeelError('solver_error', `the solver's worker stopped unexpectedly (exit code ${code})`),
          );
        };
        w.on('message', onMessage);
        w.once('exit', onExit);
        w.postMessage({
          id,
          cancel,
          model: {
            cost: model.cost,
            integer: model.integer,
            starts: model.matrix.starts,
            index: model.matrix.index,
            value: model.matrix.value,
            rowLower: model.rowLower,
            rowUpper: model.rowUpper,
          },
          options: {
            time_limit: options.timeLimitSeconds,
            mip_rel_gap: options.relativeGap,
            // HiGHS' presolve costs far more than it saves on Keel's allocation models (one long budget row,
            // short cap rows, binaries): on bench:optimiser's 10,000 candidates it took the WebAssembly solve
            // from 0.66 s to 3.3 s for the same optimum (and native HiGHS from 0.24 s to 0.64 s).
            presolve: 'off',
          },
        });
      }),
  );
}
