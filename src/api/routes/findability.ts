import type { AppContext } from '../../app/context.ts';
import {
  dealFilterSchema,
  dealListQuerySchema,
  listDealPage,
  pipelineStageTotals,
  search,
  searchQuerySchema,
} from '../../app/findability.ts';
import {
  listDealPageResponse,
  pipelineStageTotalsResponse,
  searchResponse,
} from '../responses/findability.ts';
import { route } from '../route.ts';

export function findabilityRoutes(ctx: AppContext) {
  return {
    listDealPage: route({
      method: 'GET',
      url: '/api/deal-list',
      access: 'deals.read',
      summary:
        'A page of deals, sorted (amount, name, stage, updated) and filtered (stage, area, sub-area, instrument, pipeline, banker, words) on the server',
      tags: ['pipeline'],
      query: dealListQuerySchema,
      response: listDealPageResponse,
      handler: ({ principal, query }) => listDealPage(ctx, principal, query),
    }),
    pipelineStageTotals: route({
      method: 'GET',
      url: '/api/pipeline/stages',
      access: 'deals.read',
      summary:
        'Deals and amount per stage, with the same filters as the deals list (the board’s column totals)',
      tags: ['pipeline'],
      query: dealFilterSchema,
      response: pipelineStageTotalsResponse,
      handler: ({ principal, query }) => pipelineStageTotals(ctx, principal, query),
    }),
    search: route({
      method: 'GET',
      url: '/api/search',
      access: 'programme.aggregates',
      summary:
        'Search deals, companies and organisations by a word of their name (only what your role may read: the public side finds none)',
      tags: ['pipeline'],
      query: searchQuerySchema,
      response: searchResponse,
      handler: ({ principal, query }) => search(ctx, principal, query),
    }),
  };
}
