/** What the network routes answer (routes/network.ts). */
import { z } from 'zod';
import { INSTRUMENTS } from '../../domain/instruments.ts';
import { ORGANISATION_KINDS, PARTICIPANT_ROLES, PARTICIPATION_STATUSES } from '../../domain/network.ts';
import { bigintString, centsString, writeResult } from './shared.ts';

const stackViewSchema = z.object({
  dealId: z.string(),
  organisations: z.record(z.string(), z.string()),
  own: z.object({
    instrument: z.enum(INSTRUMENTS),
    committed: centsString,
    counted: centsString,
  }),
  parts: z.array(
    z.object({
      id: bigintString,
      organisationId: z.string(),
      role: z.enum(PARTICIPANT_ROLES),
      instrument: z.enum(INSTRUMENTS),
      amount: centsString,
      arrangedByBank: z.boolean(),
      status: z.enum(PARTICIPATION_STATUSES),
      counts: z.boolean(),
      counted: centsString,
    }),
  ),
  total: centsString,
  countedOwn: centsString,
  countedFacilitated: centsString,
  notCounted: centsString,
  pipeline: centsString,
});

const rankedCandidateSchema = z.object({
  organisationId: z.string(),
  name: z.string(),
  score: z.number(),
  excluded: z.string().nullable(),
  reasons: z.array(z.string()),
  components: z.object({ appetite: z.number(), ticket: z.number(), history: z.number(), client: z.number() }),
});

export const listOrganisationsResponse = z.object({
  organisations: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      createdAt: z.string(),
      source: z.string(),
      companyId: z.string().nullable(),
      kind: z.string(),
      createdBy: z.string(),
      country: z.string(),
      controlledFrom: z.string().nullable(),
    }),
  ),
});

export const addOrganisationsResponse = writeResult(z.object({ added: z.number() }));

export const addRelationshipsResponse = writeResult(z.object({ added: z.number() }));

export const organisationNeighbourhoodResponse = z.object({
  centre: z.object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(ORGANISATION_KINDS),
    country: z.string(),
    source: z.string(),
    controlledFrom: z.string().optional(),
    companyId: z.string().optional(),
  }),
  organisations: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })),
  relationships: z.array(
    z.object({
      id: bigintString,
      kind: z.string(),
      from: z.string(),
      to: z.string(),
      businessLine: z.string().nullable(),
      percent: z.number().nullable(),
      since: z.string().nullable(),
      source: z.string(),
    }),
  ),
  participations: z.array(
    z.object({
      id: bigintString,
      dealId: z.string(),
      /** The deal's name, or its company and instrument when it has none. */
      dealTitle: z.string(),
      subAreaId: z.string(),
      role: z.string(),
      instrument: z.string(),
      amountCents: centsString,
      status: z.string(),
    }),
  ),
  coParticipants: z.array(z.object({ dealId: z.string(), organisationId: z.string(), role: z.string() })),
});

export const networkActivityResponse = z.object({
  subAreas: z.array(
    z.object({
      subAreaId: z.string(),
      coInvestors: z.array(
        z.object({ organisationId: z.string(), name: z.string(), deals: z.number(), amount: centsString }),
      ),
    }),
  ),
  facilitatedConcentration: z.object({
    total: centsString,
    shares: z.array(z.object({ id: z.string(), name: z.string(), amount: centsString, share: z.number() })),
    hhi: z.number(),
  }),
});

export const capitalStackResponse = stackViewSchema;

export const coInvestorCandidatesResponse = z.object({
  dealId: z.string(),
  gap: centsString,
  candidates: z.array(rankedCandidateSchema),
  excluded: z.array(rankedCandidateSchema),
});

export const addParticipationResponse = writeResult(z.object({ id: bigintString, counts: z.boolean() }));

export const setParticipationStatusResponse = writeResult(
  z.object({
    id: bigintString,
    from: z.enum(PARTICIPATION_STATUSES),
    to: z.enum(PARTICIPATION_STATUSES),
    countedDealId: z.string().nullable(),
  }),
);
