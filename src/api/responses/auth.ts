/** What the auth routes answer (routes/auth.ts). */
import { z } from 'zod';
import { ROLES } from '../../domain/roles.ts';
import { writeResult } from './shared.ts';

const principalSchema = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  scope: z.enum(['read', 'write']).optional(),
  /** The API token's id when the request came with one: the id to revoke it by (`DELETE /api/tokens/:id`). */
  tokenId: z.string().optional(),
});

export const loginResponse = z.object({
  user: principalSchema,
  csrfToken: z.string(),
  expiresAt: z.string(),
});

export const logoutResponse = z.object({
  loggedOut: z.boolean(),
  /** For an account of the single sign-on provider: its logout page, where the browser goes next. */
  endSessionUrl: z.string().nullable(),
});

export const ssoStatusResponse = z.object({ enabled: z.boolean() });

export const meResponse = z.object({ user: principalSchema, csrfToken: z.string().nullable() });

/** The secret is shown once, at enrolment; a replay never hands out another (each call has a key of its own). */
export const startTotpResponse = z.object({ secret: z.string(), uri: z.string() });

export const confirmTotpResponse = writeResult(z.object({ secondFactor: z.literal('totp') }));

export const setupCheckResponse = z.object({
  /** Whether the link would create the first admin. */
  valid: z.boolean(),
  /** For a live password-reset link, the account whose password it sets. */
  reset: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
});

export const completePasswordResetResponse = z.object({
  user: z.object({ id: z.string(), email: z.string() }),
});

/** Whether this folder holds the synthetic demo programme (`keel demo`): the web app then shows a banner. */
export const demoStatusResponse = z.object({ synthetic: z.boolean(), source: z.string().nullable() });

export const completeSetupResponse = z.object({
  user: z.object({ id: z.string(), role: z.literal('admin') }),
});
