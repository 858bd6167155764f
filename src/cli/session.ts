import { userInfo } from 'node:os';
import type { Actor, AppContext } from '../app/context.ts';
import { configFromEnv, openKeel } from '../app/open.ts';
import { hosted } from './io.ts';

/** The local operator owns the data folder (or holds the server's credentials), so acts as an admin. */
export function cliActor(): Actor {
  let login = 'unknown';
  try {
    login = userInfo().username;
  } catch {}
  return { id: `cli:${login}`, role: 'admin' };
}

/**
 * Opens Keel from the environment for one command and always closes it (releasing the folder lock). A command
 * that a running server runs for a caller uses the server's open database instead, and leaves it open.
 */
export async function withKeel<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const io = hosted();
  if (io) return work(io.ctx);
  const keel = await openKeel(configFromEnv());
  try {
    return await work(keel);
  } finally {
    await keel.close();
  }
}
