/**
 * One way to declare a route: method, path, the permission it needs (documentation for the role × route
 * matrix; the use case enforces it), zod schemas, and a handler that only calls use cases. Writes require an
 * Idempotency-Key header; a read-scoped API token may call GET routes only. Every route lands in ROUTE_TABLE,
 * which the matrix test and the fuzzer read.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { takeJobSlot } from '../app/heavy-jobs.ts';
import { KeelError } from '../domain/errors.ts';
import { assertMayWrite, type Permission, type Principal } from '../domain/roles.ts';
import { abortedWhenClientLeaves } from './abort-on-close.ts';

export type Access = Permission | 'authenticated' | 'public';

export interface RouteSpec<
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
> {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  access: Access;
  summary: string;
  tags: string[];
  body?: B;
  query?: Q;
  params?: P;
  /** Multipart upload: the body is read by the handler. */
  multipart?: boolean;
  write?: boolean;
  /** Requests allowed per client IP per minute (only login needs one). */
  rateLimitPerMinute?: number;
  /**
   * Heavy work (a projection, an optimiser run, an import, a report, a scenario run, an input–output
   * impact): it takes one of the user's job slots for as long as it runs (429 `too_many_jobs` when none is
   * free), and its handler passes `signal` down so the work stops when the client leaves.
   */
  heavy?: boolean;
  handler(input: {
    ctx: AppContext;
    principal: Principal;
    body: z.infer<B>;
    query: z.infer<Q>;
    params: z.infer<P>;
    idempotencyKey: string;
    request: FastifyRequest;
    reply: FastifyReply;
    /** Aborts when the client goes away before the response is finished. */
    signal: AbortSignal;
    /** For heavy work that goes on after the response (an import job): the job slot is held until it settles. */
    keepJobSlotUntil(settled: Promise<unknown>): void;
  }): Promise<unknown>;
}

export const ROUTE_TABLE: RouteSpec[] = [];

const idempotencyKey = z.string().min(1).max(200);

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** Set when the request was authenticated by the session cookie. */
    csrfToken?: string;
  }
}

export function addRoute<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  app: FastifyInstance,
  ctx: AppContext,
  spec: RouteSpec<B, Q, P>,
): void {
  if (!ROUTE_TABLE.some((r) => r.method === spec.method && r.url === spec.url))
    ROUTE_TABLE.push(spec as unknown as RouteSpec);
  app.withTypeProvider<ZodTypeProvider>().route({
    method: spec.method,
    url: spec.url,
    // A read-scoped token may call GET routes only: every POST or DELETE is refused here, before the body is
    // validated and before any handler runs, whatever the route's declared access. (Route hooks run after the
    // server's own preValidation hook, which authenticates once the body has passed the size and depth limits.)
    ...(spec.method === 'GET'
      ? {}
      : {
          preValidation: async (request: FastifyRequest) => {
            if (request.principal) assertMayWrite(request.principal);
          },
        }),
    ...(spec.rateLimitPerMinute
      ? { config: { rateLimit: { max: spec.rateLimitPerMinute, timeWindow: '1 minute' } } }
      : {}),
    schema: {
      summary: spec.summary,
      tags: spec.tags,
      ...(spec.body && !spec.multipart ? { body: spec.body } : {}),
      ...(spec.query ? { querystring: spec.query } : {}),
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.write ? { headers: z.object({ 'idempotency-key': idempotencyKey }) } : {}),
    },
    handler: async (request, reply) => {
      const principal = request.principal;
      if (spec.access !== 'public' && !principal)
        throw new KeelError('unauthenticated', 'log in or send an API token');
      const slot = spec.heavy ? takeJobSlot(principal as Principal) : null;
      let heldUntil: Promise<unknown> | null = null;
      try {
        const result = await spec.handler({
          ctx,
          principal: principal as Principal,
          body: request.body as z.infer<B>,
          query: request.query as z.infer<Q>,
          params: request.params as z.infer<P>,
          idempotencyKey: String(request.headers['idempotency-key'] ?? ''),
          request,
          reply,
          signal: abortedWhenClientLeaves(request, reply),
          keepJobSlotUntil: (settled) => {
            heldUntil = settled;
          },
        });
        return reply.sent ? reply : result;
      } finally {
        if (slot && heldUntil) void (heldUntil as Promise<unknown>).finally(() => slot.release());
        else slot?.release();
      }
    },
  });
}
