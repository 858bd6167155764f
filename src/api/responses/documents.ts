/** What the documents routes answer (routes/documents.ts). */
import { z } from 'zod';
import { DOCUMENT_SUBJECT_KINDS } from '../../domain/documents.ts';
import { bigintString, timestamp, writeResult } from './shared.ts';

export const documentVersionSchema = z.object({
  id: bigintString,
  subjectKind: z.enum(DOCUMENT_SUBJECT_KINDS),
  subjectId: z.string(),
  title: z.string(),
  filename: z.string(),
  mediaType: z.string(),
  sha256: z.string(),
  version: z.number().int(),
  sizeBytes: z.number().int(),
  uploadedBy: z.string(),
  uploadedAt: timestamp,
});

export const listDocumentsResponse = z.object({ items: z.array(documentVersionSchema) });

export const uploadDocumentResponse = writeResult(
  z.object({ id: bigintString, version: z.number().int(), sha256: z.string(), mediaType: z.string() }),
);
