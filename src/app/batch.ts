import type { Progress } from './context.ts';

/** How a batch names its rows in errors: `line 73421` for a file, `entry 3` otherwise. */
export type RowLabel = (index: number) => string;
export const entryLabel: RowLabel = (index) => `entry ${index + 1}`;

export interface BatchOptions {
  label?: RowLabel;
  onProgress?: Progress;
  signal?: AbortSignal;
}

export function* chunks<T>(items: readonly T[], size: number): Generator<{ items: T[]; end: number }> {
  for (let start = 0; start < items.length; start += size) {
    const slice = items.slice(start, start + size);
    yield { items: slice, end: start + slice.length };
  }
}

/** The first index of a value that appeared earlier in the list, or -1. */
export function firstDuplicate(values: readonly string[]): number {
  const seen = new Set<string>();
  for (let index = 0; index < values.length; index++) {
    if (seen.has(values[index]!)) return index;
    seen.add(values[index]!);
  }
  return -1;
}

/**
 * A turn for the event loop once `ms` have passed since the last: long CPU work over a large batch (a
 * 150,000-row import's checks) lets other requests be answered meanwhile.
 */
export function turnsEvery(ms: number): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < ms) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}
