/**
 * Where a command's output goes, where its relative paths start and which database it uses. Usually this
 * process's own. When a running Keel server runs a command for a `keel` started beside it (see handover-*.ts),
 * the same command code runs inside the server with the caller's working folder and password, writing to the
 * caller's connection instead of the server's stdout, on the server's open database.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { resolve } from 'node:path';
import type { AppContext } from '../app/context.ts';

export interface HostedIo {
  out(text: string): void;
  err(text: string): void;
  /** The caller's working folder: file arguments are the caller's, not the server's. */
  cwd: string;
  /** The password the caller read (KEEL_PASSWORD or stdin) for `keel user add`. */
  password?: string | undefined;
  /** Aborted when the caller goes away (its Ctrl-C closes the connection). */
  signal: AbortSignal;
  /** The server's open database, shared with its API. */
  ctx: AppContext;
}

const hostedIo = new AsyncLocalStorage<HostedIo>();

/** Runs `work` (one CLI command) with its I/O bound to `io`. */
export function runHosted<T>(io: HostedIo, work: () => Promise<T>): Promise<T> {
  return hostedIo.run(io, work);
}

/** The caller's I/O when a server runs this command for it; undefined when the command runs in its own process. */
export const hosted = (): HostedIo | undefined => hostedIo.getStore();

export function out(text: string): void {
  const io = hostedIo.getStore();
  if (io) io.out(text);
  else process.stdout.write(text);
}

export function err(text: string): void {
  const io = hostedIo.getStore();
  if (io) io.err(text);
  else process.stderr.write(text);
}

/** A file argument as an absolute path, relative to the caller's working folder. */
export function callerPath(file: string): string {
  return resolve(hostedIo.getStore()?.cwd ?? process.cwd(), file);
}
