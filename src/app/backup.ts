/**
 * Backup and restore of a whole Keel database, in either mode: the embedded folder's PGlite dump or a
 * server's pg_dump. A backup is written beside its target and renamed into place only when complete, so a
 * failed backup never leaves a truncated file that looks like one. A restore replaces nothing without
 * `force`, and is checked afterwards by walking the audit chain of the restored database.
 */
import {
  closeSync,
  existsSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dumpEmbedded, restoreEmbedded } from '../db/backup-embedded.ts';
import { dumpServer, restoreServer } from '../db/backup-server.ts';
import { KeelError } from '../domain/errors.ts';
import { type AuditVerdict, verifyAudit } from './audit.ts';
import type { Actor } from './context.ts';
import { type KeelConfig, openKeel } from './open.ts';

export type BackupKind = 'pglite' | 'postgres';

/** The first bytes say which kind of backup a file is: gzip (PGlite's tar.gz) or pg_dump's "PGDMP". */
export function backupKindOf(file: string): BackupKind | null {
  const head = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  if (head.toString('latin1') === 'PGDMP') return 'postgres';
  return null;
}

const kindOf = (config: KeelConfig): BackupKind => (config.databaseUrl ? 'postgres' : 'pglite');

export async function backupKeel(
  config: KeelConfig,
  file: string,
  options: { force: boolean },
): Promise<{ kind: BackupKind; bytes: number }> {
  if (existsSync(file) && statSync(file).size > 0 && !options.force)
    throw new KeelError('backup_target_not_empty', `${file} already exists; overwrite it only with --force`);
  const partial = `${file}.partial`;
  try {
    if (config.databaseUrl) await dumpServer(config.databaseUrl, partial);
    else writeFileSync(partial, await dumpEmbedded(config.dataDir));
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return { kind: kindOf(config), bytes: statSync(file).size };
}

export async function restoreKeel(
  config: KeelConfig,
  file: string,
  actor: Actor,
  options: { force: boolean },
): Promise<AuditVerdict> {
  if (!existsSync(file)) throw new KeelError('backup_unreadable', `${file} does not exist`);
  const kind = backupKindOf(file);
  if (kind === null) throw new KeelError('backup_unreadable', `${file} is not a Keel backup`);
  if (kind !== kindOf(config))
    throw new KeelError(
      'backup_unreadable',
      `${file} is a backup of ${kind === 'pglite' ? 'an embedded (PGlite) database' : 'a PostgreSQL server database'}; restore it in the same mode`,
    );
  if (config.databaseUrl) await restoreServer(config.databaseUrl, file, options.force);
  else await restoreEmbedded(config.dataDir, file, options.force);
  // Opening migrates a backup of an older Keel forward; the audit walk then proves the data is whole.
  const keel = await openKeel(config);
  try {
    return await verifyAudit(keel, actor);
  } finally {
    await keel.close();
  }
}
