/**
 * Backups of the embedded database: PGlite's own data-directory dump (a gzipped tar of pgdata), taken while
 * Keel holds the data-folder lock, so no other Keel process writes during the dump. A restore unpacks the
 * dump into a fresh folder beside pgdata and swaps it in only once PGlite has opened it, so a bad file
 * leaves the current database untouched.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { KeelError } from '../domain/errors.ts';
import { lockDataFolder } from './data-folder-lock.ts';
import { PGLITE_EXTENSIONS } from './pglite-extensions.ts';

const PGDATA = 'pgdata';

export function embeddedDatabaseExists(dataDir: string): boolean {
  const pgdata = join(dataDir, PGDATA);
  return existsSync(pgdata) && readdirSync(pgdata).length > 0;
}

/** The dump of the data folder's database, as the bytes of a .tar.gz file. */
export async function dumpEmbedded(dataDir: string): Promise<Uint8Array> {
  refuseInMemory(dataDir);
  const lock = lockDataFolder(dataDir);
  try {
    if (!embeddedDatabaseExists(dataDir))
      throw new KeelError('not_initialised', `there is no Keel database in ${dataDir} to back up`);
    const pglite = new PGlite(join(dataDir, PGDATA), { extensions: PGLITE_EXTENSIONS });
    try {
      await pglite.waitReady;
      // Flush everything to the data files, so the dump does not rely on replaying the WAL.
      await pglite.exec('CHECKPOINT');
      const dump = await pglite.dumpDataDir('gzip');
      return new Uint8Array(await dump.arrayBuffer());
    } finally {
      await pglite.close();
    }
  } finally {
    lock.release();
  }
}

/** Replaces (or creates) the data folder's database with the dump in `file`. */
export async function restoreEmbedded(dataDir: string, file: string, force: boolean): Promise<void> {
  refuseInMemory(dataDir);
  const lock = lockDataFolder(dataDir);
  const staging = join(dataDir, `${PGDATA}.restoring`);
  try {
    if (embeddedDatabaseExists(dataDir) && !force) throw targetNotEmpty(dataDir);
    rmSync(staging, { recursive: true, force: true });
    const pglite = new PGlite(staging, {
      loadDataDir: new Blob([readFileSync(file)]),
      extensions: PGLITE_EXTENSIONS,
    });
    try {
      await pglite.waitReady;
      await pglite.query('SELECT 1');
    } catch (error) {
      throw new KeelError('backup_unreadable', `${file} is not a Keel backup PGlite can open`, {
        reason: (error as Error).message,
      });
    } finally {
      await pglite.close().catch(() => {});
    }
    const current = join(dataDir, PGDATA);
    const old = join(dataDir, `${PGDATA}.replaced-${Date.now()}`);
    if (existsSync(current)) renameSync(current, old);
    renameSync(staging, current);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
    lock.release();
  }
}

export function targetNotEmpty(location: string): KeelError {
  return new KeelError(
    'restore_target_not_empty',
    `${location} already holds a Keel database; restore onto it only with --force (its data is replaced)`,
  );
}

function refuseInMemory(dataDir: string): void {
  if (dataDir.startsWith('memory://'))
    throw new KeelError('backup_unavailable', 'an in-memory database has no folder to back up or restore');
}
