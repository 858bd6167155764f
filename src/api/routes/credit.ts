import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import {
  amendFacilityTerms,
  amendmentInputSchema,
  facilityInputSchema,
  facilityQuerySchema,
  facilityView,
  openFacility,
} from '../../app/credit/facilities.ts';
import { irbFigures, irbQuerySchema } from '../../app/credit/irb.ts';
import { slug } from '../../domain/fields.ts';
import {
  amendFacilityTermsResponse,
  getFacilityResponse,
  irbFiguresResponse,
  openFacilityResponse,
} from '../responses/credit.ts';
import { route } from '../route.ts';

const tags = ['credit'];

export function creditRoutes(ctx: AppContext) {
  return {
    irbFigures: route({
      method: 'GET',
      url: '/api/credit/irb',
      access: 'credit.read',
      summary:
        'Basel II corporate IRB figures for one exposure (BCBS 2006 ¶272–273): correlation, maturity adjustment, K, risk weight',
      tags,
      query: irbQuerySchema,
      response: irbFiguresResponse,
      handler: async ({ principal, query }) => irbFigures(principal, query),
    }),
    openFacility: route({
      method: 'POST',
      url: '/api/credit/facilities',
      access: 'credit.write',
      write: true,
      summary: 'Open a lending facility on a loan deal with its terms (version 1)',
      tags,
      body: facilityInputSchema,
      response: openFacilityResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        openFacility(ctx, principal, idempotencyKey, body),
    }),
    amendFacilityTerms: route({
      method: 'POST',
      url: '/api/credit/facilities/:id/terms',
      access: 'credit.write',
      write: true,
      summary: 'Amend the terms of a facility: a new version, approved by a committee decision on its deal',
      tags,
      params: z.object({ id: slug }),
      body: amendmentInputSchema,
      response: amendFacilityTermsResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        amendFacilityTerms(ctx, principal, idempotencyKey, params.id, body),
    }),
    getFacility: route({
      method: 'GET',
      url: '/api/credit/facilities/:id',
      access: 'credit.read',
      summary:
        'A facility: latest terms, projected schedule in cents (?referenceRate=0.043 for floating), versions',
      tags,
      params: z.object({ id: slug }),
      query: facilityQuerySchema,
      response: getFacilityResponse,
      handler: async ({ principal, params, query }) => facilityView(ctx, principal, params.id, query),
    }),
  };
}
