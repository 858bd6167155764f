import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { geography, geographyQuerySchema } from '../../app/geography.ts';
import {
  addMeeting,
  addRecommendation,
  councilBook,
  meetingInputSchema,
  recommendationInputSchema,
  recommendationStatusSchema,
  setRecommendationStatus,
} from '../../app/governance/council.ts';
import {
  addStaff,
  coverageReport,
  hiringPlanSchema,
  setHiringPlan,
  staffInputSchema,
} from '../../app/governance/coverage.ts';
import { peerOverlap } from '../../app/governance/peers.ts';
import {
  addPermit,
  dealPermits,
  movePermit,
  permitBottlenecks,
  permitInputSchema,
} from '../../app/governance/permits.ts';
import { addCapacity, capacityInputSchema, reshoringReport } from '../../app/governance/reshoring.ts';
import { isoDate, slug } from '../../domain/fields.ts';
import { permitMoveSchema } from '../../domain/permitting.ts';
import { addRoute } from '../route.ts';

const id = z.object({ id: z.coerce.bigint().min(1n) });

export function registerGovernanceRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/permits',
    access: 'permits.write',
    write: true,
    summary: 'Record a permit a deal needs, with its current stage',
    tags: ['permitting'],
    body: permitInputSchema,
    handler: async ({ principal, body, idempotencyKey }) => addPermit(ctx, principal, idempotencyKey, body),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/permits/:id/stage',
    access: 'permits.write',
    write: true,
    summary: 'Move a permit to its next stage (dates never go back; decisions are final)',
    tags: ['permitting'],
    params: id,
    body: permitMoveSchema,
    handler: async ({ principal, params, body, idempotencyKey }) =>
      movePermit(ctx, principal, idempotencyKey, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/deals/:id/permits',
    access: 'permits.read',
    summary: "A deal's permits with days in each stage",
    tags: ['permitting'],
    params: z.object({ id: slug }),
    handler: async ({ principal, params }) => ({ permits: await dealPermits(ctx, principal, params.id) }),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/permits/bottlenecks',
    access: 'permits.aggregates',
    summary: 'Slowest permit types and agencies, projects and capital held back (no deal names)',
    tags: ['permitting'],
    query: z.object({ asOf: isoDate.optional() }),
    handler: async ({ principal, query }) => permitBottlenecks(ctx, principal, query.asOf),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/council',
    access: 'council.read',
    summary: "The advisory council's meetings, agendas (with aggregate facts) and recommendations",
    tags: ['council'],
    handler: async ({ principal }) => councilBook(ctx, principal),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/council/meetings',
    access: 'council.manage',
    write: true,
    summary: 'Set a council meeting; its agenda carries the aggregates as of today',
    tags: ['council'],
    body: meetingInputSchema,
    handler: async ({ principal, body, idempotencyKey }) => addMeeting(ctx, principal, idempotencyKey, body),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/council/recommendations',
    access: 'council.manage',
    write: true,
    summary: 'Record a council recommendation with its owner',
    tags: ['council'],
    body: recommendationInputSchema,
    handler: async ({ principal, body, idempotencyKey }) =>
      addRecommendation(ctx, principal, idempotencyKey, body),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/council/recommendations/:id/status',
    access: 'council.manage',
    write: true,
    summary: 'Move a recommendation (open, in progress, done, declined)',
    tags: ['council'],
    params: id,
    body: recommendationStatusSchema,
    handler: async ({ principal, params, body, idempotencyKey }) =>
      setRecommendationStatus(ctx, principal, idempotencyKey, params.id, body),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/coverage',
    access: 'coverage.read',
    summary: 'Coverage gaps, specialist load and the hiring plan against headcount',
    tags: ['coverage'],
    query: z.object({ year: z.coerce.number().int().min(2025).max(2040).optional() }),
    handler: async ({ principal, query }) => coverageReport(ctx, principal, query.year),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/coverage/staff',
    access: 'coverage.manage',
    write: true,
    summary: 'Add a banker, investment professional or sector specialist with what they cover',
    tags: ['coverage'],
    body: staffInputSchema,
    handler: async ({ principal, body, idempotencyKey }) => addStaff(ctx, principal, idempotencyKey, body),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/coverage/hiring-plan',
    access: 'coverage.manage',
    write: true,
    summary: 'Set the hiring plan (headcount per sub-area and year)',
    tags: ['coverage'],
    body: hiringPlanSchema,
    handler: async ({ principal, body, idempotencyKey }) =>
      setHiringPlan(ctx, principal, idempotencyKey, body),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/geography',
    access: 'deals.read',
    summary:
      'Deployed and pipeline capital by state and county, facilities and clusters (filters: area, sub-area, instrument)',
    tags: ['geography'],
    query: geographyQuerySchema,
    handler: async ({ principal, query }) => geography(ctx, principal, query),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/peers',
    access: 'programme.aggregates',
    summary:
      "Peer programmes built from their awards (each with sources and its White House statement where one exists): totals by programme, stage and sub-area; crowding by sub-area and state beside the programme's own",
    tags: ['peers'],
    handler: async ({ principal }) => peerOverlap(ctx, principal),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/reshoring',
    access: 'programme.aggregates',
    summary:
      'Domestic production share per material over time, projected with the portfolio’s capacity additions',
    tags: ['reshoring'],
    handler: async ({ principal }) => reshoringReport(ctx, principal),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/reshoring/capacity',
    access: 'deals.write',
    write: true,
    summary: 'Record production capacity a deal adds for a material (unit as in the reshoring data)',
    tags: ['reshoring'],
    body: capacityInputSchema,
    handler: async ({ principal, body, idempotencyKey }) => addCapacity(ctx, principal, idempotencyKey, body),
  });
}
