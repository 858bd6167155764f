import { z } from 'zod';
import {
  equityBookMetrics,
  metricsQuerySchema,
  pacingReport,
  projectEquityBook,
  projectionQuerySchema,
  startProjection,
} from '../../app/allocation.ts';
import type { AppContext } from '../../app/context.ts';
import {
  type OptimiseProgress,
  optimise,
  optimiseInputSchema,
  startOptimisation,
} from '../../app/optimiser.ts';
import { isoDate } from '../../domain/fields.ts';
import { answerAsEventStream } from '../event-stream.ts';
import {
  equityBookMetricsResponse,
  optimiseResponse,
  pacingReportResponse,
  projectEquityBookResponse,
} from '../responses/allocation.ts';
import { route } from '../route.ts';

/** Over HTTP a projection is answered within the request; larger runs belong to `keel project`. */
const API_MAX_PATHS = 200_000;

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
      query: projectionQuerySchema.extend({
        paths: z.coerce.number().int().min(100).max(API_MAX_PATHS).default(10_000),
      }),
      heavy: true,
      response: projectEquityBookResponse,
      handler: ({ principal, query, signal }) => projectEquityBook(ctx, principal, query, { signal }),
    }),
    streamProjection: route({
      method: 'GET',
      url: '/api/projections/stream',
      access: 'programme.detail',
      summary:
        'The same projection as server-sent events: `progress` {done, total} while simulating, then `result`',
      tags: ['allocation'],
      query: projectionQuerySchema.extend({
        paths: z.coerce.number().int().min(100).max(API_MAX_PATHS).default(10_000),
      }),
      heavy: true,
      produces: ['text/event-stream'],
      handler: ({ principal, query, reply }) =>
        answerAsEventStream<{ done: number; total: number }, unknown>(reply, ({ signal, onProgress }) =>
          startProjection(ctx, principal, query, {
            signal,
            onProgress: (done, total) => onProgress({ done, total }, done === total),
          }),
        ),
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
        'The same optimisation as server-sent events: `progress` {done, total, stage, solve} per solve, then `result`; closing the response cancels it',
      tags: ['allocation'],
      body: optimiseInputSchema,
      heavy: true,
      produces: ['text/event-stream'],
      handler: ({ principal, body, reply }) =>
        answerAsEventStream<OptimiseProgress, unknown>(reply, ({ signal, onProgress }) =>
          startOptimisation(ctx, principal, body, {
            signal,
            onProgress: (p) => onProgress(p, p.stage === 'done'),
          }),
        ),
    }),
  };
}
