import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import {
  companyListQuerySchema,
  dealFilterSchema,
  dealListQuerySchema,
  listCompanyPage,
  listDealPage,
  listOrganisationPage,
  organisationListQuerySchema,
  pipelineStageTotals,
  search,
  searchQuerySchema,
} from '../../app/findability.ts';
import { ledgerListQuerySchema, listLedgerPage } from '../../app/ledger-list.ts';
import { listSavedViews, removeSavedView, savedViewListSchema, saveView } from '../../app/saved-views.ts';
import { rowId } from '../../domain/fields.ts';
import { savedViewInputSchema } from '../../domain/saved-views.ts';
import {
  listCompanyPageResponse,
  listDealPageResponse,
  listLedgerPageResponse,
  listOrganisationPageResponse,
  listSavedViewsResponse,
  pipelineStageTotalsResponse,
  removeSavedViewResponse,
  saveViewResponse,
  searchResponse,
} from '../responses/findability.ts';
import { route } from '../route.ts';

const tags = ['pipeline'];

export function findabilityRoutes(ctx: AppContext) {
  return {
    listDealPage: route({
      method: 'GET',
      url: '/api/deal-list',
      access: 'deals.read',
      summary:
        'A page of deals, sorted (amount, name, stage, updated) and filtered (stage, area, sub-area, instrument, pipeline, banker, words) on the server',
      tags,
      query: dealListQuerySchema,
      response: listDealPageResponse,
      handler: ({ principal, query }) => listDealPage(ctx, principal, query),
    }),
    listCompanyPage: route({
      method: 'GET',
      url: '/api/company-list',
      access: 'companies.read',
      summary:
        'The company index: a page of companies with their deal count and amount, sorted (name, deals, amount) and filtered by words on the server',
      tags,
      query: companyListQuerySchema,
      response: listCompanyPageResponse,
      handler: ({ principal, query }) => listCompanyPage(ctx, principal, query),
    }),
    listOrganisationPage: route({
      method: 'GET',
      url: '/api/organisation-list',
      access: 'network.read',
      summary:
        "The client network's organisation index: a page of organisations with the deals they stand in and what they committed, sorted and filtered (words, kind, country) on the server",
      tags: ['network'],
      query: organisationListQuerySchema,
      response: listOrganisationPageResponse,
      handler: ({ principal, query }) => listOrganisationPage(ctx, principal, query),
    }),
    listLedgerPage: route({
      method: 'GET',
      url: '/api/ledger-list',
      access: 'ledger.read',
      summary:
        'A page of ledger entries with their deal and company, sorted (date, amount, seq, deal, company, kind, recordedBy) and filtered (kind, deal, company, sub-area, effective dates, words) on the server, with the count and exact sum per kind of the filtered set',
      tags: ['ledger'],
      query: ledgerListQuerySchema,
      response: listLedgerPageResponse,
      handler: ({ principal, query }) => listLedgerPage(ctx, principal, query),
    }),
    pipelineStageTotals: route({
      method: 'GET',
      url: '/api/pipeline/stages',
      access: 'deals.read',
      summary:
        'Deals and amount per stage, with the same filters as the deals list (the board’s column totals)',
      tags,
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
      tags,
      query: searchQuerySchema,
      response: searchResponse,
      handler: ({ principal, query }) => search(ctx, principal, query),
    }),
    listSavedViews: route({
      method: 'GET',
      url: '/api/saved-views',
      access: 'authenticated',
      summary: 'Your own saved views (named filters of a list page), of one page or all',
      tags,
      query: savedViewListSchema,
      response: listSavedViewsResponse,
      handler: async ({ principal, query }) => ({ items: await listSavedViews(ctx, principal, query) }),
    }),
    saveView: route({
      method: 'POST',
      url: '/api/saved-views',
      access: 'authenticated',
      write: true,
      summary: "Save the page's filters under a name of yours (the same name again replaces them)",
      tags,
      body: savedViewInputSchema,
      response: saveViewResponse,
      handler: ({ principal, body, idempotencyKey }) => saveView(ctx, principal, idempotencyKey, body),
    }),
    removeSavedView: route({
      method: 'DELETE',
      url: '/api/saved-views/:id',
      access: 'authenticated',
      write: true,
      summary: 'Delete one of your saved views',
      tags,
      params: z.object({ id: rowId }),
      response: removeSavedViewResponse,
      handler: ({ principal, params, idempotencyKey }) =>
        removeSavedView(ctx, principal, idempotencyKey, params.id),
    }),
  };
}
