import type { FastifyInstance } from 'fastify';
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
import { addRoute } from '../route.ts';

const tags = ['credit'];

export function registerCreditRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/credit/irb',
    access: 'credit.read',
    summary:
      'Basel II corporate IRB figures for one exposure (BCBS 2006 ¶272–273): correlation, maturity adjustment, K, risk weight',
    tags,
    query: irbQuerySchema,
    handler: async ({ principal, query }) => irbFigures(principal, query),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/credit/facilities',
    access: 'credit.write',
    write: true,
    summary: 'Open a lending facility on a loan deal with its terms (version 1)',
    tags,
    body: facilityInputSchema,
    handler: async ({ principal, body, idempotencyKey }) =>
      (await openFacility(ctx, principal, idempotencyKey, body)).result,
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/credit/facilities/:id/terms',
    access: 'credit.write',
    write: true,
    summary: 'Amend the terms of a facility: a new version, approved by a committee decision on its deal',
    tags,
    params: z.object({ id: slug }),
    body: amendmentInputSchema,
    handler: async ({ principal, params, body, idempotencyKey }) =>
      (await amendFacilityTerms(ctx, principal, idempotencyKey, params.id, body)).result,
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/credit/facilities/:id',
    access: 'credit.read',
    summary:
      'A facility: latest terms, projected schedule in cents (?referenceRate=0.043 for floating), versions',
    tags,
    params: z.object({ id: slug }),
    query: facilityQuerySchema,
    handler: async ({ principal, params, query }) => facilityView(ctx, principal, params.id, query),
  });
}
