/**
 * The documents aggregate: content stored once per SHA-256, and the append-only document rows that attach a
 * version of it to a deal, a company or a committee meeting.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DocumentSubjectKind } from '../domain/documents.ts';
import type { Schema } from './schema.ts';

export interface DocumentSubject {
  kind: DocumentSubjectKind;
  id: string;
}

export interface NewDocument {
  subject: DocumentSubject;
  title: string;
  filename: string;
  mediaType: string;
  sha256: string;
  uploadedBy: string;
}

/** Stores the bytes unless the same content is already there (then nothing is written). */
export async function storeContent(tx: Transaction<Schema>, sha256: string, content: Uint8Array) {
  await tx
    .insertInto('document_contents')
    .values({ sha256, size_bytes: content.length, content })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

/**
 * Attaches the next version of a title. A lock on the subject and title (held to the end of the
 * transaction) makes two uploads of the same title at once versions n and n+1, the first version included,
 * rather than one of them refused by the unique index.
 */
export async function insertDocumentVersion(tx: Transaction<Schema>, doc: NewDocument) {
  const lockKey = JSON.stringify([doc.subject.kind, doc.subject.id, doc.title]);
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`.execute(tx);
  const earlier = await tx
    .selectFrom('documents')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('subject_kind', '=', doc.subject.kind)
    .where('subject_id', '=', doc.subject.id)
    .where('title', '=', doc.title)
    .executeTakeFirst();
  const version = (earlier?.version ?? 0) + 1;
  return tx
    .insertInto('documents')
    .values({
      subject_kind: doc.subject.kind,
      subject_id: doc.subject.id,
      title: doc.title,
      filename: doc.filename,
      media_type: doc.mediaType,
      sha256: doc.sha256,
      version,
      uploaded_by: doc.uploadedBy,
    })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
}

const documentColumns = [
  'd.id',
  'd.subject_kind',
  'd.subject_id',
  'd.title',
  'd.filename',
  'd.media_type',
  'd.sha256',
  'd.version',
  'd.uploaded_by',
  'd.uploaded_at',
  'c.size_bytes',
] as const;

/** Every version of every document of a subject, newest first. */
export const subjectDocuments = (db: Kysely<Schema>, subject: DocumentSubject) =>
  db
    .selectFrom('documents as d')
    .innerJoin('document_contents as c', 'c.sha256', 'd.sha256')
    .select(documentColumns)
    .where('d.subject_kind', '=', subject.kind)
    .where('d.subject_id', '=', subject.id)
    .orderBy('d.id', 'desc')
    .limit(1000)
    .execute();

/** One document version's row, without its bytes. */
export const documentById = (db: Kysely<Schema>, id: bigint) =>
  db
    .selectFrom('documents as d')
    .innerJoin('document_contents as c', 'c.sha256', 'd.sha256')
    .select(documentColumns)
    .where('d.id', '=', id)
    .executeTakeFirst();

export async function documentContent(db: Kysely<Schema>, sha256: string): Promise<Uint8Array> {
  const row = await db
    .selectFrom('document_contents')
    .select('content')
    .where('sha256', '=', sha256)
    .executeTakeFirstOrThrow();
  return row.content;
}

/** Whether a committee meeting (a date some deal was put on the agenda for) exists. */
export async function committeeMeetingExists(tx: Transaction<Schema>, meetingOn: string) {
  const row = await tx
    .selectFrom('committee_agenda')
    .select('id')
    .where('meeting_on', '=', meetingOn)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The latest version of each document of these committee meetings (their memos and papers), by title. */
export async function meetingPapers(db: Kysely<Schema>, meetings: readonly string[]) {
  if (!meetings.length) return [];
  return db
    .selectFrom('documents as d')
    .select(['d.id', 'd.subject_id', 'd.title', 'd.filename', 'd.version'])
    .distinctOn(['d.subject_id', 'd.title'])
    .where('d.subject_kind', '=', 'committee_meeting')
    .where('d.subject_id', 'in', [...meetings])
    .orderBy('d.subject_id')
    .orderBy('d.title')
    .orderBy('d.version', 'desc')
    .execute();
}
