/** What the admin routes answer (routes/admin.ts). */
import { z } from 'zod';
import { ROLES } from '../../domain/roles.ts';
import { bigintString, timestamp, writeResult } from './shared.ts';

export const listUsersResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      role: z.string(),
      disabled: z.boolean(),
      createdAt: z.string(),
    }),
  ),
});

export const addUserResponse = writeResult(
  z.object({
    id: z.string(),
    role: z.enum(ROLES),
  }),
);

export const enableUserResponse = writeResult(
  z.object({
    id: z.string(),
    disabled: z.literal(false),
    role: z.enum(ROLES),
  }),
);

export const disableUserResponse = writeResult(
  z.object({
    id: z.string(),
    disabled: z.boolean(),
    sessionsEnded: z.number().int(),
    tokensRevoked: z.number().int(),
    /** Queued jobs cancelled and running ones told to stop: what the account (or its tokens) started. */
    jobsCancelled: z.number().int(),
  }),
);

export const listRoleChangesResponse = z.object({
  items: z.array(
    z.object({
      id: bigintString,
      userId: z.string(),
      fromRole: z.string(),
      toRole: z.string(),
      reason: z.string(),
      requestedBy: z.string(),
      requestedAt: z.string(),
      status: z.string(),
      decidedBy: z.string().nullable(),
      decidedAt: z.string().nullable(),
    }),
  ),
});

export const requestRoleChangeResponse = writeResult(
  z.object({
    id: bigintString,
    userId: z.string(),
    from: z.string(),
    to: z.enum(ROLES),
    status: z.literal('requested'),
  }),
);

export const decideRoleChangeResponse = writeResult(
  z.object({ id: bigintString, userId: z.string(), from: z.string(), to: z.string(), status: z.string() }),
);

export const listApiTokensResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      createdAt: z.string(),
      userId: z.string(),
      expiresAt: z.string().nullable(),
      scope: z.string(),
      revokedAt: z.string().nullable(),
    }),
  ),
});

export const createApiTokenResponse = writeResult(
  z.object({
    id: z.string(),
    token: z.string(),
    scope: z.enum(['read', 'write']),
    expiresAt: z.string().nullable(),
  }),
);

export const revokeApiTokenResponse = writeResult(z.object({ id: z.string(), revoked: z.boolean() }));

export const listWallCrossingsResponse = z.object({
  items: z.array(
    z.object({
      id: bigintString,
      userId: z.string(),
      expiresAt: z.string().nullable(),
      reason: z.string(),
      requestedBy: z.string(),
      requestedAt: z.string(),
      status: z.string(),
      decidedBy: z.string().nullable(),
      decidedAt: z.string().nullable(),
      dealId: z.string(),
      dealName: z.string().nullable(),
      /** The analyst's, the requester's and the decider's names (null for an id no account has). */
      userName: z.string().nullable(),
      requestedByName: z.string().nullable(),
      decidedByName: z.string().nullable(),
      requestedDays: z.number().int(),
    }),
  ),
});

export const requestWallCrossingResponse = writeResult(
  z.object({ id: bigintString, status: z.literal('requested') }),
);

export const decideWallCrossingResponse = writeResult(
  z.object({ id: bigintString, status: z.string(), expiresAt: z.string().nullable() }),
);

export const issuePasswordResetResponse = z.object({
  result: z.object({
    userId: z.string(),
    expiresAt: timestamp,
    sessionsEnded: z.number().int(),
    tokensRevoked: z.number().int(),
    /** Mailed to the user (KEEL_SMTP_URL and KEEL_PUBLIC_URL set), or shown to the admin once. */
    delivery: z.enum(['mail', 'shown']),
    /** Where it was mailed. */
    mailedTo: z.string().optional(),
    /** The link's secret when shown, once: the page builds the link `#/setup/<token>` from it. */
    token: z.string().optional(),
  }),
  replayed: z.literal(false),
});
