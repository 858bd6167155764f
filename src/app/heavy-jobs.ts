/**
 * How many heavy jobs (projections, optimiser runs, imports, reports, scenario runs, input–output impacts)
 * each user has running, and the limit that keeps one user from taking the machine: the job after
 * resourceLimits().heavyJobsPerUser is refused with `too_many_jobs` (HTTP 429 with Retry-After) while other
 * users are served. Counted in this process for the work answered within a request; durable jobs (imports,
 * streamed projections, optimiser runs and risk simulations), which run on any server of the database, are
 * counted as open rows of every kind across the queue, together with this count (jobs/use-cases.ts).
 */
import { KeelError } from '../domain/errors.ts';
import type { Actor } from './context.ts';
import { resourceLimits } from './resource-limits.ts';

/** What a refused client is told to wait: about one short job's time. */
export const RETRY_AFTER_SECONDS = 5;

const running = new Map<string, number>();

/** The refusal of a heavy job past the limit (also of an import past it across the queue: import-jobs.ts). */
export function tooManyJobs(count: number, limit: number): KeelError {
  return new KeelError(
    'too_many_jobs',
    `you already have ${count} heavy jobs running (the limit is ${limit}); wait for one to finish`,
    { limit, retryAfterSeconds: RETRY_AFTER_SECONDS },
  );
}

export interface JobSlot {
  /** Gives the slot back; a second call does nothing. */
  release(): void;
}

/** Takes one of the actor's job slots, or refuses when all are in use. */
export function takeJobSlot(actor: Actor): JobSlot {
  const limit = resourceLimits().heavyJobsPerUser;
  const count = running.get(actor.id) ?? 0;
  if (count >= limit) throw tooManyJobs(count, limit);
  running.set(actor.id, count + 1);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const left = (running.get(actor.id) ?? 1) - 1;
      if (left > 0) running.set(actor.id, left);
      else running.delete(actor.id);
    },
  };
}

/** Heavy jobs the user has running now. */
export function runningJobs(userId: string): number {
  return running.get(userId) ?? 0;
}
