import { resolve } from 'node:path';
import { backupKeel, restoreKeel } from '../../app/backup.ts';
import { configFromEnv } from '../../app/open.ts';
import { UsageError } from '../errors.ts';
import { err, out } from '../io.ts';
import { cliActor } from '../session.ts';

const where = (config: ReturnType<typeof configFromEnv>) =>
  config.databaseUrl ? 'the PostgreSQL server in DATABASE_URL' : config.dataDir;

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

export async function backupCommand(file: string | undefined, options: { force: boolean }): Promise<number> {
  if (!file) throw new UsageError('keel backup FILE [--force]');
  const config = configFromEnv();
  const target = resolve(file);
  const started = performance.now();
  err(`keel: backing up ${where(config)} to ${target} ...\n`);
  const { bytes } = await backupKeel(config, target, options);
  out(`backup written: ${target} (${megabytes(bytes)} in ${seconds(started)})\n`);
  return 0;
}

export async function restoreCommand(file: string | undefined, options: { force: boolean }): Promise<number> {
  if (!file) throw new UsageError('keel restore FILE [--force]');
  const config = configFromEnv();
  const source = resolve(file);
  const started = performance.now();
  err(`keel: restoring ${source} into ${where(config)} ...\n`);
  const verdict = await restoreKeel(config, source, cliActor(), options);
  out(`restored ${source} into ${where(config)} in ${seconds(started)}\n`);
  if (verdict.ok) {
    out(`audit chain intact: ${verdict.rows} row(s), head ${verdict.headHash}\n`);
    return 0;
  }
  err(`keel: the restored audit chain is broken at row ${verdict.fault.seq}: ${verdict.fault.reason}\n`);
  return 1;
}
