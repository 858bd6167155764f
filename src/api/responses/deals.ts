/** What the deals routes answer (routes/deals.ts). */
import { z } from 'zod';
import { bigintString, centsString, writeResult } from './shared.ts';

export const listCompaniesResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      createdAt: z.string(),
      source: z.string(),
      synthetic: z.boolean(),
      usBased: z.boolean(),
      hqCity: z.string().nullable(),
      hqStateFips: z.string().nullable(),
      hqCountyFips: z.string().nullable(),
      ticker: z.string().nullable(),
      existingClient: z.boolean(),
      ownershipNote: z.string().nullable(),
      foreignControl: z.boolean(),
      foreignControlNote: z.string().nullable(),
    }),
  ),
});

export const getCompanyResponse = z.object({
  company: z.object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    source: z.string(),
    synthetic: z.boolean(),
    usBased: z.boolean(),
    hqCity: z.string().nullable(),
    hqStateFips: z.string().nullable(),
    hqCountyFips: z.string().nullable(),
    ticker: z.string().nullable(),
    existingClient: z.boolean(),
    ownershipNote: z.string().nullable(),
    foreignControl: z.boolean(),
    foreignControlNote: z.string().nullable(),
  }),
  facilities: z.array(
    z.object({
      id: bigintString,
      name: z.string(),
      source: z.string(),
      companyId: z.string(),
      kind: z.string(),
      city: z.string().nullable(),
      stateFips: z.string(),
      countyFips: z.string().nullable(),
      jobs: z.number().nullable(),
    }),
  ),
  deals: z.array(
    z.object({
      id: z.string(),
      subAreaId: z.string(),
      instrument: z.string(),
      amountCents: centsString,
      stage: z.string(),
    }),
  ),
});

export const addCompanyResponse = writeResult(z.object({ added: z.number() }));

export const listDealsResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      companyId: z.string(),
      subAreaId: z.string(),
      instrument: z.string(),
      amountCents: centsString,
      stage: z.string(),
      classification: z.string(),
      team: z.array(z.string()),
      synthetic: z.boolean(),
      areaId: z.string(),
      company: z.string(),
    }),
  ),
});

export const getDealResponse = z.object({
  deal: z.object({
    id: z.string(),
    createdAt: z.string(),
    source: z.string(),
    companyId: z.string(),
    subAreaId: z.string(),
    instrument: z.string(),
    amountCents: centsString,
    currency: z.string(),
    stage: z.string(),
    classification: z.string(),
    openedOn: z.string(),
    announcedOn: z.string().nullable(),
    team: z.array(z.string()),
    synthetic: z.boolean(),
    resilienceScore: z.string().nullable(),
    expectedReturn: z.string().nullable(),
    riskScore: z.string().nullable(),
    historicalDecisionRef: z.string().nullable(),
  }),
  company: z.object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    source: z.string(),
    synthetic: z.boolean(),
    usBased: z.boolean(),
    hqCity: z.string().nullable(),
    hqStateFips: z.string().nullable(),
    hqCountyFips: z.string().nullable(),
    ticker: z.string().nullable(),
    existingClient: z.boolean(),
    ownershipNote: z.string().nullable(),
    foreignControl: z.boolean(),
    foreignControlNote: z.string().nullable(),
  }),
  facilities: z.array(
    z.object({
      id: bigintString,
      name: z.string(),
      source: z.string(),
      companyId: z.string(),
      kind: z.string(),
      city: z.string().nullable(),
      stateFips: z.string(),
      countyFips: z.string().nullable(),
      jobs: z.number().nullable(),
    }),
  ),
  ledger: z.array(
    z.object({
      dealId: z.string(),
      amountCents: centsString,
      note: z.string().nullable(),
      recordedBy: z.string(),
      recordedAt: z.string(),
      kind: z.string(),
      seq: bigintString,
      clientKey: z.string(),
      effectiveOn: z.string(),
    }),
  ),
  stageMoves: z.array(
    z.object({
      id: bigintString,
      dealId: z.string(),
      fromStage: z.string().nullable(),
      toStage: z.string(),
      movedAt: z.string(),
      movedBy: z.string(),
    }),
  ),
});

export const openDealResponse = writeResult(z.object({ opened: z.number() }));

export const moveDealStageResponse = writeResult(
  z.object({
    dealId: z.string(),
    from: z.enum([
      'approved',
      'committee',
      'sourced',
      'screening',
      'diligence',
      'closed',
      'monitoring',
      'exited',
      'repaid',
      'written_off',
      'declined',
      'withdrawn',
    ]),
    to: z.enum([
      'approved',
      'committee',
      'sourced',
      'screening',
      'diligence',
      'closed',
      'monitoring',
      'exited',
      'repaid',
      'written_off',
      'declined',
      'withdrawn',
    ]),
  }),
);
