/**
 * The notes aggregates: research notes (a note row, locked while its author or an administrator edits it)
 * and the append-only notes on deals and companies.
 */
import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import type { Schema } from './schema.ts';

export interface NoteRow {
  title: string;
  bodyMarkdown: string;
  author: string;
  status: 'draft' | 'published';
  side: 'public' | 'private';
  subjectKind: string;
  subjectId: string;
}

/** The author's name as the app shows it (null for an author no longer among the users). */
const authorName = (
  eb: ExpressionBuilder<Schema, 'research_notes' | 'pipeline_notes'>,
  author: 'research_notes.author' | 'pipeline_notes.author',
) =>
  eb
    .selectFrom('users')
    .select('users.name')
    .whereRef('users.id', '=', author as never)
    .as('author_name');

/** Which notes a reader may see: the app decides from the reader's side and permissions. */
export interface NoteVisibility {
  includePrivate: boolean;
  /** Drafts are hidden unless `drafts` names whose are shown (or all of them). */
  drafts: 'none' | { author: string; all: boolean };
}

export async function insertNote(tx: Transaction<Schema>, note: NoteRow): Promise<bigint> {
  const row = await tx
    .insertInto('research_notes')
    .values({
      title: note.title,
      body_md: note.bodyMarkdown,
      author: note.author,
      status: note.status,
      side: note.side,
      subject_kind: note.subjectKind,
      subject_id: note.subjectId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Locks one note for the rest of the transaction; undefined if none. */
export const lockNote = (tx: Transaction<Schema>, id: bigint) =>
  tx
    .selectFrom('research_notes')
    .select(['id', 'author', 'side'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

export async function updateNoteRow(
  tx: Transaction<Schema>,
  id: bigint,
  change: {
    title?: string | undefined;
    bodyMarkdown?: string | undefined;
    status?: NoteRow['status'] | undefined;
  },
) {
  await tx
    .updateTable('research_notes')
    .set({
      ...(change.title ? { title: change.title } : {}),
      ...(change.bodyMarkdown ? { body_md: change.bodyMarkdown } : {}),
      ...(change.status ? { status: change.status } : {}),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** The newest 500 notes a reader may see, of one subject or all. */
export async function noteList(
  db: Kysely<Schema>,
  visibility: NoteVisibility,
  subject?: { kind: string; id: string },
) {
  let q = db
    .selectFrom('research_notes')
    .selectAll()
    .select((eb) => authorName(eb, 'research_notes.author'))
    .orderBy('id', 'desc')
    .limit(500);
  if (subject) q = q.where('subject_kind', '=', subject.kind).where('subject_id', '=', subject.id);
  if (!visibility.includePrivate) q = q.where('side', '=', 'public');
  const drafts = visibility.drafts;
  if (drafts === 'none') q = q.where('status', '=', 'published');
  else
    q = q.where((eb) =>
      eb.or([eb('status', '=', 'published'), eb('author', '=', drafts.author), eb.val(drafts.all)]),
    );
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    bodyMarkdown: r.body_md,
    author: r.author,
    authorName: r.author_name,
    status: r.status,
    side: r.side,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    updatedAt: String(r.updated_at),
  }));
}

export type PipelineSubject = { kind: 'deal' | 'company'; id: string };

export async function insertPipelineNote(
  tx: Transaction<Schema>,
  subject: PipelineSubject,
  bodyMarkdown: string,
  author: string,
): Promise<bigint> {
  const row = await tx
    .insertInto('pipeline_notes')
    .values({ subject_kind: subject.kind, subject_id: subject.id, body_md: bodyMarkdown, author })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A deal's or a company's notes, newest first. */
export const pipelineNotes = (db: Kysely<Schema>, subject: PipelineSubject) =>
  db
    .selectFrom('pipeline_notes')
    .selectAll()
    .select((eb) => authorName(eb, 'pipeline_notes.author'))
    .where('subject_kind', '=', subject.kind)
    .where('subject_id', '=', subject.id)
    .orderBy('id', 'desc')
    .execute();
