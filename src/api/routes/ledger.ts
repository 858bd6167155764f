import type { AppContext } from '../../app/context.ts';
import { recordLedgerEntry } from '../../app/ledger.ts';
import { ledgerFilterSchema, listLedger } from '../../app/reads.ts';
import { ledgerEntryInputSchema } from '../../domain/deal.ts';
import { listLedgerResponse, recordLedgerEntryResponse } from '../responses/ledger.ts';
import { route } from '../route.ts';

export function ledgerRoutes(ctx: AppContext) {
  return {
    listLedger: route({
      method: 'GET',
      url: '/api/ledger',
      access: 'ledger.read',
      summary: 'Ledger entries in sequence order (page with afterSeq)',
      tags: ['ledger'],
      query: ledgerFilterSchema,
      response: listLedgerResponse,
      handler: async ({ principal, query }) => ({ items: await listLedger(ctx, principal, query) }),
    }),
    recordLedgerEntry: route({
      method: 'POST',
      url: '/api/ledger',
      access: 'ledger.write',
      write: true,
      summary:
        'Record a ledger entry; caps are checked in the same transaction; the Idempotency-Key is the entry key',
      tags: ['ledger'],
      body: ledgerEntryInputSchema.omit({ clientKey: true }),
      response: recordLedgerEntryResponse,
      handler: ({ principal, body, idempotencyKey }) =>
        recordLedgerEntry(ctx, principal, { ...body, clientKey: idempotencyKey }),
    }),
  };
}
