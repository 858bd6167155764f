/** What the audit log routes answer (routes/audit.ts). */
import { z } from 'zod';
import { bigintString } from './shared.ts';

export const auditLogRowSchema = z.object({
  seq: bigintString,
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  subject: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const auditLogResponse = z.object({
  items: z.array(auditLogRowSchema),
  total: bigintString,
  offset: z.number(),
});
