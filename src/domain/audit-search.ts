/**
 * What an auditor may ask of the audit log: who acted, which action (a prefix: "committee." finds every
 * committee action), which subject (a prefix: "deal:" finds every deal), and between which days.
 */
import { z } from 'zod';
import { isoDate } from './fields.ts';

/** Rows on one page of the viewer. */
export const AUDIT_PAGE_MAX = 200;
/** Rows in one export: a larger selection is refused with its count, so the auditor narrows it. */
export const AUDIT_EXPORT_MAX = 50_000;

const term = (what: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${what} is at most ${max} characters`)
    .optional()
    .transform((value) => value || undefined);

const filterFields = {
  actor: term('actor', 200),
  action: term('action', 100),
  subject: term('subject', 300),
  from: isoDate.optional(),
  to: isoDate.optional(),
};

const fromNotAfterTo = (f: { from?: string | undefined; to?: string | undefined }) =>
  !f.from || !f.to || f.from <= f.to;
const dateOrder = { message: 'from must not be after to', path: ['from'] };

export const auditFilterSchema = z.object(filterFields).refine(fromNotAfterTo, dateOrder);
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const auditPageSchema = z
  .object({
    ...filterFields,
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
  })
  .refine(fromNotAfterTo, dateOrder);
export type AuditPageQuery = z.infer<typeof auditPageSchema>;
