/**
 * Backups of a PostgreSQL server database with the machine's own PostgreSQL client: `pg_dump` in its custom
 * format (one consistent snapshot of the whole database, taken while the server keeps running) and
 * `pg_restore`. The tools are found on PATH, else under /usr/lib/postgresql/<version>/bin (Debian and Ubuntu
 * install them there), newest version first. The password travels in PGPASSWORD, never on a command line
 * that `ps` shows.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { KeelError } from '../domain/errors.ts';
import { targetNotEmpty } from './backup-embedded.ts';
import { redactPassword } from './connect.ts';

const DEBIAN_TOOLS = '/usr/lib/postgresql';

export function findPostgresTool(name: 'pg_dump' | 'pg_restore', env = process.env): string {
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean);
  let versions: string[] = [];
  try {
    versions = readdirSync(DEBIAN_TOOLS)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
  } catch {}
  const candidates = [...onPath, ...versions.map((v) => join(DEBIAN_TOOLS, v, 'bin'))].map((dir) =>
    join(dir, name),
  );
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    throw new KeelError(
      'backup_unavailable',
      `${name} was not found on PATH or under ${DEBIAN_TOOLS}/*/bin; install the PostgreSQL client`,
    );
  return found;
}

export async function dumpServer(url: string, file: string): Promise<void> {
  const { target, env } = splitPassword(url);
  await run(findPostgresTool('pg_dump'), ['--format=custom', '--no-owner', `--file=${file}`, target], env);
}

/** Restores `file` into the database of `url`; a database that already holds tables needs `force`. */
export async function restoreServer(url: string, file: string, force: boolean): Promise<void> {
  const { target, env } = splitPassword(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const schemas = await client.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace
        WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'`,
    );
    const tables = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_tables WHERE schemaname NOT LIKE 'pg\\_%' AND schemaname <> 'information_schema'`,
    );
    if (Number(tables.rows[0]!.n) > 0) {
      if (!force) throw targetNotEmpty(redactPassword(url));
      // --force replaces the database: every schema of its own goes, so no table of a newer version lingers.
      for (const { name } of schemas.rows) await client.query(`DROP SCHEMA ${quoteIdent(name)} CASCADE`);
      await client.query('CREATE SCHEMA IF NOT EXISTS public');
    }
  } finally {
    await client.end();
  }
  await run(
    findPostgresTool('pg_restore'),
    ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${target}`, file],
    env,
  );
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const name = tool.split('/').pop();
      reject(
        new KeelError('backup_failed', `${name} failed (exit ${code}): ${stderr.trim().split('\n')[0]}`, {
          stderr: stderr.trim(),
        }),
      );
    });
  });
}

function splitPassword(url: string): { target: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return {
    target: parsed.toString(),
    env: password ? { ...process.env, PGPASSWORD: password } : { ...process.env },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
