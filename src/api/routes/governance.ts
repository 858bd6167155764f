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
import {
  addCapacityResponse,
  addCouncilMeetingResponse,
  addPermitResponse,
  addRecommendationResponse,
  addStaffResponse,
  councilBookResponse,
  coverageReportResponse,
  geographyResponse,
  listDealPermitsResponse,
  movePermitResponse,
  peerOverlapResponse,
  permitBottlenecksResponse,
  reshoringReportResponse,
  setHiringPlanResponse,
  setRecommendationStatusResponse,
} from '../responses/governance.ts';
import { route } from '../route.ts';

const id = z.object({ id: z.coerce.bigint().min(1n) });

export function governanceRoutes(ctx: AppContext) {
  return {
    addPermit: route({
      method: 'POST',
      url: '/api/permits',
      access: 'permits.write',
      write: true,
      summary: 'Record a permit a deal needs, with its current stage',
      tags: ['permitting'],
      body: permitInputSchema,
      response: addPermitResponse,
      handler: async ({ principal, body, idempotencyKey }) => addPermit(ctx, principal, idempotencyKey, body),
    }),
    movePermit: route({
      method: 'POST',
      url: '/api/permits/:id/stage',
      access: 'permits.write',
      write: true,
      summary: 'Move a permit to its next stage (dates never go back; decisions are final)',
      tags: ['permitting'],
      params: id,
      body: permitMoveSchema,
      response: movePermitResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        movePermit(ctx, principal, idempotencyKey, params.id, body),
    }),
    listDealPermits: route({
      method: 'GET',
      url: '/api/deals/:id/permits',
      access: 'permits.read',
      summary: "A deal's permits with days in each stage",
      tags: ['permitting'],
      params: z.object({ id: slug }),
      response: listDealPermitsResponse,
      handler: async ({ principal, params }) => ({ permits: await dealPermits(ctx, principal, params.id) }),
    }),
    permitBottlenecks: route({
      method: 'GET',
      url: '/api/permits/bottlenecks',
      access: 'permits.aggregates',
      summary: 'Slowest permit types and agencies, projects and capital held back (no deal names)',
      tags: ['permitting'],
      query: z.object({ asOf: isoDate.optional() }),
      response: permitBottlenecksResponse,
      handler: async ({ principal, query }) => permitBottlenecks(ctx, principal, query.asOf),
    }),
    councilBook: route({
      method: 'GET',
      url: '/api/council',
      access: 'council.read',
      summary: "The advisory council's meetings, agendas (with aggregate facts) and recommendations",
      tags: ['council'],
      response: councilBookResponse,
      handler: async ({ principal }) => councilBook(ctx, principal),
    }),
    addCouncilMeeting: route({
      method: 'POST',
      url: '/api/council/meetings',
      access: 'council.manage',
      write: true,
      summary: 'Set a council meeting; its agenda carries the aggregates as of today',
      tags: ['council'],
      body: meetingInputSchema,
      response: addCouncilMeetingResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        addMeeting(ctx, principal, idempotencyKey, body),
    }),
    addRecommendation: route({
      method: 'POST',
      url: '/api/council/recommendations',
      access: 'council.manage',
      write: true,
      summary: 'Record a council recommendation with its owner',
      tags: ['council'],
      body: recommendationInputSchema,
      response: addRecommendationResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        addRecommendation(ctx, principal, idempotencyKey, body),
    }),
    setRecommendationStatus: route({
      method: 'POST',
      url: '/api/council/recommendations/:id/status',
      access: 'council.manage',
      write: true,
      summary: 'Move a recommendation (open, in progress, done, declined)',
      tags: ['council'],
      params: id,
      body: recommendationStatusSchema,
      response: setRecommendationStatusResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        setRecommendationStatus(ctx, principal, idempotencyKey, params.id, body),
    }),
    coverageReport: route({
      method: 'GET',
      url: '/api/coverage',
      access: 'coverage.read',
      summary: 'Coverage gaps, specialist load and the hiring plan against headcount',
      tags: ['coverage'],
      query: z.object({ year: z.coerce.number().int().min(2025).max(2040).optional() }),
      response: coverageReportResponse,
      handler: async ({ principal, query }) => coverageReport(ctx, principal, query.year),
    }),
    addStaff: route({
      method: 'POST',
      url: '/api/coverage/staff',
      access: 'coverage.manage',
      write: true,
      summary: 'Add a banker, investment professional or sector specialist with what they cover',
      tags: ['coverage'],
      body: staffInputSchema,
      response: addStaffResponse,
      handler: async ({ principal, body, idempotencyKey }) => addStaff(ctx, principal, idempotencyKey, body),
    }),
    setHiringPlan: route({
      method: 'POST',
      url: '/api/coverage/hiring-plan',
      access: 'coverage.manage',
      write: true,
      summary: 'Set the hiring plan (headcount per sub-area and year)',
      tags: ['coverage'],
      body: hiringPlanSchema,
      response: setHiringPlanResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        setHiringPlan(ctx, principal, idempotencyKey, body),
    }),
    geography: route({
      method: 'GET',
      url: '/api/geography',
      access: 'deals.read',
      summary:
        'Deployed and pipeline capital by state and county, facilities and clusters (filters: area, sub-area, instrument)',
      tags: ['geography'],
      query: geographyQuerySchema,
      response: geographyResponse,
      handler: async ({ principal, query }) => geography(ctx, principal, query),
    }),
    peerOverlap: route({
      method: 'GET',
      url: '/api/peers',
      access: 'programme.aggregates',
      summary:
        "Peer programmes built from their awards (each with sources and its White House statement where one exists): totals by programme, stage and sub-area; crowding by sub-area and state beside the programme's own",
      tags: ['peers'],
      response: peerOverlapResponse,
      handler: async ({ principal }) => peerOverlap(ctx, principal),
    }),
    reshoringReport: route({
      method: 'GET',
      url: '/api/reshoring',
      access: 'programme.aggregates',
      summary:
        'Domestic production share per material over time, projected with the portfolio’s capacity additions',
      tags: ['reshoring'],
      response: reshoringReportResponse,
      handler: async ({ principal }) => reshoringReport(ctx, principal),
    }),
    addCapacity: route({
      method: 'POST',
      url: '/api/reshoring/capacity',
      access: 'deals.write',
      write: true,
      summary: 'Record production capacity a deal adds for a material (unit as in the reshoring data)',
      tags: ['reshoring'],
      body: capacityInputSchema,
      response: addCapacityResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        addCapacity(ctx, principal, idempotencyKey, body),
    }),
  };
}
