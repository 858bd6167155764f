/**
 * One way to declare a route: method, path, the permission it needs (documentation for the role × route
 * matrix; the use case enforces it), zod schemas for the request and the response, and a handler that only
 * calls use cases. Writes require an Idempotency-Key header; a read-scoped API token may call GET routes
 * only. Every route lands in ROUTE_TABLE, which the matrix test and the fuzzer read; the route maps' types
 * (routes/index.ts) are the contract the web client is typed from.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { takeJobSlot } from '../app/heavy-jobs.ts';
import { KeelError } from '../domain/errors.ts';
import { assertMayWrite, type Permission, type Principal } from '../domain/roles.ts';
import { abortedWhenClientLeaves } from './abort-on-close.ts';
import { errorBodySchema } from './responses/shared.ts';

export type Access = Permission | 'authenticated' | 'public';
export type Method = 'GET' | 'POST' | 'DELETE';

export interface RouteSpec<
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
  R extends z.ZodType | undefined = z.ZodType | undefined,
  M extends Method = Method,
  U extends string = string,
> {
  method: M;
  url: U;
  access: Access;
  summary: string;
  tags: string[];
  body?: B;
  query?: Q;
  params?: P;
  /**
   * The JSON answer as it goes on the wire (camelCase; cents and other bigints as decimal strings; times
   * as ISO text). The handler returns the schema's input side (bigint cents, Date), and the answer is
   * serialised through the schema, so a field the schema does not name is not sent.
   */
  response?: R;
  /** The success status when it is not 200 (an import answers 202 with its job). */
  status?: 202;
  /** An answer that is not JSON (a file, a report, an event stream): its content types. */
  produces?: readonly string[];
  /** Multipart upload: the body is read by the handler. */
  multipart?: boolean;
  write?: boolean;
  /**
   * A browser navigation answered with a redirect (the single sign-on steps), not an API operation: it is
   * left out of the OpenAPI document, which describes what a client program calls.
   */
  browserRedirect?: boolean;
  /** Requests allowed per client IP per minute (only login needs one). */
  rateLimitPerMinute?: number;
  /**
   * Heavy work answered within the request (a projection, an optimiser run, a report, a scenario run, an
   * input–output impact): it takes one of the user's job slots for as long as it runs (429 `too_many_jobs`
   * when none is free), and its handler passes `signal` down so the work stops when the client leaves. A
   * route that starts a durable job is not heavy: the job's row counts instead (jobs/use-cases.ts).
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
  }): Promise<R extends z.ZodType ? z.input<R> : unknown>;
}

/** A route with its operation id (the key it has in its capability's route map). */
export type RegisteredRoute = RouteSpec & { operationId: string };

export const ROUTE_TABLE: RegisteredRoute[] = [];

/**
 * Declares a route, keeping the literal types of its method, path and schemas for the client's type map.
 * A route without a body, query or params gets `never` for it, so a client cannot send one.
 */
export function route<
  M extends Method,
  U extends string,
  B extends z.ZodType = z.ZodNever,
  Q extends z.ZodType = z.ZodNever,
  P extends z.ZodType = z.ZodNever,
  R extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<B, Q, P, R, M, U>): RouteSpec<B, Q, P, R, M, U> {
  return spec;
}

const idempotencyKey = z.string().min(1).max(200);

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** Set when the request was authenticated by the session cookie. */
    csrfToken?: string;
  }
}

export function addRoute(app: FastifyInstance, ctx: AppContext, operationId: string, spec: RouteSpec): void {
  if (!ROUTE_TABLE.some((r) => r.method === spec.method && r.url === spec.url))
    ROUTE_TABLE.push({ ...spec, operationId });
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
      ...(spec.browserRedirect ? { hide: true } : {}),
      operationId,
      summary: spec.summary,
      tags: spec.tags,
      response: responseSchemas(spec),
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
      try {
        const result = await spec.handler({
          ctx,
          principal: principal as Principal,
          body: request.body,
          query: request.query,
          params: request.params,
          idempotencyKey: String(request.headers['idempotency-key'] ?? ''),
          request,
          reply,
          // Made on first use: most handlers never look, and each signal is a controller and a listener. A
          // client gone before then is seen all the same (abortedWhenClientLeaves checks the socket).
          get signal() {
            return abortedWhenClientLeaves(request, reply);
          },
        });
        return reply.sent ? reply : result;
      } finally {
        slot?.release();
      }
    },
  });
}

/** The success answer by status, and the error body every 4xx carries (api/errors.ts). */
function responseSchemas(spec: RouteSpec) {
  const status = spec.status ?? 200;
  const success = spec.response
    ? spec.response
    : {
        description: `${(spec.produces ?? []).join(' or ')}`,
        content: Object.fromEntries((spec.produces ?? []).map((type) => [type, { schema: z.string() }])),
      };
  return { [status]: success, '4xx': errorBodySchema };
}
