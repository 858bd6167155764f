import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { KeelError } from '../domain/errors.ts';
import { type Programme, parseProgramme } from '../domain/programme.ts';
import { authorize } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';
import { runWrite } from './write.ts';
import { serverKey } from './write-key.ts';

export interface ProgrammeVersion {
  programme: Programme;
  version: number;
  methodologyVersion: number;
  loadedAt: string;
}

/** Parsed programme documents by SHA-256: a document never changes under its hash, so writes need not re-parse it. */
const parsedByHash = new Map<string, Programme>();

export async function currentProgramme(db: Kysely<Schema>): Promise<ProgrammeVersion> {
  const row = await db
    .selectFrom('programme_versions')
    .select(['version', 'methodology_version', 'loaded_at', 'document_sha256'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new KeelError('not_initialised', 'no programme is loaded yet: run `keel init` first');
  let programme = parsedByHash.get(row.document_sha256);
  if (!programme) {
    const stored = await db
      .selectFrom('programme_versions')
      .select('document')
      .where('version', '=', row.version)
      .executeTakeFirstOrThrow();
    programme = parseProgramme(stored.document);
    parsedByHash.set(row.document_sha256, programme);
  }
  return {
    programme,
    version: row.version,
    methodologyVersion: row.methodology_version,
    loadedAt: row.loaded_at,
  };
}

/**
 * Records a programme file as a new version. Loading the same document again changes nothing. A change of
 * counting rules must come with a higher methodology version, so that every report can say which rules it used.
 */
export async function loadProgramme(ctx: AppContext, actor: Actor, document: unknown) {
  authorize(actor, 'programme.load');
  const programme = parseProgramme(document);
  const text = canonicalJson(document);
  const sha256 = createHash('sha256').update(text).digest('hex');
  return runWrite(
    ctx,
    {
      actor,
      action: 'programme.load',
      key: serverKey('programme', sha256),
      request: { sha256 },
      subject: `programme:${programme.id}`,
    },
    async (tx) => {
      const previous = await tx
        .selectFrom('programme_versions')
        .selectAll()
        .orderBy('version', 'desc')
        .limit(1)
        .forUpdate()
        .executeTakeFirst();
      if (previous) {
        const before = parseProgramme(previous.document);
        if (before.id !== programme.id) {
          throw new KeelError(
            'programme_mismatch',
            `this database runs programme "${before.id}", not "${programme.id}"`,
          );
        }
        const rulesChanged =
          canonicalJson(before.methodology.rules) !== canonicalJson(programme.methodology.rules);
        if (rulesChanged && programme.methodology.version <= before.methodology.version) {
          throw new KeelError(
            'methodology_version_not_raised',
            `the counting rules changed but methodology.version is still ${programme.methodology.version}; raise it above ${before.methodology.version}`,
          );
        }
        if (!rulesChanged && programme.methodology.version !== before.methodology.version) {
          throw new KeelError(
            'methodology_version_changed',
            'methodology.version changed but the counting rules did not',
          );
        }
      }
      const version = (previous?.version ?? 0) + 1;
      await tx
        .insertInto('programme_versions')
        .values({
          version,
          programme_id: programme.id,
          methodology_version: programme.methodology.version,
          document: text,
          document_sha256: sha256,
          loaded_by: actor.id,
        })
        .execute();
      // Cap limits follow the programme; usage is untouched (a lowered cap blocks new commitments only).
      for (const cap of programme.caps) {
        await tx
          .updateTable('cap_usage')
          .set({ limit_cents: cap.limit })
          .where('cap_id', '=', cap.id)
          .execute();
      }
      return {
        result: { version, methodologyVersion: programme.methodology.version },
        audit: { version, sha256 },
      };
    },
  );
}

export async function programmeHistory(db: Kysely<Schema>) {
  return db
    .selectFrom('programme_versions')
    .select(['version', 'methodology_version', 'document_sha256', 'loaded_at', 'loaded_by'])
    .orderBy('version')
    .execute();
}

/** True once a programme has been loaded. */
export async function isInitialised(db: Kysely<Schema>): Promise<boolean> {
  const { rows } = await sql<{ n: bigint }>`SELECT count(*) AS n FROM programme_versions`.execute(db);
  return (rows[0]?.n ?? 0n) > 0n;
}
