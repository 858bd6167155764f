/**
 * Runs Monte Carlo chunks on worker threads (one per core, at most 4), reports progress per finished chunk,
 * and stops every worker on cancellation. Chunks have fixed sizes and seeds, so the result is the same
 * whatever the number of workers.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { KeelError } from '../domain/errors.ts';
import { type ChunkValues, chunkSeed, type MonteCarloSpec } from '../domain/monte-carlo.ts';
import type { Progress } from './context.ts';

export const CHUNK_PATHS = 10_000;

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
  const workerCount = Math.max(1, Math.min(4, availableParallelism(), sizes.length));
  const workers = Array.from(
    { length: workerCount },
    () => new Worker(new URL('./monte-carlo-worker-entry.mjs', import.meta.url)),
  );
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const stop = () => reject(new KeelError('cancelled', 'the projection was cancelled'));
      if (options.signal?.aborted) return stop();
      options.signal?.addEventListener('abort', stop, { once: true });
      const feed = (worker: Worker) => {
        if (next >= sizes.length) return;
        const id = next++;
        worker.postMessage({ spec, seed: chunkSeed(seed, id), paths: sizes[id], id });
      };
      for (const worker of workers) {
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
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { chunks, sizes };
}
