import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { login, logout, type Session } from '../../app/auth.ts';
import type { AppContext } from '../../app/context.ts';
import { finishSsoLogin, LOGIN_MINUTES, ssoLogoutUrl, ssoOf, startSsoLogin } from '../../app/sso.ts';
import { CALLBACK_PATH } from '../../app/sso-config.ts';
import { confirmTotp, startTotpEnrolment, totpCodeField } from '../../app/totp.ts';
import { KeelError } from '../../domain/errors.ts';
import {
  confirmTotpResponse,
  loginResponse,
  logoutResponse,
  meResponse,
  ssoStatusResponse,
  startTotpResponse,
} from '../responses/auth.ts';
import { route } from '../route.ts';
import { SESSION_COOKIE } from '../session-names.ts';
import type { RouteOptions } from './index.ts';

/** What a started single sign-on keeps until its callback (app/sso.ts), sent back to the callback only. */
const SSO_COOKIE = 'keel_oidc';
const SSO_COOKIE_PATH = '/api/auth/oidc';

/**
 * A refused single sign-on goes back to the login page with the reason (never the message: a link of anyone's
 * making must not put words on Keel's page); the message goes to the log.
 */
function refusedSso(reply: FastifyReply, error: unknown) {
  if (!(error instanceof KeelError) || typeof error.details.reason !== 'string') throw error;
  reply.log.warn({ reason: error.details.reason, message: error.message }, 'single sign-on refused');
  return reply.redirect(`/#/login?sso=${encodeURIComponent(error.details.reason)}`, 303);
}

export function authRoutes(ctx: AppContext, options: RouteOptions) {
  const setSessionCookie = (reply: FastifyReply, session: Session) =>
    reply.setCookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookies,
      path: '/',
      expires: new Date(session.expiresAt),
    });
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
        setSessionCookie(reply, session);
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
        return { loggedOut: true, endSessionUrl: await ssoLogoutUrl(ctx, principal) };
      },
    }),
    ssoStatus: route({
      method: 'GET',
      url: '/api/auth/oidc',
      access: 'public',
      summary: 'Whether single sign-on (OpenID Connect) is configured: the login page offers it then',
      tags: ['auth'],
      response: ssoStatusResponse,
      async handler() {
        return { enabled: Boolean(ctx.sso) };
      },
    }),
    ssoLogin: route({
      method: 'GET',
      url: '/api/auth/oidc/login',
      access: 'public',
      browserRedirect: true,
      summary: "Single sign-on, first step: redirects the browser to the provider's login",
      tags: ['auth'],
      rateLimitPerMinute: options.loginRateLimit,
      async handler({ reply }) {
        try {
          const { url, cookie } = await startSsoLogin(ctx);
          reply.setCookie(SSO_COOKIE, cookie, {
            httpOnly: true,
            // Lax: the provider sends the browser back with a cross-site navigation, which Strict would strip.
            sameSite: 'lax',
            secure: options.secureCookies,
            path: SSO_COOKIE_PATH,
            maxAge: LOGIN_MINUTES * 60,
          });
          return reply.redirect(url, 302);
        } catch (error) {
          return refusedSso(reply, error);
        }
      },
    }),
    ssoCallback: route({
      method: 'GET',
      url: CALLBACK_PATH,
      access: 'public',
      browserRedirect: true,
      summary: 'Single sign-on, last step: the provider sends the browser back here; starts the Keel session',
      tags: ['auth'],
      rateLimitPerMinute: options.loginRateLimit,
      async handler({ request, reply }) {
        const cookie = request.cookies[SSO_COOKIE];
        // One use: whatever the outcome, the started login is over.
        reply.clearCookie(SSO_COOKIE, { path: SSO_COOKIE_PATH });
        try {
          const url = new URL(ssoOf(ctx).redirectUrl);
          url.search = new URL(request.url, url).search;
          setSessionCookie(reply, await finishSsoLogin(ctx, url, cookie));
          return reply.redirect('/', 303);
        } catch (error) {
          return refusedSso(reply, error);
        }
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
