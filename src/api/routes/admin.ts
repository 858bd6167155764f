import { z } from 'zod';
import { disableUser, enableUser, listApiTokens } from '../../app/accounts.ts';
import {
  addUser,
  createApiToken,
  listUsers,
  newTokenSchema,
  newUserSchema,
  revokeApiToken,
} from '../../app/auth.ts';
import type { AppContext } from '../../app/context.ts';
import { issuePasswordReset } from '../../app/password-reset.ts';
import {
  decideRoleChange,
  listRoleChanges,
  requestRoleChange,
  roleChangeDecisionSchema,
  roleChangeRequestSchema,
} from '../../app/role-changes.ts';
import {
  decideWallCrossing,
  listWallCrossings,
  requestWallCrossing,
  wallCrossingDecisionSchema,
  wallCrossingRequestSchema,
} from '../../app/wall-crossings.ts';
import { rowId } from '../../domain/fields.ts';
import {
  addUserResponse,
  createApiTokenResponse,
  decideRoleChangeResponse,
  decideWallCrossingResponse,
  disableUserResponse,
  enableUserResponse,
  issuePasswordResetResponse,
  listApiTokensResponse,
  listRoleChangesResponse,
  listUsersResponse,
  listWallCrossingsResponse,
  requestRoleChangeResponse,
  requestWallCrossingResponse,
  revokeApiTokenResponse,
} from '../responses/admin.ts';
import { route } from '../route.ts';

const userParams = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'is not a user id'),
});

export function adminRoutes(ctx: AppContext) {
  return {
    listUsers: route({
      method: 'GET',
      url: '/api/users',
      access: 'users.read',
      summary: 'Users and their roles',
      tags: ['admin'],
      response: listUsersResponse,
      handler: async ({ principal }) => ({ items: await listUsers(ctx, principal) }),
    }),
    addUser: route({
      method: 'POST',
      url: '/api/users',
      access: 'users.manage',
      write: true,
      summary: 'Add a user (password hashed with argon2id)',
      tags: ['admin'],
      body: newUserSchema,
      response: addUserResponse,
      handler: async ({ principal, body, idempotencyKey }) => addUser(ctx, principal, body, idempotencyKey),
    }),
    disableUser: route({
      method: 'POST',
      url: '/api/users/:id/disable',
      access: 'users.manage',
      write: true,
      summary: 'Disable a user: their sessions end and every API token is revoked',
      tags: ['admin'],
      params: userParams,
      response: disableUserResponse,
      handler: async ({ principal, params, idempotencyKey }) =>
        disableUser(ctx, principal, idempotencyKey, params.id),
    }),
    enableUser: route({
      method: 'POST',
      url: '/api/users/:id/enable',
      access: 'users.manage',
      write: true,
      summary:
        'Let a disabled user sign in again, in the role they had; their revoked API tokens stay revoked',
      tags: ['admin'],
      params: userParams,
      response: enableUserResponse,
      handler: async ({ principal, params, idempotencyKey }) =>
        enableUser(ctx, principal, idempotencyKey, params.id),
    }),
    issuePasswordReset: route({
      method: 'POST',
      url: '/api/users/:id/password-reset',
      access: 'users.manage',
      summary:
        "Issue a one-time link that sets a new password for another enabled user (shown once); it ends the user's sessions",
      tags: ['admin'],
      params: userParams,
      // Each request makes a new link with a key of the server's: never a replay, so the secret is stored nowhere.
      response: issuePasswordResetResponse,
      handler: async ({ principal, params }) => ({
        result: await issuePasswordReset(ctx, principal, params.id),
        replayed: false as const,
      }),
    }),
    listRoleChanges: route({
      method: 'GET',
      url: '/api/role-changes',
      access: 'users.read',
      summary: 'Role change requests, newest first',
      tags: ['admin'],
      response: listRoleChangesResponse,
      handler: async ({ principal }) => ({ items: await listRoleChanges(ctx, principal) }),
    }),
    requestRoleChange: route({
      method: 'POST',
      url: '/api/users/:id/role',
      access: 'users.manage',
      write: true,
      summary: "Ask for a change of a user's role; another admin must approve it",
      tags: ['admin'],
      params: userParams,
      body: roleChangeRequestSchema,
      response: requestRoleChangeResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        requestRoleChange(ctx, principal, idempotencyKey, params.id, body),
    }),
    decideRoleChange: route({
      method: 'POST',
      url: '/api/role-changes/:id/decision',
      access: 'users.manage',
      write: true,
      summary: 'Approve or deny a role change (an admin other than the requester and the user)',
      tags: ['admin'],
      params: z.object({ id: z.string().max(40) }),
      body: roleChangeDecisionSchema,
      response: decideRoleChangeResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        decideRoleChange(ctx, principal, idempotencyKey, params.id, body),
    }),
    listApiTokens: route({
      method: 'GET',
      url: '/api/tokens',
      access: 'authenticated',
      summary: "API tokens (never their secrets): your own, or everyone's for an admin",
      tags: ['admin'],
      response: listApiTokensResponse,
      handler: async ({ principal }) => ({ items: await listApiTokens(ctx, principal) }),
    }),
    createApiToken: route({
      method: 'POST',
      url: '/api/tokens',
      access: 'authenticated',
      write: true,
      summary: 'Create an API token (shown once), never broader than the credential asking for it',
      tags: ['admin'],
      body: newTokenSchema,
      // A token is made once with a key of the server's: never a replay.
      response: createApiTokenResponse,
      handler: async ({ principal, body }) => ({
        result: await createApiToken(ctx, principal, body),
        replayed: false,
      }),
    }),
    revokeApiToken: route({
      method: 'DELETE',
      url: '/api/tokens/:id',
      access: 'authenticated',
      summary: 'Revoke an API token',
      tags: ['admin'],
      params: z.object({ id: z.string().regex(/^tok_[A-Za-z0-9_-]{1,40}$/, 'is not a token id') }),
      response: revokeApiTokenResponse,
      handler: async ({ principal, params }) => revokeApiToken(ctx, principal, params.id),
    }),
    listWallCrossings: route({
      method: 'GET',
      url: '/api/wall-crossings',
      access: 'wall_crossings.read',
      summary: 'Wall-crossings, newest first',
      tags: ['compliance'],
      response: listWallCrossingsResponse,
      handler: async ({ principal }) => ({ items: await listWallCrossings(ctx, principal) }),
    }),
    requestWallCrossing: route({
      method: 'POST',
      url: '/api/wall-crossings',
      access: 'wall_crossings.request',
      write: true,
      summary: 'Request to bring a research analyst over the wall for one deal',
      tags: ['compliance'],
      body: wallCrossingRequestSchema,
      response: requestWallCrossingResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        requestWallCrossing(ctx, principal, idempotencyKey, body),
    }),
    decideWallCrossing: route({
      method: 'POST',
      url: '/api/wall-crossings/:id/decision',
      access: 'wall_crossings.decide',
      write: true,
      summary: 'Approve (time-limited), deny or revoke a wall-crossing (risk & compliance)',
      tags: ['compliance'],
      params: z.object({ id: rowId }),
      body: wallCrossingDecisionSchema,
      response: decideWallCrossingResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        decideWallCrossing(ctx, principal, idempotencyKey, params.id, body),
    }),
  };
}
