import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { addOrganisations, addRelationships, listOrganisations } from '../../app/network/organisations.ts';
import {
  addParticipation,
  capitalStackOf,
  participationStatusSchema,
  setParticipationStatus,
} from '../../app/network/stacks.ts';
import {
  candidatesFor,
  candidatesQuerySchema,
  neighbourhood,
  networkActivity,
} from '../../app/network/views.ts';
import { rowId, slug } from '../../domain/fields.ts';
import { organisationSchema, participationInputSchema, relationshipSchema } from '../../domain/network.ts';
import type { Principal } from '../../domain/roles.ts';
import {
  addOrganisationsResponse,
  addParticipationResponse,
  addRelationshipsResponse,
  capitalStackResponse,
  coInvestorCandidatesResponse,
  listOrganisationsResponse,
  networkActivityResponse,
  organisationNeighbourhoodResponse,
  setParticipationStatusResponse,
} from '../responses/network.ts';
import { route } from '../route.ts';

const tags = ['network'];

/**
 * A write that adds a batch of one kind of network item, all or none: the body names the list by `key`
 * (1 to 1,000 items), and the use case gets the list under the request's Idempotency-Key.
 */
function batchRoute<U extends string, K extends string, I extends z.ZodType, R extends z.ZodType>(
  ctx: AppContext,
  spec: {
    url: U;
    key: K;
    item: I;
    summary: string;
    response: R;
    add(
      ctx: AppContext,
      actor: Principal,
      key: string,
      items: z.infer<I>[],
    ): Promise<R extends z.ZodType ? z.input<R> : unknown>;
  },
) {
  // zod types a computed key as a string index; the literal key keeps the typed client's body exact.
  const body = z.object({ [spec.key]: z.array(spec.item).min(1).max(1000) }) as unknown as z.ZodObject<{
    [P in K]: z.ZodArray<I>;
  }>;
  return route({
    method: 'POST',
    url: spec.url,
    access: 'network.write',
    write: true,
    summary: spec.summary,
    tags,
    body,
    response: spec.response,
    handler: async ({ principal, body, idempotencyKey }) =>
      spec.add(ctx, principal, idempotencyKey, (body as Record<K, z.infer<I>[]>)[spec.key]),
  });
}

export function networkRoutes(ctx: AppContext) {
  return {
    listOrganisations: route({
      method: 'GET',
      url: '/api/network/organisations',
      access: 'network.read',
      summary: 'Organisations of the client network',
      tags,
      response: listOrganisationsResponse,
      handler: async ({ principal }) => ({ organisations: await listOrganisations(ctx, principal) }),
    }),
    addOrganisations: batchRoute(ctx, {
      url: '/api/network/organisations',
      key: 'organisations',
      item: organisationSchema,
      summary: 'Add organisations (all or none)',
      response: addOrganisationsResponse,
      add: addOrganisations,
    }),
    addRelationships: batchRoute(ctx, {
      url: '/api/network/relationships',
      key: 'relationships',
      item: relationshipSchema,
      summary: 'Add relationships (clients, coverage, board seats, prior deals, ownership), all or none',
      response: addRelationshipsResponse,
      add: addRelationships,
    }),
    organisationNeighbourhood: route({
      method: 'GET',
      url: '/api/network/organisations/:id',
      access: 'network.read',
      summary: "An organisation's neighbourhood: relationships, participations, co-participants",
      tags,
      params: z.object({ id: slug }),
      response: organisationNeighbourhoodResponse,
      handler: async ({ principal, params }) => neighbourhood(ctx, principal, params.id),
    }),
    networkActivity: route({
      method: 'GET',
      url: '/api/network/activity',
      access: 'network.read',
      summary: 'Most active co-investors per sub-area; concentration of facilitated capital by counterparty',
      tags,
      response: networkActivityResponse,
      handler: async ({ principal }) => networkActivity(ctx, principal),
    }),
    capitalStack: route({
      method: 'GET',
      url: '/api/deals/:id/stack',
      access: 'network.read',
      summary: "A deal's capital stack: own part, participations, what counts toward the programme",
      tags,
      params: z.object({ id: slug }),
      response: capitalStackResponse,
      handler: async ({ principal, params }) => capitalStackOf(ctx, principal, params.id),
    }),
    coInvestorCandidates: route({
      method: 'GET',
      url: '/api/deals/:id/candidates',
      access: 'network.read',
      summary: 'Co-investors and syndicate members for the gap (?gap=dollars), ranked and explained',
      tags,
      params: z.object({ id: slug }),
      query: candidatesQuerySchema,
      response: coInvestorCandidatesResponse,
      handler: async ({ principal, params, query }) => candidatesFor(ctx, principal, params.id, query),
    }),
    addParticipation: route({
      method: 'POST',
      url: '/api/participations',
      access: 'network.write',
      write: true,
      summary: 'Add a participation to a deal’s capital stack (proposed or soft-circled)',
      tags,
      body: participationInputSchema,
      response: addParticipationResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        addParticipation(ctx, principal, idempotencyKey, body),
    }),
    setParticipationStatus: route({
      method: 'POST',
      url: '/api/participations/:id/status',
      access: 'network.write',
      write: true,
      summary:
        'Move a participation (soft-circled, committed, declined); a counted one is booked in the ledger',
      tags,
      params: z.object({ id: rowId }),
      body: participationStatusSchema,
      response: setParticipationStatusResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        setParticipationStatus(ctx, principal, idempotencyKey, params.id, body),
    }),
  };
}
