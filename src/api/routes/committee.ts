import type { FastifyInstance } from 'fastify';
import { addToAgenda, agendaInputSchema, listAgenda, recordDecision } from '../../app/committee.ts';
import type { AppContext } from '../../app/context.ts';
import { decisionInputSchema } from '../../domain/committee.ts';
import { addRoute } from '../route.ts';

export function registerCommitteeRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/committee/agenda',
    access: 'committee.read',
    summary: "The investment committee's agenda",
    tags: ['committee'],
    handler: async ({ principal }) => ({ items: await listAgenda(ctx, principal) }),
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/committee/agenda',
    access: 'committee.manage',
    write: true,
    summary: 'Put deals on a committee meeting (e.g. the optimiser selection)',
    tags: ['committee'],
    body: agendaInputSchema,
    handler: async ({ principal, body, idempotencyKey }) =>
      (await addToAgenda(ctx, principal, idempotencyKey, body)).result,
  });
  addRoute(app, ctx, {
    method: 'POST',
    url: '/api/committee/decisions',
    access: 'committee.decide',
    write: true,
    summary: 'Record a committee decision with votes, conflicts of interest and conditions',
    tags: ['committee'],
    body: decisionInputSchema,
    handler: async ({ principal, body, idempotencyKey }) =>
      (await recordDecision(ctx, principal, idempotencyKey, body)).result,
  });
}
