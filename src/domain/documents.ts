/**
 * Documents attached to deals, companies and committee meetings: which files Keel keeps and how it tells
 * what a file is. The client's Content-Type is never trusted: the bytes decide (a PDF must start with the
 * PDF header, an Office file is a ZIP, text must be UTF-8 without NUL), so an HTML or SVG page renamed
 * `memo.pdf` is refused rather than served back to a browser.
 */
import { KeelError } from './errors.ts';

/** 20 MiB: a long diligence report with scans fits; a data room does not belong in one upload. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export const DOCUMENT_SUBJECT_KINDS = ['deal', 'company', 'committee_meeting'] as const;
export type DocumentSubjectKind = (typeof DOCUMENT_SUBJECT_KINDS)[number];

export const DOCUMENT_MEDIA_TYPES = {
  pdf: 'application/pdf',
  text: 'text/plain',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[keyof typeof DOCUMENT_MEDIA_TYPES];

const ALLOWED = 'PDF, plain text, CSV, XLSX or DOCX';

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // PK\x03\x04, the container of XLSX and DOCX

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Text that a browser could take for markup is refused even as plain text: it is never a memo. */
const looksLikeMarkup = (bytes: Uint8Array) =>
  /^\s*<(!doctype|html|svg|\?xml|script)/i.test(new TextDecoder().decode(bytes.subarray(0, 512)));

/**
 * The media type Keel stores for an upload, decided by the file's extension and checked against its bytes.
 * Throws a 400-class error naming what is wrong; the size limit is checked first.
 */
export function documentMediaType(filename: string, bytes: Uint8Array): DocumentMediaType {
  if (bytes.length === 0) throw new KeelError('invalid_request', 'the file is empty');
  if (bytes.length > MAX_DOCUMENT_BYTES) throw documentTooLarge();
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  switch (ext) {
    case 'pdf':
      if (!startsWith(bytes, PDF_MAGIC))
        throw new KeelError(
          'invalid_request',
          `"${filename}" is named .pdf but is not a PDF (no %PDF- header)`,
        );
      return DOCUMENT_MEDIA_TYPES.pdf;
    case 'xlsx':
    case 'docx':
      if (!startsWith(bytes, ZIP_MAGIC))
        throw new KeelError('invalid_request', `"${filename}" is named .${ext} but is not an Office file`);
      return DOCUMENT_MEDIA_TYPES[ext];
    case 'txt':
    case 'csv':
      if (!isUtf8Text(bytes) || looksLikeMarkup(bytes))
        throw new KeelError('invalid_request', `"${filename}" is not plain UTF-8 text`);
      return ext === 'txt' ? DOCUMENT_MEDIA_TYPES.text : DOCUMENT_MEDIA_TYPES.csv;
    default:
      throw new KeelError(
        'invalid_request',
        `"${filename}" is not a file type Keel keeps: attach ${ALLOWED} (.pdf, .txt, .csv, .xlsx, .docx)`,
      );
  }
}

export const documentTooLarge = () =>
  new KeelError(
    'payload_too_large',
    `the file is larger than the ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB a document may be`,
  );
