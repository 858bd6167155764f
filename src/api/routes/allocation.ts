import type { FastifyInstance } from 'fastify';
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
import { optimise, optimiseInputSchema } from '../../app/optimiser.ts';
import { isoDate } from '../../domain/fields.ts';
import { addRoute } from '../route.ts';
import { toJson } from '../serialize.ts';

/** Over HTTP a projection is answered within the request; larger runs belong to `keel project`. */
const API_MAX_PATHS = 200_000;

export function registerAllocationRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/pacing',
    access: 'programme.aggregates',
    summary: 'Plan vs counted to date, run-rates, required run-rates and status per target',
    tags: ['allocation'],
    query: z.object({ asOf: isoDate.optional() }),
    handler: ({ principal, query }) => pacingReport(ctx, principal, query.asOf),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/metrics',
    access: 'ledger.read',
    summary:
      'Equity and venture book: paid-in, distributed, NAV, DPI, RVPI, TVPI, MOIC, XIRR by deal, sub-area, area, vintage or book',
    tags: ['allocation'],
    query: metricsQuerySchema,
    handler: ({ principal, query }) => equityBookMetrics(ctx, principal, query),
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/projections',
    access: 'programme.detail',
    summary: 'Takahashi-Alexander projection of the equity book with Monte Carlo P10/P50/P90 bands (seeded)',
    tags: ['allocation'],
    query: projectionQuerySchema.extend({
      paths: z.coerce.number().int().min(100).max(API_MAX_PATHS).default(10_000),
    }),
    handler: ({ principal, query, request }) => {
      const controller = new AbortController();
      request.raw.on('close', () => {
        if (!request.raw.complete) controller.abort();
      });
      return projectEquityBook(ctx, principal, query, { signal: controller.signal });
    },
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/projections/stream',
    access: 'programme.detail',
    summary:
      'The same projection as server-sent events: `progress` {done, total} while simulating, then `result`',
    tags: ['allocation'],
    query: projectionQuerySchema.extend({
      paths: z.coerce.number().int().min(100).max(API_MAX_PATHS).default(10_000),
    }),
    handler: async ({ principal, query, reply }) => {
      // Closing the stream (EventSource.close(), a closed tab) cancels the simulation in the workers.
      const controller = new AbortController();
      // The response closing before it finished means the client went away (the request's own 'close' fires
      // as soon as its body has been read).
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      const out = reply.raw;
      const send = (event: string, data: unknown) => out.write(`event: ${event}\ndata: ${toJson(data)}\n\n`);
      let last = 0;
      // Refused (403) here, before the stream starts; progress only arrives after the hijack below.
      const work = startProjection(ctx, principal, query, {
        signal: controller.signal,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - last > 100 || done === total) {
            last = now;
            send('progress', { done, total });
          }
        },
      });
      reply.hijack();
      out.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      try {
        send('result', await work);
      } catch (error) {
        if (!controller.signal.aborted) send('failure', { message: (error as Error).message });
      } finally {
        out.end();
      }
    },
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/optimise',
    access: 'deals.read',
    summary:
      'Choose pipeline deals that maximise resilience within budget and caps (HiGHS); binding constraints, shadow prices, frontier',
    tags: ['allocation'],
    body: optimiseInputSchema,
    handler: ({ principal, body }) => optimise(ctx, principal, body),
  });
}
