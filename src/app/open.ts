import { openDatabase } from '../db/connect.ts';
import type { KeelConfig } from './config.ts';
import type { AppContext } from './context.ts';
import { TokenCache } from './token-cache.ts';

export { configFromEnv, type KeelConfig } from './config.ts';

export async function openKeel(
  config: KeelConfig,
  options: { poolSize?: number } = {},
): Promise<AppContext & { close(): Promise<void> }> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...options,
  });
  return {
    database,
    auditKeyFile: config.auditKeyFile,
    mail: config.mail,
    tokenCache: database.kind === 'pglite' ? new TokenCache() : undefined,
    close: () => database.close(),
  };
}
