import { z } from 'zod';
import {
  equityBookMetrics,
  metricsQuerySchema,
  pacingReport,
  projectEquityBook,
} from '../../app/allocation.ts';
import type { AppContext } from '../../app/context.ts';
import { apiProjectionQuerySchema, optimisationJob, projectionJob } from '../../app/jobs/compute-kinds.ts';
import { startJob } from '../../app/jobs/use-cases.ts';
import { optimise, optimiseInputSchema } from '../../app/optimiser.ts';
import { isoDate } from '../../domain/fields.ts';
import { answerJobAsEventStream } from '../job-stream.ts';
import {
  equityBookMetricsResponse,
  optimiseResponse,
  pacingReportResponse,
  projectEquityBookResponse,
} from '../responses/allocation.ts';
import { route } from '../route.ts';

/**
 * The plain GET/POST answer within the request, in this process (the client waits for it anyway, and the queue
 * would add its latency); the /stream routes run a durable job, which any server runs, watches and cancels.
 */
export function allocationRoutes(ctx: AppContext) {
  return {
    pacingReport: route({
      method: 'GET',
      url: '/api/pacing',
      access: 'programme.aggregates',
      summary: 'Plan vs counted to date, run-rates, required run-rates and status per target',
      tags: ['allocation'],
      query: z.object({ asOf: isoDate.optional() }),
      response: pacingReportResponse,
      handler: ({ principal, query }) => pacingReport(ctx, principal, query.asOf),
    }),
    equityBookMetrics: route({
      method: 'GET',
      url: '/api/metrics',
      access: 'ledger.read',
      summary:
        'Equity and venture book: paid-in, distributed, NAV, DPI, RVPI, TVPI, MOIC, XIRR by deal, sub-area, area, vintage or book',
      tags: ['allocation'],
      query: metricsQuerySchema,
      response: equityBookMetricsResponse,
      handler: ({ principal, query }) => equityBookMetrics(ctx, principal, query),
    }),
    projectEquityBook: route({
      method: 'GET',
      url: '/api/projections',
      access: 'programme.detail',
      summary:
        'Takahashi-Alexander projection of the equity book with Monte Carlo P10/P50/P90 bands (seeded)',
      tags: ['allocation'],
      query: apiProjectionQuerySchema,
      heavy: true,
      response: projectEquityBookResponse,
      handler: ({ principal, query, signal }) => projectEquityBook(ctx, principal, query, { signal }),
    }),
    streamProjection: route({
      method: 'GET',
      url: '/api/projections/stream',
      access: 'programme.detail',
      summary:
        'The same projection as a durable job, answered as server-sent events: `job` {id, kind}, `progress` {done, total} while simulating, then `result`; closing the response cancels the job',
      tags: ['allocation'],
      query: apiProjectionQuerySchema,
      produces: ['text/event-stream'],
      handler: ({ principal, query, reply }) =>
        answerJobAsEventStream(reply, ctx, principal, () => startJob(ctx, principal, projectionJob, query)),
    }),
    optimise: route({
      method: 'POST',
      url: '/api/optimise',
      access: 'deals.read',
      summary:
        'Choose pipeline deals that maximise resilience within budget and caps (HiGHS); binding constraints, shadow prices, frontier',
      tags: ['allocation'],
      body: optimiseInputSchema,
      heavy: true,
      response: optimiseResponse,
      handler: ({ principal, body, signal }) => optimise(ctx, principal, body, { signal }),
    }),
    streamOptimisation: route({
      method: 'POST',
      url: '/api/optimise/stream',
      access: 'deals.read',
      summary:
        'The same optimisation as a durable job, answered as server-sent events: `job` {id, kind}, `progress` {done, total, stage, solve} per solve, then `result`; closing the response cancels the job',
      tags: ['allocation'],
      body: optimiseInputSchema,
      produces: ['text/event-stream'],
      handler: ({ principal, body, reply }) =>
        answerJobAsEventStream(reply, ctx, principal, () => startJob(ctx, principal, optimisationJob, body)),
    }),
  };
}
