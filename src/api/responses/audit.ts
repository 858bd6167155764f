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

/** A deal's or a company's timeline: who did what when, without the write's full request. */
export const activityResponse = z.object({
  items: z.array(auditLogRowSchema.omit({ details: true }).extend({ summary: z.string() })),
});
