import { readFileSync } from 'node:fs';
import { UsageError } from './errors.ts';
import { hosted } from './io.ts';

/**
 * The password comes from KEEL_PASSWORD or the first line of stdin, never from argv (it would show in `ps`).
 * A server running the command for a caller gets the one the caller read.
 */
export function readPassword(): string {
  const io = hosted();
  if (io) {
    if (io.password === undefined) throw new UsageError('set KEEL_PASSWORD or pipe the password on stdin');
    return io.password;
  }
  if (process.env.KEEL_PASSWORD) return process.env.KEEL_PASSWORD;
  if (process.stdin.isTTY) throw new UsageError('set KEEL_PASSWORD or pipe the password on stdin');
  return readFileSync(0, 'utf8').split(/\r?\n/, 1)[0] ?? '';
}
