import { KeelError } from '../domain/errors.ts';

/**
 * Work that runs for a request stops when its signal aborts (the client went away): long work checks at
 * each step, so nothing computes, and nothing is written, for a request that has gone.
 */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new KeelError('cancelled', `the ${what} was cancelled`);
}
