import { resolve } from 'node:path';
import { openDatabase } from '../db/connect.ts';
import type { AppContext } from './context.ts';

export interface KeelConfig {
  databaseUrl?: string | undefined;
  dataDir: string;
}

/** Configuration from the environment: DATABASE_URL selects a server, else KEEL_DATA (default ./keel-data). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): KeelConfig {
  return { databaseUrl: env.DATABASE_URL || undefined, dataDir: resolve(env.KEEL_DATA || './keel-data') };
}

export async function openKeel(
  config: KeelConfig,
  options: { poolSize?: number } = {},
): Promise<AppContext & { close(): Promise<void> }> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...options,
  });
  return { database, close: () => database.close() };
}
