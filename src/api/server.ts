/**
 * The HTTP server: Fastify 5 with zod validation on every route, an OpenAPI document at /api/openapi.json and
 * browsable docs at /api/docs. Authentication is a session cookie (HttpOnly, SameSite=Strict, with a CSRF
 * token required on every state change) or a bearer API token. Errors are always {error, message, details};
 * input the client controls never produces a 5xx.
 */
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler } from 'fastify-type-provider-zod';
import { resolveApiToken, resolveSession } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { startImportJobRunner } from '../app/import-jobs.ts';
import { KeelError } from '../domain/errors.ts';
import { type ErrorBody, errorBody, statusForKeelError } from './errors.ts';
import { integrityErrorBody } from './integrity-errors.ts';
import { authenticatesItself, registerObservability } from './observability.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';
import { enforceRequestLimits, findUnstorableText, MAX_JSON_BYTES } from './request-limits.ts';
import { registerRoutes } from './routes/index.ts';
import { responseSerializer, toJson } from './serialize.ts';
import { CSRF_HEADER, SESSION_COOKIE } from './session-names.ts';
import { serveWebApp } from './web-app.ts';

const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The capabilities the operations are grouped by in the OpenAPI document: name → description. */
const API_TAGS = Object.entries({
  auth: 'Sign-in, sessions and who is asking',
  admin: 'Users, role changes (four eyes) and API tokens',
  compliance: 'Wall-crossings over the information barrier',
  programme: 'Programme summary, public aggregates and taxonomy',
  pipeline: 'Companies and deals through the pipeline stages',
  ledger: 'The append-only ledger',
  audit: 'Verification of the audit chain and the ledger against it',
  files: 'CSV imports (background jobs) and exports',
  jobs: 'Durable jobs of every kind (imports, projections, optimiser runs, risk): list, watch, result, cancel',
  allocation: 'Pacing, equity-book metrics, projections and the optimiser',
  committee: 'The investment committee: agenda, votes, decisions, conditions',
  research: 'Dependency graph, criticality, scenarios, input–output, notes, event studies',
  network: 'Client network: organisations, relationships, capital stacks',
  reports: 'Quarterly and monthly reports (HTML or PDF)',
  permitting: 'Permits and their bottlenecks',
  council: 'The advisory council: meetings and recommendations',
  coverage: 'Coverage of sub-areas by staff, and the hiring plan',
  geography: 'Capital by state and county',
  peers: 'Peer and competing programmes',
  'public-record': "The programme's reported deals and the White House statements the peer awards cite",
  reshoring: 'Domestic production shares and capacity added',
  credit: 'Lending facilities and Basel IRB figures',
  notifications: 'Your own notifications: agenda, decisions, wall-crossings, imports, deal teams',
}).map(([name, description]) => ({ name, description }));

export interface ServerOptions {
  /** Send the session cookie only over HTTPS (on in production behind TLS; off for localhost). */
  secureCookies?: boolean;
  /** Log every request as pino JSON on stdout (on in `keel serve`; off in tests). */
  logger?: boolean;
  /** Login attempts allowed per IP per minute. */
  loginRateLimit?: number;
  /** Bearer token for GET /metrics (KEEL_METRICS_TOKEN); without one /metrics answers 404. */
  metricsToken?: string | undefined;
  /**
   * Refuse (500) an answer that does not fit its route's response schema, instead of sending it as made with
   * a warning. On in the test suite (KEEL_STRICT_RESPONSES=1, vitest.config.ts).
   */
  strictResponses?: boolean;
}

