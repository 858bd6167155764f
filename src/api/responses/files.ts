/** What the files routes answer (routes/files.ts). */
import { z } from 'zod';
import { IMPORT_KINDS } from '../../domain/import-kinds.ts';

const importJobSchema = z.object({
  id: z.string(),
  kind: z.enum(IMPORT_KINDS),
  owner: z.string(),
  status: z.enum(['cancelled', 'running', 'done', 'failed']),
  done: z.number(),
  total: z.number(),
  rows: z.number().optional(),
  replayed: z.boolean().optional(),
  error: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
});

export const startImportResponse = importJobSchema;

export const getImportJobResponse = importJobSchema;

export const cancelImportJobResponse = importJobSchema;
