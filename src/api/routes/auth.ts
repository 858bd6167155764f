import { z } from 'zod';
import { login, logout } from '../../app/auth.ts';
import type { AppContext } from '../../app/context.ts';
import { confirmTotp, startTotpEnrolment, totpCodeField } from '../../app/totp.ts';
import {
  confirmTotpResponse,
  loginResponse,
  logoutResponse,
  meResponse,
  startTotpResponse,
} from '../responses/auth.ts';
import { route } from '../route.ts';
import { SESSION_COOKIE } from '../session-names.ts';
import type { RouteOptions } from './index.ts';

export function authRoutes(ctx: AppContext, options: RouteOptions) {
  return {
    login: route({
      method: 'POST',
      url: '/api/auth/login',
      access: 'public',
      summary: 'Log in with email and password; sets the session cookie and returns the CSRF token',
      tags: ['auth'],
      // Login is what guessing attacks aim at: a per-IP budget on top of argon2id's cost.
      rateLimitPerMinute: options.loginRateLimit,
      body: z.object({
        email: z.string().min(1).max(254),
        password: z.string().min(1).max(1024),
        /** The authenticator's code, for an account with a TOTP second factor. */
        code: z.string().regex(totpCodeField, 'a 6-digit code').optional(),
      }),
      response: loginResponse,
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
    }),
    logout: route({
      method: 'POST',
      url: '/api/auth/logout',
      access: 'authenticated',
      summary: 'End the session',
      tags: ['auth'],
      response: logoutResponse,
      async handler({ principal, request, reply }) {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await logout(ctx, principal, token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { loggedOut: true };
      },
    }),
    me: route({
      method: 'GET',
      url: '/api/me',
      access: 'authenticated',
      summary: 'Who am I',
      tags: ['auth'],
      response: meResponse,
      async handler({ principal, request }) {
        return { user: principal, csrfToken: request.csrfToken ?? null };
      },
    }),
    startTotpEnrolment: route({
      method: 'POST',
      url: '/api/me/totp',
      access: 'authenticated',
      write: true,
      summary: 'Start TOTP enrolment: a new secret and its otpauth:// URI (required at login once confirmed)',
      tags: ['auth'],
      response: startTotpResponse,
      async handler({ principal }) {
        return startTotpEnrolment(ctx, principal);
      },
    }),
    confirmTotp: route({
      method: 'POST',
      url: '/api/me/totp/confirm',
      access: 'authenticated',
      write: true,
      summary: 'Confirm TOTP enrolment with a first code from the authenticator app',
      tags: ['auth'],
      body: z.object({ code: z.string().regex(totpCodeField, 'a 6-digit code') }),
      response: confirmTotpResponse,
      async handler({ principal, body }) {
        return confirmTotp(ctx, principal, body.code);
      },
    }),
  };
}
