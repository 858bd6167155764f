import { z } from 'zod';
import { addCompanies } from '../../app/companies.ts';
import type { AppContext } from '../../app/context.ts';
import { amendDeal } from '../../app/deal-amendments.ts';
import { dealCapHeadroom } from '../../app/deal-headroom.ts';
import { listDeals, moveDealStage, openDeals } from '../../app/deals.ts';
import {
  addPipelineNote,
  listPipelineNotes,
  pipelineNoteInputSchema,
  pipelineSubjectSchema,
} from '../../app/pipeline-notes.ts';
import { getCompany, getDeal, listCompanies } from '../../app/reads.ts';
import { companyInputSchema } from '../../domain/company.ts';
import { dealInputSchema } from '../../domain/deal.ts';
import { dealAmendmentInputSchema } from '../../domain/deal-amendment.ts';
import { slug } from '../../domain/fields.ts';
import { INSTRUMENTS } from '../../domain/instruments.ts';
import { STAGES } from '../../domain/stages.ts';
import {
  addCompanyResponse,
  addPipelineNoteResponse,
  amendDealResponse,
  dealHeadroomResponse,
  getCompanyResponse,
  getDealResponse,
  listCompaniesResponse,
  listDealsResponse,
  listPipelineNotesResponse,
  moveDealStageResponse,
  openDealResponse,
} from '../responses/deals.ts';
import { route } from '../route.ts';

const dealParams = z.object({ id: slug });

export function dealRoutes(ctx: AppContext) {
  return {
    listCompanies: route({
      method: 'GET',
      url: '/api/companies',
      access: 'companies.read',
      summary: 'Companies (private side: a company here may be an unannounced counterparty)',
      tags: ['pipeline'],
      response: listCompaniesResponse,
      handler: async ({ principal }) => ({ items: await listCompanies(ctx, principal) }),
    }),
    getCompany: route({
      method: 'GET',
      url: '/api/companies/:id',
      access: 'companies.read',
      summary: 'One company with its facilities and deals',
      tags: ['pipeline'],
      params: dealParams,
      response: getCompanyResponse,
      handler: ({ principal, params }) => getCompany(ctx, principal, params.id),
    }),
    addCompany: route({
      method: 'POST',
      url: '/api/companies',
      access: 'companies.write',
      write: true,
      summary: 'Add a company with its facilities',
      tags: ['pipeline'],
      body: companyInputSchema,
      response: addCompanyResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        addCompanies(ctx, principal, idempotencyKey, [body]),
    }),
    listDeals: route({
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
      response: listDealsResponse,
      handler: async ({ principal, query }) => ({ items: await listDeals(ctx, principal, query) }),
    }),
    getDeal: route({
      method: 'GET',
      url: '/api/deals/:id',
      access: 'deals.read',
      summary:
        'One deal with its company, facilities, ledger and stage history (or an approved wall-crossing)',
      tags: ['pipeline'],
      params: dealParams,
      response: getDealResponse,
      handler: ({ principal, params }) => getDeal(ctx, principal, params.id),
    }),
    dealHeadroom: route({
      method: 'GET',
      url: '/api/deals/:id/headroom',
      access: 'ledger.read',
      summary: "The caps a deal's commitments draw on, with their usage and headroom now",
      tags: ['ledger'],
      params: dealParams,
      response: dealHeadroomResponse,
      handler: ({ principal, params }) => dealCapHeadroom(ctx, principal, params.id),
    }),
    openDeal: route({
      method: 'POST',
      url: '/api/deals',
      access: 'deals.write',
      write: true,
      summary: 'Open a deal (amount in dollars as text, e.g. "75000000.00")',
      tags: ['pipeline'],
      body: dealInputSchema,
      response: openDealResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        openDeals(ctx, principal, idempotencyKey, [body]),
    }),
    amendDeal: route({
      method: 'POST',
      url: '/api/deals/:id/amendments',
      access: 'deals.write',
      write: true,
      summary:
        'Edit a deal; a change to its amount, sub-area, instrument or classification once the ledger references it needs a reason. Every change is kept in its amendment history',
      tags: ['pipeline'],
      params: dealParams,
      body: dealAmendmentInputSchema,
      response: amendDealResponse,
      handler: ({ principal, params, body, idempotencyKey }) =>
        amendDeal(ctx, principal, idempotencyKey, params.id, body),
    }),
    moveDealStage: route({
      method: 'POST',
      url: '/api/deals/:id/stage',
      access: 'deals.move',
      write: true,
      summary: 'Move a deal to another stage, by the pipeline rules',
      tags: ['pipeline'],
      params: dealParams,
      body: z.object({ to: z.enum(STAGES) }),
      response: moveDealStageResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        moveDealStage(ctx, principal, { key: idempotencyKey, dealId: params.id, to: body.to }),
    }),
    listPipelineNotes: route({
      method: 'GET',
      url: '/api/notes',
      access: 'deals.read',
      summary: "A deal's or a company's notes, newest first (private side)",
      tags: ['pipeline'],
      query: pipelineSubjectSchema,
      response: listPipelineNotesResponse,
      handler: async ({ principal, query }) => ({ items: await listPipelineNotes(ctx, principal, query) }),
    }),
    addPipelineNote: route({
      method: 'POST',
      url: '/api/notes',
      access: 'deals.write',
      write: true,
      summary: 'Add a markdown note to a deal or a company',
      tags: ['pipeline'],
      body: pipelineNoteInputSchema,
      response: addPipelineNoteResponse,
      handler: ({ principal, body, idempotencyKey }) => addPipelineNote(ctx, principal, idempotencyKey, body),
    }),
  };
}
