import { KeelError } from '../domain/errors.ts';

/** A command line that does not parse: exit code 2, like most Unix tools. */
export class UsageError extends Error {}

/** Turns any failure into one clear line on stderr and an exit code. */
export function reportFailure(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`keel: ${error.message}\nRun \`keel help\` for the commands.\n`);
    return 2;
  }
  if (error instanceof KeelError) {
    process.stderr.write(`keel: ${error.message}\n`);
    return 1;
  }
  const name = (error as Error)?.name;
  if (name === 'AbortError' || (error as Error)?.message === 'cancelled by the user') {
    process.stderr.write('keel: cancelled; nothing was written\n');
    return 130;
  }
  const code = (error as { code?: string })?.code;
  if (code === 'ECONNREFUSED') {
    process.stderr.write(
      `keel: cannot reach the PostgreSQL server in DATABASE_URL (${(error as Error).message})\n`,
    );
    return 1;
  }
  process.stderr.write(`keel: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 70;
}
