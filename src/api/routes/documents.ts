import type { MultipartFile } from '@fastify/multipart';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import {
  documentSubjectSchema,
  downloadDocument,
  listDocuments,
  uploadDocument,
} from '../../app/documents.ts';
import { DOCUMENT_MEDIA_TYPES, documentTooLarge, MAX_DOCUMENT_BYTES } from '../../domain/documents.ts';
import { KeelError } from '../../domain/errors.ts';
import { rowId } from '../../domain/fields.ts';
import { authorize } from '../../domain/roles.ts';
import { listDocumentsResponse, uploadDocumentResponse } from '../responses/documents.ts';
import { route } from '../route.ts';

/** Reads the whole file, refusing one over the documents' limit (the server's own limit is larger). */
async function fileBytes(file: MultipartFile): Promise<Buffer> {
  try {
    const bytes = await file.toBuffer();
    if (file.file.truncated) throw documentTooLarge();
    return bytes;
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw documentTooLarge();
    throw error;
  }
}

export function documentRoutes(ctx: AppContext) {
  return {
    uploadDocument: route({
      method: 'POST',
      url: '/api/documents',
      access: 'documents.write',
      write: true,
      multipart: true,
      summary: `Attach a file to a deal, a company or a committee meeting (multipart: subjectKind, subjectId, title, then file). PDF, text, CSV, XLSX or DOCX, at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB; the same title again is its next version.`,
      tags: ['files'],
      response: uploadDocumentResponse,
      async handler({ principal, request, idempotencyKey }) {
        authorize(principal, 'documents.write'); // before reading an upload the caller may not make
        if (!request.isMultipart())
          throw new KeelError(
            'invalid_request',
            'send the document as multipart/form-data: fields subjectKind, subjectId, title and file',
          );
        const fields: Record<string, string> = {};
        let file: { filename: string; content: Buffer } | undefined;
        for await (const part of request.parts({ limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1 } })) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file')
              throw new KeelError(
                'invalid_request',
                `send the file in a field named "file", not "${part.fieldname}"`,
              );
            file = { filename: part.filename, content: await fileBytes(part) };
          } else fields[part.fieldname] = String(part.value);
        }
        if (!file)
          throw new KeelError('invalid_request', 'no file in the upload: send it in a field named "file"');
        return uploadDocument(ctx, principal, idempotencyKey, { fields, ...file });
      },
    }),
    listDocuments: route({
      method: 'GET',
      url: '/api/documents',
      access: 'documents.read',
      summary: "Every version of a subject's documents, newest first (private side)",
      tags: ['files'],
      query: documentSubjectSchema,
      response: listDocumentsResponse,
      handler: async ({ principal, query }) => ({ items: await listDocuments(ctx, principal, query) }),
    }),
    documentContent: route({
      method: 'GET',
      url: '/api/documents/:id/content',
      access: 'documents.read',
      summary:
        'The bytes of one document version (audited). PDFs are sent inline so the browser previews them; other types as attachments.',
      tags: ['files'],
      params: z.object({ id: rowId }),
      produces: Object.values(DOCUMENT_MEDIA_TYPES),
      async handler({ principal, params, reply }) {
        const { document, content } = await downloadDocument(ctx, principal, params.id);
        const inline = document.mediaType === DOCUMENT_MEDIA_TYPES.pdf;
        // The filename goes out ASCII-only in the plain parameter and exact in the RFC 5987 one.
        const ascii = document.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
        return (
          reply
            .header('content-type', document.mediaType)
            .header(
              'content-disposition',
              `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(document.filename)}`,
            )
            .header('x-content-type-options', 'nosniff')
            // Whatever the bytes are, they run no script and reach nothing from Keel's origin.
            .header(
              'content-security-policy',
              "sandbox; default-src 'none'; object-src 'self'; frame-ancestors 'self'",
            )
            .header('cache-control', 'private, no-store')
            .header('x-document-sha256', document.sha256)
            .send(Buffer.from(content))
        );
      },
    }),
  };
}
