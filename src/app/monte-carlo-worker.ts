/** Worker thread: simulates one chunk of Monte Carlo paths and hands the arrays back without copying. */
import { parentPort } from 'node:worker_threads';
import { type MonteCarloSpec, simulateChunk } from '../domain/monte-carlo.ts';

parentPort!.on('message', (job: { spec: MonteCarloSpec; seed: number; paths: number; id: number }) => {
  const values = simulateChunk(job.spec, job.seed, job.paths)!;
  parentPort!.postMessage({ id: job.id, values }, [
    values.nav.buffer,
    values.contributions.buffer,
    values.distributions.buffer,
    values.paidIn.buffer,
  ] as ArrayBuffer[]);
});
