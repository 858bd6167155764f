import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  insertProgrammeVersion,
  latestProgrammeVersion,
  lockCapUsage,
  lockLatestVersionForLoad,
  newestVersionNumber,
  programmeDocument,
  programmeVersionHistory,
  replaceCapUsage,
  shareLockLatestVersion,
} from '../db/programme-repo.ts';
import type { Schema } from '../db/schema.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { KeelError } from '../domain/errors.ts';
import { assertCapsHold, type Programme, parseProgramme } from '../domain/programme.ts';
import { authorize } from '../domain/roles.ts';
import { ledgerCapUsage } from './cap-usage.ts';
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

type VersionHeader = NonNullable<Awaited<ReturnType<typeof latestProgrammeVersion>>>;

export async function currentProgramme(db: Kysely<Schema>): Promise<ProgrammeVersion> {
  const row = await latestProgrammeVersion(db);
  if (!row) throw notInitialised();
  return programmeVersion(db, row);
}

const notInitialised = () =>
  new KeelError('not_initialised', 'no programme is loaded yet: run `keel init` first');

async function programmeVersion(db: Kysely<Schema>, row: VersionHeader): Promise<ProgrammeVersion> {
  let programme = parsedByHash.get(row.document_sha256);
  if (!programme) {
    programme = parseProgramme(await programmeDocument(db, row.version));
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
 * The current programme inside a ledger write, held with a share lock on its version row until the write
 * commits: a new version (which takes that row FOR UPDATE and recomputes cap usage) waits for ledger
 * writes in flight and they wait for it, so no commitment is counted against caps of a superseded version.
 * One statement: if the write waited for a loader, the row it locked is superseded, which the write's next
 * read sees (`newestVersion`); it then calls `assertStillCurrent`, and runWrite retries it from the start.
 */
export async function lockCurrentProgramme(tx: Transaction<Schema>): Promise<ProgrammeVersion> {
  const row = await shareLockLatestVersion(tx);
  if (!row) throw notInitialised();
  return programmeVersion(tx, row);
}

/** The programme of the version a write holds share-locked (`lockForEntries`, same rule as above). */
export async function lockedProgramme(
  tx: Transaction<Schema>,
  row: VersionHeader | undefined,
): Promise<ProgrammeVersion> {
  if (!row) throw notInitialised();
  return programmeVersion(tx, row);
}

/** A write's programme version was superseded while it waited for the loader's lock. */
class ProgrammeSuperseded extends Error {
  /** PostgreSQL's serialization failure: runWrite retries the whole write, which then locks the new version. */
  readonly code = '40001';
}

export function assertStillCurrent(locked: ProgrammeVersion, newestVersion: number | null): void {
  if (newestVersion !== locked.version)
    throw new ProgrammeSuperseded(
      `programme version ${locked.version} was superseded by ${newestVersion} while this write waited`,
    );
}

/**
 * Records a programme file as a new version. Loading the document that is already current changes nothing;
 * loading an older document again makes it current as a new version. A change of counting rules must come
 * with a higher methodology version, so that every report can say which rules it used. Cap usage is
 * recomputed from the ledger in the same transaction, and a version whose caps the ledger already exceeds
 * is refused (Keel never starts a cap at zero beside money already committed).
 */
export async function loadProgramme(ctx: AppContext, actor: Actor, document: unknown) {
  authorize(actor, 'programme.load');
  const programme = parseProgramme(document);
  const text = canonicalJson(document);
  const sha256 = createHash('sha256').update(text).digest('hex');
  // The key names the version the document is loaded over: the same file twice in a row is one write, the
  // same file after another version is a new one.
  const over = await newestVersionNumber(ctx.database.db);
  return runWrite(
    ctx,
    {
      actor,
      action: 'programme.load',
      key: serverKey('programme', String(over), sha256),
      request: { sha256, over },
      subject: `programme:${programme.id}`,
    },
    async (tx) => {
      const previous = await lockLatestVersionForLoad(tx);
      if (previous?.document_sha256 === sha256) {
        return {
          result: {
            version: previous.version,
            methodologyVersion: previous.methodology_version,
            unchanged: true,
          },
          audit: { version: previous.version, sha256, unchanged: true },
        };
      }
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
      await recomputeCapUsage(tx, programme);
      await insertProgrammeVersion(tx, {
        version,
        programme_id: programme.id,
        methodology_version: programme.methodology.version,
        document: text,
        document_sha256: sha256,
        loaded_by: actor.id,
      });
      return {
        result: { version, methodologyVersion: programme.methodology.version, unchanged: false },
        audit: { version, sha256 },
      };
    },
  );
}

/** Replaces every cap row with the usage the ledger gives under `programme`, refusing a breached cap. */
async function recomputeCapUsage(tx: Transaction<Schema>, programme: Programme) {
  await lockCapUsage(tx);
  const usage = await ledgerCapUsage(tx, programme);
  assertCapsHold(programme, usage);
  await replaceCapUsage(tx, usage);
}

export const programmeHistory = (db: Kysely<Schema>) => programmeVersionHistory(db);

/** True once a programme has been loaded. */
export async function isInitialised(db: Kysely<Schema>): Promise<boolean> {
  return (await latestProgrammeVersion(db)) !== undefined;
}
