import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  addUser,
  createApiToken,
  listUsers,
  newTokenSchema,
  newUserSchema,
  revokeApiToken,
} from '../../app/auth.ts';
import type { AppContext } from '../../app/context.ts';
import {
  decideWallCrossing,
  listWallCrossings,
  requestWallCrossing,
  wallCrossingDecisionSchema,
  wallCrossingRequestSchema,
} from '../../app/wall-crossings.ts';
import { addRoute } from '../route.ts';

export function registerAdminRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/users',
    access: 'users.manage',
    summary: 'Users and their roles',
    tags: ['admin'],
    handler: async ({ principal }) => ({ items: await listUsers(ctx, principal) }),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/users',
    access: 'users.manage',
    write: true,
    summary: 'Add a user (password hashed with argon2id)',
    tags: ['admin'],
    body: newUserSchema,
    handler: async ({ principal, body, idempotencyKey }) =>
      (await addUser(ctx, principal, body, idempotencyKey)).result,
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/tokens',
    access: 'authenticated',
    write: true,
    summary: 'Create an API token (shown once); a read token can never write',
    tags: ['admin'],
    body: newTokenSchema,
    handler: ({ principal, body }) => createApiToken(ctx, principal, body),
  });
  addRoute(app, ctx, {
    method: 'DELETE',
    url: '/api/tokens/:id',
    access: 'authenticated',
    summary: 'Revoke an API token',
    tags: ['admin'],
    params: z.object({ id: z.string().regex(/^tok_[A-Za-z0-9_-]{1,40}$/, 'is not a token id') }),
    handler: async ({ principal, params }) => (await revokeApiToken(ctx, principal, params.id)).result,
  });
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/wall-crossings',
    access: 'wall_crossings.read',
    summary: 'Wall-crossings, newest first',
    tags: ['compliance'],
    handler: async ({ principal }) => ({ items: await listWallCrossings(ctx, principal) }),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/wall-crossings',
    access: 'wall_crossings.request',
    write: true,
    summary: 'Request to bring a research analyst over the wall for one deal',
    tags: ['compliance'],
    body: wallCrossingRequestSchema,
    handler: async ({ principal, body, idempotencyKey }) =>
      (await requestWallCrossing(ctx, principal, idempotencyKey, body)).result,
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/wall-crossings/:id/decision',
    access: 'wall_crossings.decide',
    write: true,
    summary: 'Approve (time-limited), deny or revoke a wall-crossing (risk & compliance)',
    tags: ['compliance'],
    params: z.object({ id: z.coerce.bigint().min(1n) }),
    body: wallCrossingDecisionSchema,
    handler: async ({ principal, params, body, idempotencyKey }) =>
      (await decideWallCrossing(ctx, principal, idempotencyKey, params.id, body)).result,
  });
}
