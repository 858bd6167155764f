/**
 * Plain .sql migrations, applied in file-name order, each in its own transaction, recorded with a checksum.
 * An applied migration whose file changed afterwards is refused: history is not rewritten silently.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import { KeelError } from '../domain/errors.ts';
import type { Schema } from './schema.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Any fixed number: serialises migrators of several processes on one PostgreSQL server. */
const MIGRATION_LOCK = 7_351_001;

const migrationFiles = () =>
  readdirSync(MIGRATIONS_DIR)
    .filter((name) => name.endsWith('.sql'))
    .sort();

/** Migrations this Keel knows but the database has not applied (what /readyz checks). */
export async function pendingMigrations(db: Kysely<Schema>): Promise<string[]> {
  const applied = new Set(
    (await db.selectFrom('schema_migrations').select('version').execute()).map((row) => row.version),
  );
  return migrationFiles()
    .map((file) => file.replace(/\.sql$/, ''))
    .filter((version) => !applied.has(version));
}

export async function migrate(db: Kysely<Schema>): Promise<string[]> {
  const files = migrationFiles();
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
      tx,
    );
    const applied = new Map(
      (await tx.selectFrom('schema_migrations').selectAll().execute()).map((row) => [
        row.version,
        row.sha256,
      ]),
    );
    const done: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
      const sha256 = createHash('sha256').update(text).digest('hex');
      const version = file.replace(/\.sql$/, '');
      const recorded = applied.get(version);
      if (recorded) {
        if (recorded !== sha256) {
          throw new KeelError(
            'migration_changed',
            `migration ${file} was changed after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      await sql.raw(text).execute(tx);
      await tx.insertInto('schema_migrations').values({ version, sha256 }).execute();
      done.push(version);
    }
    return done;
  });
}
