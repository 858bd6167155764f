/**
 * Runs Monte Carlo chunks on the Monte Carlo worker pool (worker-pool.ts; its size is
 * resourceLimits().monteCarloWorkers). Threads are kept between projections (loading the TypeScript
 * modules costs more than a small projection) and stop after the idle timeout. Chunks of all projections
 * queue for the same threads. On cancellation a chunk waiting for a thread is dropped and a running one has
 * its thread stopped (a chunk is one synchronous loop), so nothing computes for a request that has gone.
 * Chunks have fixed sizes and seeds, so the result is the same whatever the number of threads.
 */
import { setMaxListeners } from 'node:events';
import { Worker } from 'node:worker_threads';
import { KeelError } from '../domain/errors.ts';
import { type ChunkValues, chunkSeed, type MonteCarloSpec } from '../domain/monte-carlo.ts';
import type { Progress } from './context.ts';
import { onResourceLimits } from './resource-limits.ts';
import { WorkerPool } from './worker-pool.ts';

export const CHUNK_PATHS = 10_000;

const pool = new WorkerPool(
  'monte-carlo',
  () => new Worker(new URL('./monte-carlo-worker-entry.mjs', import.meta.url)),
  1,
  30_000,
);
onResourceLimits((limits) => pool.configure({ size: limits.monteCarloWorkers, idleMs: limits.workerIdleMs }));

const cancelled = () => new KeelError('cancelled', 'the projection was cancelled');

/** Stops the pool's threads (tests, shutdown). */
export async function closeMonteCarloPool(): Promise<void> {
  await pool.close();
}

function runChunk(
  spec: MonteCarloSpec,
  job: { seed: number; paths: number; id: number },
  signal: AbortSignal | undefined,
  owner: string | undefined,
): Promise<ChunkValues> {
  return pool.use({ signal, cancelled, owner }, ({ worker, discard }) => {
    return new Promise<ChunkValues>((resolve, reject) => {
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
      worker.on('message', (message: { id: number; values: ChunkValues }) => {
        settle();
        resolve(message.values);
      });
      worker.postMessage({ spec, ...job });
    });
  });
}

export async function runChunks(
  spec: MonteCarloSpec,
  paths: number,
  seed: number,
  /** `owner` (a user id) shares the threads fairly between users; see worker-pool.ts. */
  options: { onProgress?: Progress; signal?: AbortSignal | undefined; owner?: string } = {},
): Promise<{ chunks: ChunkValues[]; sizes: number[] }> {
  const sizes = Array.from({ length: Math.ceil(paths / CHUNK_PATHS) }, (_, i) =>
    Math.min(CHUNK_PATHS, paths - i * CHUNK_PATHS),
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
        runChunk(spec, { seed: chunkSeed(seed, id), paths: size, id }, signal, options.owner).then(
          (values) => {
            done++;
            options.onProgress?.(Math.min(paths, done * CHUNK_PATHS), paths);
            return values;
          },
        ),
      ),
    );
    return { chunks, sizes };
  } catch (error) {
    stop.abort();
    throw error;
  }
}
