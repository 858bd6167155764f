/** What the files routes answer (routes/files.ts). */
import { z } from 'zod';

const importJobSchema = z.object({
  id: z.string(),
  kind: z.enum([
    'companies',
    'deals',
    'organisations',
    'relationships',
    'prices',
    'ledger',
    'public-deals',
    'peer-awards',
  ]),
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
