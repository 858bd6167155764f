/**
 * Documents on deals, companies and committee meetings (issue 15): private-side material like the records
 * they are attached to. Bytes are kept once per SHA-256; an upload with a title the subject already has is
 * its next version. Downloads are reads, but each one is audited: who took which version of which file.
 * A wall-crossed analyst reads the documents of the deal they were crossed on, and nothing else.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../db/audit-repo.ts';
import {
  committeeMeetingExists,
  type DocumentSubject,
  documentById,
  documentContent,
  insertDocumentVersion,
  storeContent,
  subjectDocuments,
} from '../db/documents-repo.ts';
import { existingIds } from '../db/sql-helpers.ts';
import { DOCUMENT_SUBJECT_KINDS, documentMediaType } from '../domain/documents.ts';
import { KeelError } from '../domain/errors.ts';
import { isoDate, slug } from '../domain/fields.ts';
import { authorize, can } from '../domain/roles.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { assertDealVisible } from './wall-crossings.ts';
import { runWrite } from './write.ts';
import type { WriteKey } from './write-key.ts';

/** A deal's or a company's id is a slug; a committee meeting is named by its date. */
function checkSubjectId(value: { subjectKind: string; subjectId: string }, issues: z.RefinementCtx) {
  const checked = (value.subjectKind === 'committee_meeting' ? isoDate : slug).safeParse(value.subjectId);
  if (!checked.success)
    issues.addIssue({
      code: 'custom',
      path: ['subjectId'],
      message: checked.error.issues[0]?.message ?? 'is not valid',
    });
}

const subjectFields = {
  subjectKind: z.enum(DOCUMENT_SUBJECT_KINDS),
  subjectId: z.string().min(1, 'is required').max(120, 'is longer than 120 characters'),
};

export const documentSubjectSchema = z.object(subjectFields).superRefine(checkSubjectId);

export const documentUploadFieldsSchema = z
  .object({
    ...subjectFields,
    title: z.string().trim().min(1, 'is required').max(200, 'is longer than 200 characters'),
  })
  .superRefine(checkSubjectId);

/** A multipart upload as the route received it: its text fields (not yet checked) and its one file. */
export interface DocumentUpload {
  fields: Record<string, string>;
  filename: string;
  content: Uint8Array;
}

function uploadFields(fields: Record<string, string>) {
  const parsed = documentUploadFieldsSchema.safeParse(fields);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new KeelError(
    'invalid_request',
    `${issue?.path.join('.') || 'upload'}: ${issue?.message ?? 'is invalid'}`,
  );
}

const subjectOf = (input: { subjectKind: DocumentSubject['kind']; subjectId: string }): DocumentSubject => ({
  kind: input.subjectKind,
  id: input.subjectId,
});

/** Private side only; the one exception is an analyst wall-crossed onto the very deal. */
async function assertMayRead(ctx: AppContext, actor: Actor, subject: DocumentSubject) {
  if (!can(actor, 'documents.read') && subject.kind === 'deal' && actor.role === 'research_analyst')
    return assertDealVisible(ctx, actor, subject.id);
  authorize(actor, 'documents.read');
}

export async function uploadDocument(ctx: AppContext, actor: Actor, key: WriteKey, upload: DocumentUpload) {
  authorize(actor, 'documents.write');
  const input = uploadFields(upload.fields);
  const filename = upload.filename.trim().slice(0, 255);
  if (!filename) throw new KeelError('invalid_request', 'the file has no name');
  const mediaType = documentMediaType(filename, upload.content);
  const sha256 = createHash('sha256').update(upload.content).digest('hex');
  const subject = subjectOf(input);
  const request = {
    subjectKind: subject.kind,
    subjectId: subject.id,
    title: input.title,
    filename,
    mediaType,
    sha256,
    sizeBytes: upload.content.length,
  };
  return runWrite(
    ctx,
    { actor, action: 'document.upload', key, request, subject: `${subject.kind}:${subject.id}` },
    async (tx) => {
      const exists =
        subject.kind === 'committee_meeting'
          ? await committeeMeetingExists(tx, subject.id)
          : (await existingIds(tx, subject.kind === 'deal' ? 'deals' : 'companies', [subject.id])).size > 0;
      if (!exists) throw new KeelError('not_found', `no ${subject.kind.replace('_', ' ')} "${subject.id}"`);
      await storeContent(tx, sha256, upload.content);
      const row = await insertDocumentVersion(tx, {
        subject,
        title: input.title,
        filename,
        mediaType,
        sha256,
        uploadedBy: actor.id,
      });
      return { result: { id: row.id, version: row.version, sha256, mediaType } };
    },
  );
}

export async function listDocuments(
  ctx: AppContext,
  actor: Actor,
  input: z.infer<typeof documentSubjectSchema>,
) {
  const subject = subjectOf(input);
  await assertMayRead(ctx, actor, subject);
  return (await subjectDocuments(ctx.database.db, subject)).map(camelCased);
}

/** One version's bytes, with an audit row saying who took them. */
export async function downloadDocument(ctx: AppContext, actor: Actor, id: bigint) {
  // Refuse the public side before saying whether the document exists.
  if (!can(actor, 'documents.read') && actor.role !== 'research_analyst') authorize(actor, 'documents.read');
  const doc = await documentById(ctx.database.db, id);
  if (!doc) {
    authorize(actor, 'documents.read'); // a crossed analyst learns no more of other ids than the barrier allows
    throw new KeelError('not_found', `no document ${id}`);
  }
  await assertMayRead(ctx, actor, { kind: doc.subject_kind, id: doc.subject_id });
  const content = await documentContent(ctx.database.db, doc.sha256);
  await ctx.database.db.transaction().execute((tx) =>
    appendAudit(tx, {
      actor: actor.id,
      role: actor.role,
      action: 'document.download',
      subject: `document:${doc.id}`,
      details: {
        about: `${doc.subject_kind}:${doc.subject_id}`,
        title: doc.title,
        version: doc.version,
        sha256: doc.sha256,
      },
    }),
  );
  return { document: camelCased(doc), content };
}
