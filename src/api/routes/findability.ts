import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import {
  dealFilterSchema,
  dealListQuerySchema,
  listDealPage,
  pipelineStageTotals,
  search,
  searchQuerySchema,
} from '../../app/findability.ts';
import { addRoute } from '../route.ts';

export function registerFindabilityRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/deal-list',
    access: 'deals.read',
    summary:
      'A page of deals, sorted (amount, name, stage, updated) and filtered (stage, area, sub-area, instrument, pipeline, banker, words) on the server',
    tags: ['pipeline'],
    query: dealListQuerySchema,
    handler: ({ principal, query }) => listDealPage(ctx, principal, query),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/pipeline/stages',
    access: 'deals.read',
    summary:
      'Deals and amount per stage, with the same filters as the deals list (the board’s column totals)',
    tags: ['pipeline'],
    query: dealFilterSchema,
    handler: ({ principal, query }) => pipelineStageTotals(ctx, principal, query),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/search',
    access: 'programme.aggregates',
    summary:
      'Search deals, companies and organisations by a word of their name (only what your role may read: the public side finds none)',
    tags: ['pipeline'],
    query: searchQuerySchema,
    handler: ({ principal, query }) => search(ctx, principal, query),
  });
}
