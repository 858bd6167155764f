import { openDatabase } from '../db/connect.ts';
import { listenForCredentialChanges } from '../db/credential-notices.ts';
import type { KeelConfig } from './config.ts';
import type { AppContext } from './context.ts';
import { TokenCache } from './token-cache.ts';

export { configFromEnv, type KeelConfig } from './config.ts';

export async function openKeel(
  config: KeelConfig,
  options: {
    poolSize?: number;
    /**
     * On a PostgreSQL server, cache resolved API tokens while listening for the database's notices of
     * changes (app/token-cache.ts): what `keel serve` does. Off by default, so that a command or a test that
     * changes a token through another connection sees the change at once. The embedded database always
     * caches: this process is its only writer.
     */
    cacheTokens?: boolean;
  } = {},
): Promise<AppContext & { close(): Promise<void> }> {
  const { cacheTokens, ...open } = options;
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...open,
  });
  if (database.kind === 'pglite')
    return { ...context(config, database, new TokenCache()), close: () => database.close() };
  if (!cacheTokens || !config.databaseUrl)
    return { ...context(config, database, undefined), close: () => database.close() };
  const cache = new TokenCache({ trusted: false });
  const notices = listenForCredentialChanges(config.databaseUrl, {
    changed: () => cache.forget(),
    watching: (on) => cache.setTrusted(on),
  });
  await notices.started;
  return {
    ...context(config, database, cache),
    async close() {
      await notices.close();
      await database.close();
    },
  };
}

const context = (
  config: KeelConfig,
  database: AppContext['database'],
  tokenCache: TokenCache | undefined,
): AppContext => ({
  database,
  auditKeyFile: config.auditKeyFile,
  mail: config.mail,
  secretKey: config.secretKey,
  secretKeyFile: config.secretKeyFile,
  sso: config.sso,
  tokenCache,
});
