/**
 * Runs Monte Carlo chunks on the Monte Carlo worker pool (worker-pool.ts; its size is
 * resourceLimits().monteCarloWorkers): the equity projection's paths and the credit portfolio's loss
 * scenarios (monte-carlo-worker.ts picks the simulation by the chunk's task). Threads are kept between runs
 * (loading the TypeScript modules costs more than a small run) and stop after the idle timeout. Chunks of
 * all runs queue for the same threads. On cancellation a chunk waiting for a thread is dropped and a running
 * one has its thread stopped (a chunk is one synchronous loop), so nothing computes for a request that has
 * gone. Chunks have fixed sizes and seeds, so the result is the same whatever the number of threads.
 */
import { setMaxListeners } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { FactorCopulaSpec } from '../domain/credit/factor-copula.ts';
import { KeelError } from '../domain/errors.ts';
import { type ChunkValues, chunkSeed, type MonteCarloSpec } from '../domain/monte-carlo.ts';
import type { Progress } from './context.ts';
import { onResourceLimits } from './resource-limits.ts';
import { WorkerPool } from './worker-pool.ts';

export const CHUNK_PATHS = 10_000;

/** One chunk's work, as posted to a worker. */
export type ChunkTask =
  | { task: 'equity'; spec: MonteCarloSpec; seed: number; size: number }
  | { task: 'credit'; spec: FactorCopulaSpec; seed: number; size: number };

/** What a worker hands back for each task. */
export interface ChunkResult {
  equity: ChunkValues;
  credit: Float64Array;
}

const pool = new WorkerPool(
  'monte-carlo',
  () => new Worker(new URL('./monte-carlo-worker-entry.mjs', import.meta.url)),
  1,
  30_000,
);
onResourceLimits((limits) => pool.configure({ size: limits.monteCarloWorkers, idleMs: limits.workerIdleMs }));

/** Stops the pool's threads (tests, shutdown). */
export async function closeMonteCarloPool(): Promise<void> {
  await pool.close();
}

function runChunk<T extends ChunkTask>(
  job: T & { id: number },
  signal: AbortSignal | undefined,
  owner: string | undefined,
  cancelled: () => Error,
): Promise<ChunkResult[T['task']]> {
  return pool.use({ signal, cancelled, owner }, ({ worker, discard }) => {
    return new Promise<ChunkResult[T['task']]>((resolve, reject) => {
      const settle = () => {
        signal?.removeEventListener('abort', onAbort);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onAbort = () => {
        settle();
        discard();
        reject(cancelled());
      };
      const onError = (error: Error) => {
        settle();
        discard();
        reject(error);
      };
      const onExit = (code: number) =>
        onError(new Error(`a Monte Carlo worker stopped unexpectedly (exit code ${code})`));
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.on('message', (message: { id: number; values: ChunkResult[T['task']] }) => {
        settle();
        resolve(message.values);
      });
      worker.postMessage(job);
    });
  });
}

export interface ChunkRunOptions {
  /** Called with the units (paths, scenarios) done so far and the total, as chunks finish. */
  onProgress?: Progress;
  signal?: AbortSignal | undefined;
  /** A user id: shares the threads fairly between users; see worker-pool.ts. */
  owner?: string;
}

/**
 * Splits `total` units of `task` into chunks of `chunkSize` with seeds derived from (seed, chunk), runs
 * them on the pool and returns each chunk's result in chunk order, with the chunks' sizes.
 */
export async function runTaskChunks<K extends ChunkTask['task']>(
  task: K,
  spec: Extract<ChunkTask, { task: K }>['spec'],
  total: number,
  seed: number,
  chunkSize: number,
  options: ChunkRunOptions & { what: string },
): Promise<{ chunks: ChunkResult[K][]; sizes: number[] }> {
  const cancelled = () => new KeelError('cancelled', `the ${options.what} was cancelled`);
  const sizes = Array.from({ length: Math.ceil(total / chunkSize) }, (_, i) =>
    Math.min(chunkSize, total - i * chunkSize),
  );
  if (options.signal?.aborted) throw cancelled();
  // One failed chunk stops the others: they are cancelled with it rather than left to run for nothing.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  setMaxListeners(sizes.length + 10, signal); // one listener per chunk is expected, not a leak
  let done = 0;
  try {
    const chunks = await Promise.all(
      sizes.map((size, id) =>
        runChunk(
          { task, spec, seed: chunkSeed(seed, id), size, id } as Extract<ChunkTask, { task: K }> & {
            id: number;
          },
          signal,
          options.owner,
          cancelled,
        ).then((values) => {
          done += size;
          options.onProgress?.(done, total);
          return values as ChunkResult[K];
        }),
      ),
    );
    return { chunks, sizes };
  } catch (error) {
    stop.abort();
    throw error;
  }
}

/** The equity projection's paths in chunks of CHUNK_PATHS. */
export function runChunks(
  spec: MonteCarloSpec,
  paths: number,
  seed: number,
  options: ChunkRunOptions = {},
): Promise<{ chunks: ChunkValues[]; sizes: number[] }> {
  return runTaskChunks('equity', spec, paths, seed, CHUNK_PATHS, { ...options, what: 'projection' });
}
