import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { demoStatus } from '../../app/demo.ts';
import { checkResetLink, completePasswordReset, passwordResetSchema } from '../../app/password-reset.ts';
import { checkSetupLink, completeSetup, firstAdminSchema, setupTokenField } from '../../app/setup.ts';
import {
  completePasswordResetResponse,
  completeSetupResponse,
  demoStatusResponse,
  setupCheckResponse,
} from '../responses/auth.ts';
import { route } from '../route.ts';
import type { RouteOptions } from './index.ts';

/**
 * The setup link's page calls these (src/app/setup.ts). The token travels in the body, never in a URL, so it
 * stays out of request logs; both routes share login's per-client budget against guessing.
 */
export function setupRoutes(ctx: AppContext, options: RouteOptions) {
  return {
    // Before sign-in too: the login page of a demo must already say its data is synthetic. It tells no more
    // than the banner every visitor sees.
    demoStatus: route({
      method: 'GET',
      url: '/api/demo',
      access: 'public',
      summary:
        'Whether this Keel holds the synthetic demo programme (keel demo), shown as a banner on every page',
      tags: ['auth'],
      response: demoStatusResponse,
      async handler() {
        return demoStatus(ctx);
      },
    }),
    checkSetupLink: route({
      method: 'POST',
      url: '/api/setup/check',
      access: 'public',
      summary:
        "Whether a setup link would still create the first admin, or reset a password (then whose: the link's holder is that user)",
      tags: ['auth'],
      rateLimitPerMinute: options.loginRateLimit,
      body: z.object({ token: setupTokenField }),
      response: setupCheckResponse,
      async handler({ body }) {
        return { ...(await checkSetupLink(ctx, body.token)), reset: await checkResetLink(ctx, body.token) };
      },
    }),
    completePasswordReset: route({
      method: 'POST',
      url: '/api/setup/password',
      access: 'public',
      summary:
        "Set a new password with an admin's one-time reset link (410 once the link is spent or expired)",
      tags: ['auth'],
      rateLimitPerMinute: options.loginRateLimit,
      body: passwordResetSchema,
      response: completePasswordResetResponse,
      async handler({ body }) {
        const { result } = await completePasswordReset(ctx, body);
        return { user: result };
      },
    }),
    completeSetup: route({
      method: 'POST',
      url: '/api/setup',
      access: 'public',
      summary: 'Create the first admin with a one-time setup link (410 once the link is spent or expired)',
      tags: ['auth'],
      rateLimitPerMinute: options.loginRateLimit,
      body: firstAdminSchema,
      response: completeSetupResponse,
      async handler({ body, reply }) {
        const { result } = await completeSetup(ctx, body);
        reply.code(201);
        return { user: result };
      },
    }),
  };
}
