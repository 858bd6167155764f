/**
 * How much of the machine Keel's heavy work may take: the size of each worker pool, how long an idle worker
 * is kept, and how many heavy jobs (projections, optimiser runs, imports, reports, scenario runs, input–output
 * impacts) one user may have running at once. Read from the environment by `keel serve`; the defaults fit
 * the machine Keel runs on. Process-wide, like the worker threads they bound.
 */
import { availableParallelism } from 'node:os';
import { KeelError } from '../domain/errors.ts';

export interface ResourceLimits {
  /** Worker threads simulating Monte Carlo chunks (KEEL_MONTE_CARLO_WORKERS). */
  monteCarloWorkers: number;
  /** Worker threads running HiGHS, one solve each (KEEL_OPTIMISER_WORKERS). */
  optimiserWorkers: number;
  /** Whether large Leontief inverses share their sweeps with a helper thread (KEEL_SWEEP_HELPER=0 turns it off). */
  sweepHelper: boolean;
  /** An idle worker thread stops after this long (KEEL_WORKER_IDLE_MS). */
  workerIdleMs: number;
  /** Heavy jobs one user may run at once; the next is answered 429 (KEEL_HEAVY_JOBS_PER_USER). */
  heavyJobsPerUser: number;
}

export function defaultResourceLimits(cores = availableParallelism()): ResourceLimits {
  return {
    monteCarloWorkers: Math.max(1, Math.min(4, cores)),
    optimiserWorkers: Math.max(1, Math.min(2, Math.floor(cores / 2))),
    sweepHelper: cores > 1,
    workerIdleMs: 30_000,
    heavyJobsPerUser: 16,
  };
}

const ENV: Record<Exclude<keyof ResourceLimits, 'sweepHelper'>, [string, number, number]> = {
  monteCarloWorkers: ['KEEL_MONTE_CARLO_WORKERS', 1, 256],
  optimiserWorkers: ['KEEL_OPTIMISER_WORKERS', 1, 64],
  workerIdleMs: ['KEEL_WORKER_IDLE_MS', 10, 86_400_000],
  heavyJobsPerUser: ['KEEL_HEAVY_JOBS_PER_USER', 1, 10_000],
};

export function resourceLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): ResourceLimits {
  const limits = defaultResourceLimits();
  for (const [key, [name, min, max]] of Object.entries(ENV) as [
    keyof typeof ENV,
    [string, number, number],
  ][]) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new KeelError(
        'invalid_config',
        `${name} must be a whole number from ${min} to ${max}, not "${text}"`,
      );
    limits[key] = value;
  }
  if (env.KEEL_SWEEP_HELPER !== undefined && env.KEEL_SWEEP_HELPER !== '')
    limits.sweepHelper = env.KEEL_SWEEP_HELPER !== '0';
  return limits;
}

let current: ResourceLimits = defaultResourceLimits();
const listeners: ((limits: ResourceLimits) => void)[] = [];

export function resourceLimits(): ResourceLimits {
  return current;
}

/** Sets the limits (serve at start, tests); pools and the job limiter pick them up at once. */
export function configureResources(changes: Partial<ResourceLimits>): ResourceLimits {
  current = { ...current, ...changes };
  for (const listener of listeners) listener(current);
  return current;
}

export function onResourceLimits(listener: (limits: ResourceLimits) => void): void {
  listeners.push(listener);
  listener(current);
}
