/**
 * Worker thread: simulates one chunk of Monte Carlo work (monte-carlo-pool.ts) and hands the arrays back
 * without copying: equity projection paths, or credit portfolio loss scenarios.
 */
import { parentPort } from 'node:worker_threads';
import { simulateFactorLosses } from '../domain/credit/factor-copula.ts';
import { simulateChunk } from '../domain/monte-carlo.ts';
import type { ChunkTask } from './monte-carlo-pool.ts';

parentPort!.on('message', (job: ChunkTask & { id: number }) => {
  if (job.task === 'credit') {
    const losses = simulateFactorLosses(job.spec, job.size, job.seed);
    parentPort!.postMessage({ id: job.id, values: losses }, [losses.buffer] as ArrayBuffer[]);
    return;
  }
  const values = simulateChunk(job.spec, job.seed, job.size)!;
  parentPort!.postMessage({ id: job.id, values }, [
    values.nav.buffer,
    values.contributions.buffer,
    values.distributions.buffer,
    values.paidIn.buffer,
  ] as ArrayBuffer[]);
});
