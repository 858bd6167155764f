import type { FastifyInstance } from 'fastify';
import { verifyAudit } from '../../app/audit.ts';
import type { AppContext } from '../../app/context.ts';
import { recordLedgerEntry } from '../../app/ledger.ts';
import { ledgerFilterSchema, listLedger } from '../../app/reads.ts';
import { ledgerEntryInputSchema } from '../../domain/deal.ts';
import { addRoute } from '../route.ts';

export function registerLedgerRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/ledger',
    access: 'ledger.read',
    summary: 'Ledger entries in sequence order (page with afterSeq)',
    tags: ['ledger'],
    query: ledgerFilterSchema,
    handler: async ({ principal, query }) => ({ items: await listLedger(ctx, principal, query) }),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/ledger',
    access: 'ledger.write',
    write: true,
    summary:
      'Record a ledger entry; caps are checked in the same transaction; the Idempotency-Key is the entry key',
    tags: ['ledger'],
    body: ledgerEntryInputSchema.omit({ clientKey: true }),
    handler: async ({ principal, body, idempotencyKey }) => {
      const { result, replayed } = await recordLedgerEntry(ctx, principal, {
        ...body,
        clientKey: idempotencyKey,
      });
      return { ...result, replayed };
    },
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/audit/verify',
    access: 'audit.verify',
    summary:
      'Verify the audit chain, each ledger row against it, the kept totals and cap usage, and the latest signed checkpoint',
    tags: ['audit'],
    handler: ({ principal }) => verifyAudit(ctx, principal),
  });
}