export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: process.env.LOG_LEVEL ?? 'info' } : false,
    bodyLimit: MAX_JSON_BYTES,
    // Keel makes every request id itself: a client-chosen one could collide with another or forge log lines.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  });
  // First of all hooks, so that every answer (a 401, a 413, a 500) carries the id its log lines carry.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  enforceRequestLimits(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(
    responseSerializer(options.strictResponses ?? process.env.KEEL_STRICT_RESPONSES === '1'),
  );
  app.setReplySerializer((payload) => toJson(payload));
  registerObservability(app, ctx, { metricsToken: options.metricsToken });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    // Counted in the database: shared by every server on it, kept across restarts.
    store: databaseRateLimitStore(ctx),
    errorResponseBuilder: (_request, context) =>
      new KeelError('rate_limited', `rate limit reached: too many requests; try again in ${context.after}`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Keel API',
        version: '0.1.0',
        // The repository is private and grants no licence (package.json: private, no licence field).
        license: { name: 'Proprietary (no licence granted)', identifier: 'LicenseRef-Proprietary' },
        description:
          'Strategic-industrial capital programme: ledger, pipeline, programme summary. Amounts are integer cents as strings in responses and dollar text in requests; every write needs an Idempotency-Key header and answers {result, replayed}; every refusal is an ErrorBody.',
      },
      // Relative: the document describes the server it is served by.
      servers: [{ url: '/', description: 'this Keel server' }],
      tags: API_TAGS,
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (keel_…)' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    // The error body is one component; zod's registry also emits an input twin of it that nothing uses.
    transformObject: (document) => {
      const object = jsonSchemaTransformObject(document) as {
        components?: { schemas?: Record<string, unknown> };
      };
      delete object.components?.schemas?.ErrorBodyInput;
      return object as ReturnType<typeof jsonSchemaTransformObject>;
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  // Authentication runs once the body has passed the size and depth limits (the JSON parser, above), so a
  // hostile body is refused before any token or session is looked up.
  app.addHook('preValidation', async (request) => {
    if (authenticatesItself(request)) return;
    const auth = request.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const principal = await resolveApiToken(ctx, auth.slice(7).trim());
      if (!principal) throw new KeelError('unauthenticated', 'the API token is unknown, expired or revoked');
      request.principal = principal;
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await resolveSession(ctx, token);
    if (!session) return; // an expired cookie is the same as none
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
      throw new KeelError(
        'csrf',
        `state-changing requests from the browser need the ${CSRF_HEADER} header of the session`,
      );
    }
    request.principal = session.principal;
    request.csrfToken = session.csrfToken;
  });

  // PostgreSQL text cannot hold NUL or a lone surrogate; refuse them at the door, for every route at once.
  app.addHook('preValidation', async (request) => {
    const found = findUnstorableText({
      params: request.params,
      query: request.query,
      headers: request.headers,
      body: request.body,
    });
    if (found) throw new KeelError('invalid_text', `${found.path} contains ${found.problem}`);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const [status, body] = answerFor(error, request.id);
    // A refusal that knows when to try again (rate limits, a user's heavy jobs) says so in Retry-After.
    const retryAfter = error instanceof KeelError ? error.details.retryAfterSeconds : undefined;
    if (typeof retryAfter === 'number') reply.header('retry-after', String(Math.ceil(retryAfter)));
    if (status >= 500) request.log.error(error);
    return reply.status(status).send(body);
  });
  await serveWebApp(app);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerRoutes(app, ctx, {
    secureCookies: options.secureCookies ?? false,
    loginRateLimit: options.loginRateLimit ?? 10,
  });
  // Every server runs queued imports, its own and other servers' (app/import-jobs.ts); closing hands the
  // jobs running here back to the queue.
  const importJobs = await startImportJobRunner(ctx);
  app.addHook('onClose', () => importJobs.stop());
  return app;
}

/** The status and body for an error: every code from the closed table; a 5xx only for Keel's own faults. */
function answerFor(error: FastifyError, requestId: string): [number, ErrorBody] {
  if (error instanceof KeelError)
    return [statusForKeelError(error), errorBody(error.code, error.message, error.details)];
  if (error.validation) {
    const first = error.validation[0];
    const where = error.validationContext ?? 'request';
    const path =
      first?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ||
      (first?.params as { missingProperty?: string })?.missingProperty ||
      '';
    return [
      400,
      errorBody('invalid_request', `${where}${path ? `.${path}` : ''}: ${first?.message ?? 'is invalid'}`, {
        issues: error.validation.map((v) => ({ path: v.instancePath, message: v.message })),
      }),
    ];
  }
  const sqlState = (error as { code?: unknown }).code;
  // Safety net: a data exception from the database (SQLSTATE class 22) is caused by a value the client
  // sent; its transaction has rolled back, so nothing was written.
  if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
    return [
      400,
      errorBody(
        'invalid_value',
        'a value in the request cannot be stored (the database refused it); nothing was written',
      ),
    ];
  }
  // An integrity constraint (class 23) the use case did not check first: still the request's fault.
  if (typeof sqlState === 'string' && /^23[0-9A-Z]{3}$/.test(sqlState)) {
    const body = integrityErrorBody(sqlState, error);
    return [body.error === 'conflict' ? 409 : 422, body];
  }
  const status = error.statusCode ?? 500;
  if (status === 413) return [413, errorBody('payload_too_large', error.message)];
  if (status === 415) return [415, errorBody('unsupported_media_type', error.message)];
  if (status === 429) return [429, errorBody('rate_limited', error.message)];
  if (status === 404) return [404, errorBody('not_found', error.message)];
  if (status >= 400 && status < 500) return [status, errorBody('bad_request', error.message)];
  return [500, errorBody('internal', `unexpected error; logged with request id ${requestId}`, { requestId })];
}
