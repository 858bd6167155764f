/**
 * Every integration test runs on both databases: PGlite (embedded) and, when DATABASE_URL is set, a fresh
 * PostgreSQL database created for the test file and dropped after it. Without DATABASE_URL the PostgreSQL
 * half is reported as skipped, not silently absent.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { initKeel } from '../../src/app/init.ts';
import { type KeelConfig, openKeel } from '../../src/app/open.ts';
import { testAdmin } from '../principals.ts';
import { createServerDatabase } from '../support/server-database.ts';

export type Backend = 'pglite' | 'postgres';
export const SERVER_URL = process.env.DATABASE_URL;

export function describeOnBackends(title: string, body: (backend: Backend) => void): void {
  for (const backend of ['pglite', 'postgres'] as const) {
    describe.skipIf(backend === 'postgres' && !SERVER_URL)(`${title} [${backend}]`, () => body(backend));
  }
}

export interface TestKeel extends AppContext {
  config: KeelConfig;
  /** Environment for a child `keel` process on the same database. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
  /** Closes the connection but keeps the data, so a test can reopen it. */
  closeConnection(): Promise<void>;
  reopen(): Promise<TestKeel>;
}

/** A database of its own, migrated, with the reference taxonomy and programme (no reference deals). */
export async function freshKeel(
  backend: Backend,
  options: { poolSize?: number; init?: boolean } = {},
): Promise<TestKeel> {
  let config: KeelConfig;
  let drop: () => Promise<void>;
  if (backend === 'postgres') {
    const database = await createServerDatabase(SERVER_URL!, 'keel_test');
    const keys = mkdtempSync(join(tmpdir(), 'keel-test-keys-'));
    config = {
      databaseUrl: database.url,
      dataDir: '',
      secretKeyFile: join(keys, 'secret-key'),
      auditKeyFile: join(keys, 'audit-key.pem'),
    };
    drop = async () => {
      await database.drop();
      rmSync(keys, { recursive: true, force: true });
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'keel-test-'));
    // Beside the data folder, as `keel serve` keeps them.
    config = {
      dataDir: join(dir, 'data'),
      secretKeyFile: join(dir, 'data.secret-key'),
      auditKeyFile: join(dir, 'data.audit-key.pem'),
    };
    drop = async () => rmSync(dir, { recursive: true, force: true });
  }
  const open = async (): Promise<TestKeel> => {
    const keel = await openKeel(config, options.poolSize ? { poolSize: options.poolSize } : {});
    const { DATABASE_URL: _server, ...inherited } = process.env;
    const env: NodeJS.ProcessEnv = config.databaseUrl
      ? { ...inherited, DATABASE_URL: config.databaseUrl }
      : { ...inherited, KEEL_DATA: config.dataDir };
    return {
      ...keel,
      config,
      env,
      closeConnection: () => keel.close(),
      close: async () => {
        await keel.close();
        await drop();
      },
      reopen: open,
    };
  };
  const keel = await open();
  if (options.init !== false) await initKeel(keel, testAdmin, { withReferenceDeals: false });
  return keel;
}
