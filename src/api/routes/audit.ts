import { z } from 'zod';
import { companyActivity, dealActivity } from '../../app/activity.ts';
import { verifyAudit } from '../../app/audit.ts';
import { checkpointAudit } from '../../app/audit-checkpoint.ts';
import { auditLogCsv, auditLogPage } from '../../app/audit-log.ts';
import type { AppContext } from '../../app/context.ts';
import { auditFilterSchema, auditPageSchema } from '../../domain/audit-search.ts';
import { slug } from '../../domain/fields.ts';
import { activityResponse, auditLogResponse, checkpointAuditResponse } from '../responses/audit.ts';
import { verifyAuditResponse } from '../responses/ledger.ts';
import { route } from '../route.ts';

const idParams = z.object({ id: slug });

export function auditRoutes(ctx: AppContext) {
  return {
    verifyAudit: route({
      method: 'GET',
      url: '/api/audit/verify',
      access: 'audit.verify',
      summary:
        'Verify the audit chain, each ledger row against it, the kept totals and cap usage, and the latest signed checkpoint',
      tags: ['audit'],
      response: verifyAuditResponse,
      handler: ({ principal }) => verifyAudit(ctx, principal),
    }),
    checkpointAudit: route({
      method: 'POST',
      url: '/api/audit/checkpoints',
      access: 'audit.checkpoint',
      write: true,
      summary:
        "Verify the audit chain and sign its head with the server's audit key (a checkpoint to keep outside Keel); refused over a chain that does not verify",
      tags: ['audit'],
      response: checkpointAuditResponse,
      handler: ({ principal, idempotencyKey }) => checkpointAudit(ctx, principal, idempotencyKey),
    }),
    searchAuditLog: route({
      method: 'GET',
      url: '/api/audit/log',
      access: 'audit.read',
      summary:
        "The audit log, newest first, filtered by actor (an id, or words of a user's name, or an email), action prefix, subject prefix and days (from/to, inclusive)",
      tags: ['audit'],
      query: auditPageSchema,
      response: auditLogResponse,
      handler: ({ principal, query }) => auditLogPage(ctx, principal, query),
    }),
    exportAuditLog: route({
      method: 'GET',
      url: '/api/audit/log.csv',
      access: 'audit.read',
      summary:
        'The filtered audit log as CSV, oldest first (at most 50,000 rows: a larger selection is refused)',
      tags: ['audit'],
      query: auditFilterSchema,
      produces: ['text/csv'],
      async handler({ principal, query, reply }) {
        const csv = await auditLogCsv(ctx, principal, query);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="keel-audit-log.csv"')
          .send(csv);
      },
    }),
    dealActivity: route({
      method: 'GET',
      url: '/api/deals/:id/activity',
      access: 'deals.read',
      summary:
        "A deal's timeline from the audit log, newest first (who did what, when; not the full request)",
      tags: ['audit'],
      params: idParams,
      response: activityResponse,
      handler: ({ principal, params }) => dealActivity(ctx, principal, params.id),
    }),
    companyActivity: route({
      method: 'GET',
      url: '/api/companies/:id/activity',
      access: 'deals.read',
      summary: "A company's timeline and its deals', from the audit log, newest first",
      tags: ['audit'],
      params: idParams,
      response: activityResponse,
      handler: ({ principal, params }) => companyActivity(ctx, principal, params.id),
    }),
  };
}
