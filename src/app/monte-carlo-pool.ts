/**
 * Runs Monte Carlo chunks on a pool of worker threads (one per core, at most 4), created on first use and
 * kept for the next projection (loading the TypeScript modules costs more than a small projection).
 * Reports progress per finished chunk; on cancellation the busy workers are terminated and replaced later.
 * Chunks have fixed sizes and seeds, so the result is the same whatever the number of workers.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { KeelError } from '../domain/errors.ts';
import { type ChunkValues, chunkSeed, type MonteCarloSpec } from '../domain/monte-carlo.ts';
import type { Progress } from './context.ts';

export const CHUNK_PATHS = 10_000;
const POOL_SIZE = Math.max(1, Math.min(4, availableParallelism()));

let idle: Worker[] = [];

function takeWorkers(count: number): Worker[] {
  const taken = idle.splice(0, count);
  while (taken.length < count) {
    const worker = new Worker(new URL('./monte-carlo-worker-entry.mjs', import.meta.url));
    worker.unref(); // an idle pool never keeps the process alive
    taken.push(worker);
  }
  return taken;
}

function returnWorkers(workers: Worker[]): void {
  for (const worker of workers) worker.removeAllListeners('message').removeAllListeners('error');
  idle.push(...workers);
}

/** Stops the pool (tests, shutdown). */
export async function closeMonteCarloPool(): Promise<void> {
  const workers = idle;
  idle = [];
  await Promise.all(workers.map((w) => w.terminate()));
}

export async function runChunks(
  spec: MonteCarloSpec,
  paths: number,
  seed: number,
  options: { onProgress?: Progress; signal?: AbortSignal } = {},
): Promise<{ chunks: ChunkValues[]; sizes: number[] }> {
  const sizes = Array.from({ length: Math.ceil(paths / CHUNK_PATHS) }, (_, i) =>
    Math.min(CHUNK_PATHS, paths - i * CHUNK_PATHS),
  );
  const chunks: ChunkValues[] = new Array(sizes.length);
  if (options.signal?.aborted) throw new KeelError('cancelled', 'the projection was cancelled');
  const workers = takeWorkers(Math.min(POOL_SIZE, sizes.length));
  let next = 0;
  let done = 0;
  let failed = false;
  try {
    await new Promise<void>((resolve, reject) => {
      options.signal?.addEventListener(
        'abort',
        () => reject(new KeelError('cancelled', 'the projection was cancelled')),
        { once: true },
      );
      const feed = (worker: Worker) => {
        if (next >= sizes.length) return;
        const id = next++;
        worker.postMessage({ spec, seed: chunkSeed(seed, id), paths: sizes[id], id });
      };
      for (const worker of workers) {
        worker.ref(); // busy workers keep the process alive until the projection ends
        worker.on('error', reject);
        worker.on('message', (message: { id: number; values: ChunkValues }) => {
          chunks[message.id] = message.values;
          done++;
          options.onProgress?.(Math.min(paths, done * CHUNK_PATHS), paths);
          if (done === sizes.length) resolve();
          else feed(worker);
        });
        feed(worker);
      }
    });
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    for (const worker of workers) worker.unref();
    if (failed) await Promise.all(workers.map((w) => w.terminate()));
    else returnWorkers(workers);
  }
  return { chunks, sizes };
}
