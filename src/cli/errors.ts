import { KeelError } from '../domain/errors.ts';
import { err } from './io.ts';

/** A command line that does not parse: exit code 2, like most Unix tools. */
export class UsageError extends Error {}

/** Turns any failure into one clear line on stderr and an exit code. */
export function reportFailure(error: unknown): number {
  if (error instanceof UsageError) {
    err(`keel: ${error.message}\nRun \`keel help\` for the commands.\n`);
    return 2;
  }
  if (error instanceof KeelError) {
    err(`keel: ${error.message}\n`);
    return 1;
  }
  const name = (error as Error)?.name;
  if (name === 'AbortError' || (error as Error)?.message === 'cancelled by the user') {
    err('keel: cancelled; nothing was written\n');
    return 130;
  }
  const code = (error as { code?: string })?.code;
  if (code === 'ECONNREFUSED') {
    err(`keel: cannot reach the PostgreSQL server in DATABASE_URL (${(error as Error).message})\n`);
    return 1;
  }
  err(`keel: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 70;
}
