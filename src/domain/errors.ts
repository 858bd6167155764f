/**
 * Input broke a rule: `code` is stable (tests, API error bodies, exit codes), `message` is one sentence a
 * person can act on. These are never bugs; bugs fail `invariant` instead.
 */
export class KeelError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'KeelError';
  }
}

/** An internal invariant: if it fails, Keel has a bug, and it stops rather than write something wrong. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${message}`);
}
