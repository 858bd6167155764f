import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addCompanies } from '../../app/companies.ts';
import type { AppContext } from '../../app/context.ts';
import { listDeals, moveDealStage, openDeals } from '../../app/deals.ts';
import { getCompany, getDeal, listCompanies } from '../../app/reads.ts';
import { companyInputSchema } from '../../domain/company.ts';
import { dealInputSchema } from '../../domain/deal.ts';
import { slug } from '../../domain/fields.ts';
import { INSTRUMENTS } from '../../domain/instruments.ts';
import { STAGES } from '../../domain/stages.ts';
import { addRoute } from '../route.ts';

const dealParams = z.object({ id: slug });

export function registerDealRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/companies',
    access: 'companies.read',
    summary: 'Companies (private side: a company here may be an unannounced counterparty)',
    tags: ['pipeline'],
    handler: async ({ principal }) => ({ items: await listCompanies(ctx, principal) }),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/companies/:id',
    access: 'companies.read',
    summary: 'One company with its facilities and deals',
    tags: ['pipeline'],
    params: dealParams,
    handler: ({ principal, params }) => getCompany(ctx, principal, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/companies',
    access: 'companies.write',
    write: true,
    summary: 'Add a company with its facilities',
    tags: ['pipeline'],
    body: companyInputSchema,
    handler: async ({ principal, body, idempotencyKey }) =>
      (await addCompanies(ctx, principal, idempotencyKey, [body])).result,
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/deals',
    access: 'deals.read',
    summary: 'Deals in the pipeline, filtered by stage, sub-area or instrument',
    tags: ['pipeline'],
    query: z.object({
      stage: z.enum(STAGES).optional(),
      subAreaId: slug.optional(),
      instrument: z.enum(INSTRUMENTS).optional(),
    }),
    handler: async ({ principal, query }) => ({ items: await listDeals(ctx, principal, query) }),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/deals/:id',
    access: 'deals.read',
    summary: 'One deal with its company, facilities, ledger and stage history (or an approved wall-crossing)',
    tags: ['pipeline'],
    params: dealParams,
    handler: ({ principal, params }) => getDeal(ctx, principal, params.id),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/deals',
    access: 'deals.write',
    write: true,
    summary: 'Open a deal (amount in dollars as text, e.g. "75000000.00")',
    tags: ['pipeline'],
    body: dealInputSchema,
    handler: async ({ principal, body, idempotencyKey }) =>
      (await openDeals(ctx, principal, idempotencyKey, [body])).result,
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/deals/:id/stage',
    access: 'deals.move',
    write: true,
    summary: 'Move a deal to another stage, by the pipeline rules',
    tags: ['pipeline'],
    params: dealParams,
    body: z.object({ to: z.enum(STAGES) }),
    handler: async ({ principal, params, body, idempotencyKey }) =>
      (await moveDealStage(ctx, principal, { key: idempotencyKey, dealId: params.id, to: body.to })).result,
  });
}
