import { z } from 'zod';
import {
  addToAgenda,
  agendaInputSchema,
  castVote,
  declareConflict,
  listAgenda,
  listDealDecisions,
  recordDecision,
  removeFromAgenda,
  updateCondition,
} from '../../app/committee.ts';
import type { AppContext } from '../../app/context.ts';
import {
  conditionUpdateSchema,
  conflictInputSchema,
  decisionInputSchema,
  voteInputSchema,
} from '../../domain/committee.ts';
import { rowId, slug } from '../../domain/fields.ts';
import {
  addToAgendaResponse,
  castVoteResponse,
  declareConflictResponse,
  listAgendaResponse,
  listDealDecisionsResponse,
  recordDecisionResponse,
  removeFromAgendaResponse,
  updateConditionResponse,
} from '../responses/committee.ts';
import { route } from '../route.ts';

export function committeeRoutes(ctx: AppContext) {
  return {
    listAgenda: route({
      method: 'GET',
      url: '/api/committee/agenda',
      access: 'committee.read',
      summary: "The investment committee's agenda",
      tags: ['committee'],
      response: listAgendaResponse,
      handler: async ({ principal }) => ({ items: await listAgenda(ctx, principal) }),
    }),
    listDealDecisions: route({
      method: 'GET',
      url: '/api/deals/:id/decisions',
      access: 'committee.read',
      summary: "A deal's committee decisions: outcome, date, votes and conditions with their status",
      tags: ['committee'],
      params: z.object({ id: slug }),
      response: listDealDecisionsResponse,
      handler: async ({ principal, params }) => ({
        items: await listDealDecisions(ctx, principal, params.id),
      }),
    }),
    addToAgenda: route({
      method: 'POST',
      url: '/api/committee/agenda',
      access: 'committee.manage',
      write: true,
      summary: 'Put deals on a committee meeting (e.g. the optimiser selection)',
      tags: ['committee'],
      body: agendaInputSchema,
      response: addToAgendaResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        addToAgenda(ctx, principal, idempotencyKey, body),
    }),
    removeFromAgenda: route({
      method: 'DELETE',
      url: '/api/committee/agenda/:id',
      access: 'committee.manage',
      write: true,
      summary: 'Take an item off the agenda (kept on record: who put the deal on still may not vote on it)',
      tags: ['committee'],
      params: z.object({ id: rowId }),
      response: removeFromAgendaResponse,
      handler: async ({ principal, params, idempotencyKey }) =>
        removeFromAgenda(ctx, principal, idempotencyKey, params.id),
    }),
    castVote: route({
      method: 'POST',
      url: '/api/committee/deals/:id/votes',
      access: 'committee.vote',
      write: true,
      summary: "A committee member's own vote on a deal before the committee (one each per decision)",
      tags: ['committee'],
      params: z.object({ id: slug }),
      body: voteInputSchema,
      response: castVoteResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        castVote(ctx, principal, idempotencyKey, { dealId: params.id, vote: body.vote }),
    }),
    declareConflict: route({
      method: 'POST',
      url: '/api/committee/deals/:id/conflicts',
      access: 'committee.vote',
      write: true,
      summary: 'Declare your own conflict of interest in a deal before the committee (you then cannot vote)',
      tags: ['committee'],
      params: z.object({ id: slug }),
      body: conflictInputSchema,
      response: declareConflictResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        declareConflict(ctx, principal, idempotencyKey, { dealId: params.id, ...body }),
    }),
    recordDecision: route({
      method: 'POST',
      url: '/api/committee/decisions',
      access: 'committee.decide',
      write: true,
      summary:
        "Record the committee's decision on the members' votes (quorum from the programme); it moves the deal",
      tags: ['committee'],
      body: decisionInputSchema,
      response: recordDecisionResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        recordDecision(ctx, principal, idempotencyKey, body),
    }),
    updateCondition: route({
      method: 'POST',
      url: '/api/committee/decisions/:id/conditions/:index',
      access: 'committee.manage',
      write: true,
      summary: 'Mark a condition of approval met or waived (a deal closes only when none is open)',
      tags: ['committee'],
      params: z.object({ id: rowId, index: z.coerce.number().int().min(0).max(49) }),
      body: conditionUpdateSchema,
      response: updateConditionResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        updateCondition(ctx, principal, idempotencyKey, {
          decisionId: params.id,
          index: params.index,
          status: body.status,
        }),
    }),
  };
}
