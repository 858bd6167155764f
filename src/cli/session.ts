import { userInfo } from 'node:os';
import type { Actor, AppContext } from '../app/context.ts';
import { configFromEnv, openKeel } from '../app/open.ts';

export function cliActor(): Actor {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
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
