import { userInfo } from 'node:os';
import type { Actor, AppContext } from '../app/context.ts';
import { configFromEnv, openKeel } from '../app/open.ts';

/** The local operator owns the data folder (or holds the server's credentials), so acts as an admin. */
export function cliActor(): Actor {
  let login = 'unknown';
  try {
    login = userInfo().username;
  } catch {}
  return { id: `cli:${login}`, role: 'admin' };
}

/** Opens Keel from the environment for one command and always closes it (releasing the folder lock). */
export async function withKeel<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const keel = await openKeel(configFromEnv());
  try {
    return await work(keel);
  } finally {
    await keel.close();
  }
}
