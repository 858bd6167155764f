/** What the audit log routes answer (routes/audit.ts). */
import { z } from 'zod';
import { bigintString, writeResult } from './shared.ts';

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
  /** The actor ids the actor filter stood for (the id typed, or the users whose name or email it matched). */
  actors: z.array(z.string()).nullable(),
  /** Names of the page's actors and of those (user id → name); an id not among the users is left out. */
  people: z.record(z.string(), z.string()),
  /** Names of the page's subjects that are a deal, a company or a user (`deal:id` → name). */
  subjects: z.record(z.string(), z.string()),
});

/** A signed checkpoint of the audit chain's head, as `keel audit verify --checkpoint FILE` reads it. */
export const checkpointAuditResponse = writeResult(
  z.object({
    kind: z.literal('keel-audit-checkpoint'),
    version: z.literal(1),
    seq: z.string(),
    hash: z.string(),
    signedAt: z.string(),
    publicKey: z.string(),
    signature: z.string(),
  }),
);

/** A deal's or a company's timeline: who did what when, without the write's full request. */
export const activityResponse = z.object({
  items: z.array(auditLogRowSchema.omit({ details: true }).extend({ summary: z.string() })),
  /** Names of the actors (user id → name), as on the audit log's page. */
  people: z.record(z.string(), z.string()),
  /** Names of the deals and companies the rows are about (`deal:id` → name). */
  subjects: z.record(z.string(), z.string()),
});
