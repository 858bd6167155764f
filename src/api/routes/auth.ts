import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { login, logout } from '../../app/auth.ts';
import type { AppContext } from '../../app/context.ts';
import { addRoute } from '../route.ts';
import { SESSION_COOKIE } from '../session-names.ts';
import type { RouteOptions } from './index.ts';

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext, options: RouteOptions): void {
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/auth/login',
    access: 'public',
    summary: 'Log in with email and password; sets the session cookie and returns the CSRF token',
    tags: ['auth'],
    // Login is what guessing attacks aim at: a per-IP budget on top of argon2id's cost.
    rateLimitPerMinute: options.loginRateLimit,
    body: z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) }),
    async handler({ body, reply }) {
      const session = await login(ctx, body);
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: options.secureCookies,
        path: '/',
        expires: new Date(session.expiresAt),
      });
      return { user: session.principal, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/auth/logout',
    access: 'authenticated',
    summary: 'End the session',
    tags: ['auth'],
    async handler({ principal, request, reply }) {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await logout(ctx, principal, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { loggedOut: true };
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/me',
    access: 'authenticated',
    summary: 'Who am I',
    tags: ['auth'],
    async handler({ principal, request }) {
      return { user: principal, csrfToken: request.csrfToken ?? null };
    },
  });
}
