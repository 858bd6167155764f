/**
 * The HTTP server: Fastify 5 with zod validation on every route, an OpenAPI document at /api/openapi.json and
 * browsable docs at /api/docs. Authentication is a session cookie (HttpOnly, SameSite=Strict, with a CSRF
 * token required on every state change) or a bearer API token. Errors are always {error, message, details};
 * input the client controls never produces a 5xx.
 */
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { resolveApiToken, resolveSession } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { KeelError } from '../domain/errors.ts';
import { errorBody, statusForKeelError } from './errors.ts';
import { authenticatesItself, registerObservability } from './observability.ts';
import { registerRoutes } from './routes/index.ts';
import { toJson } from './serialize.ts';
import { serveWebApp } from './web-app.ts';

export const SESSION_COOKIE = 'keel_session';
export const CSRF_HEADER = 'x-csrf-token';
const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface ServerOptions {
  /** Send the session cookie only over HTTPS (on in production behind TLS; off for localhost). */
  secureCookies?: boolean;
  logger?: boolean;
  /** Login attempts allowed per IP per minute. */
  loginRateLimit?: number;
  /** Bearer token for GET /metrics (KEEL_METRICS_TOKEN); without one /metrics answers 404. */
  metricsToken?: string | undefined;
}

export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 10 * 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
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
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Keel API',
        version: '0.1.0',
        description:
          'Strategic-industrial capital programme: ledger, pipeline, programme summary. Amounts are integer cents as strings.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (keel_…)' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onRequest', async (request) => {
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

  // PostgreSQL text cannot hold NUL; refuse it at the door with a message, for every route at once.
  app.addHook('preValidation', async (request) => {
    const where = findNul({
      params: request.params,
      query: request.query,
      headers: request.headers,
      body: request.body,
    });
    if (where)
      throw new KeelError('invalid_text', `${where} contains a NUL character, which text fields cannot hold`);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof KeelError) {
      return reply
        .status(statusForKeelError(error))
        .send(errorBody(error.code, error.message, error.details));
    }
    if (error.validation) {
      const first = error.validation[0];
      const where = error.validationContext ?? 'request';
      const path =
        first?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ||
        (first?.params as { missingProperty?: string })?.missingProperty ||
        '';
      return reply
        .status(400)
        .send(
          errorBody(
            'invalid_request',
            `${where}${path ? `.${path}` : ''}: ${first?.message ?? 'is invalid'}`,
            { issues: error.validation.map((v) => ({ path: v.instancePath, message: v.message })) },
          ),
        );
    }
    // Safety net: a data exception from the database (SQLSTATE class 22) is caused by a value the client
    // sent; its transaction has rolled back, so nothing was written.
    const sqlState = (error as { code?: unknown }).code;
    if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
      return reply
        .status(400)
        .send(
          errorBody(
            'invalid_value',
            'a value in the request cannot be stored (the database refused it); nothing was written',
          ),
        );
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply
        .status(error.statusCode)
        .send(errorBody(error.code?.toLowerCase() ?? 'bad_request', error.message));
    }
    request.log.error(error);
    return reply.status(500).send(errorBody('internal', 'unexpected error; it has been logged'));
  });
  await serveWebApp(app);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerRoutes(app, ctx, {
    secureCookies: options.secureCookies ?? false,
    loginRateLimit: options.loginRateLimit ?? 10,
  });
  return app;
}

/** The path of the first string holding a NUL character, or null. */
function findNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'the request' : null;
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findNul(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}
