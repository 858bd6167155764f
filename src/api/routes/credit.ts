import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { bookQuerySchema, creditBook, listCreditFacilities } from '../../app/credit/book.ts';
import {
  amendFacilityTerms,
  amendmentInputSchema,
  facilityInputSchema,
  facilityQuerySchema,
  facilityView,
  openFacility,
} from '../../app/credit/facilities.ts';
import { assignGrade, gradeHistory, gradeInputSchema } from '../../app/credit/grades.ts';
import { irbFigures, irbQuerySchema } from '../../app/credit/irb.ts';
import { slug } from '../../domain/fields.ts';
import {
  amendFacilityTermsResponse,
  assignGradeResponse,
  creditBookResponse,
  getFacilityResponse,
  gradeHistoryResponse,
  irbFiguresResponse,
  listFacilitiesResponse,
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
    listFacilities: route({
      method: 'GET',
      url: '/api/credit/facilities',
      access: 'credit.read',
      summary: 'Every lending facility with its deal and obligor',
      tags,
      response: listFacilitiesResponse,
      handler: async ({ principal }) => listCreditFacilities(ctx, principal),
    }),
    creditBook: route({
      method: 'GET',
      url: '/api/credit/book',
      access: 'credit.read',
      summary:
        'The credit book as of a date (?asOf=YYYY-MM-DD): per facility grade, PD, LGD, EAD, EL and arrears; totals per obligor, sub-area and programme; concentration (HHI, top 20)',
      tags,
      query: bookQuerySchema,
      response: creditBookResponse,
      handler: async ({ principal, query }) => creditBook(ctx, principal, query),
    }),
    assignGrade: route({
      method: 'POST',
      url: '/api/credit/obligors/:id/grades',
      access: 'credit.write',
      write: true,
      summary: 'Assign an obligor (a company) a grade of the scale, with the reason; the history is kept',
      tags,
      params: z.object({ id: slug }),
      body: gradeInputSchema,
      response: assignGradeResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        assignGrade(ctx, principal, idempotencyKey, params.id, body),
    }),
    gradeHistory: route({
      method: 'GET',
      url: '/api/credit/obligors/:id/grades',
      access: 'credit.read',
      summary:
        "An obligor's grade history (who, when, why), newest first, with the grade scale and its sources",
      tags,
      params: z.object({ id: slug }),
      response: gradeHistoryResponse,
      handler: async ({ principal, params }) => gradeHistory(ctx, principal, params.id),
    }),
  };
}
