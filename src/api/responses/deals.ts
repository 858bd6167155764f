/** What the deals routes answer (routes/deals.ts). */
import { z } from 'zod';
import { STAGES } from '../../domain/stages.ts';
import { ledgerEntrySchema } from './ledger.ts';
import { capUsageRowSchema } from './programme.ts';
import { bigintString, centsString, instrumentField, stageField, writeResult } from './shared.ts';

/** A company as stored (private side: it may be an unannounced counterparty). */
const companySchema = z.object({
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
});

/** A company's facility (a plant, a mine), placed by FIPS code. */
const facilitySchema = z.object({
  id: bigintString,
  name: z.string(),
  source: z.string(),
  companyId: z.string(),
  kind: z.string(),
  city: z.string().nullable(),
  stateFips: z.string(),
  countyFips: z.string().nullable(),
  jobs: z.number().nullable(),
});

export const listCompaniesResponse = z.object({
  items: z.array(companySchema),
});

export const getCompanyResponse = z.object({
  company: companySchema,
  facilities: z.array(facilitySchema),
  deals: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      subAreaId: z.string(),
      instrument: instrumentField,
      amountCents: centsString,
      stage: stageField,
    }),
  ),
});

export const addCompanyResponse = writeResult(z.object({ added: z.number() }));

export const listDealsResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      companyId: z.string(),
      subAreaId: z.string(),
      instrument: instrumentField,
      amountCents: centsString,
      stage: stageField,
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
    instrument: instrumentField,
    amountCents: centsString,
    currency: z.string(),
    stage: stageField,
    classification: z.string(),
    openedOn: z.string(),
    announcedOn: z.string().nullable(),
    team: z.array(z.string()),
    synthetic: z.boolean(),
    resilienceScore: z.string().nullable(),
    expectedReturn: z.string().nullable(),
    riskScore: z.string().nullable(),
    historicalDecisionRef: z.string().nullable(),
    name: z.string().nullable(),
  }),
  company: companySchema,
  facilities: z.array(facilitySchema),
  ledger: z.array(ledgerEntrySchema),
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
  /** Every change made to the deal after it was opened, field by field, oldest first. */
  amendments: z.array(
    z.object({
      id: bigintString,
      dealId: z.string(),
      field: z.string(),
      fromValue: z.string().nullable(),
      toValue: z.string().nullable(),
      reason: z.string().nullable(),
      amendedAt: z.string(),
      amendedBy: z.string(),
    }),
  ),
  /** What the approval of the deal's current committee cycle covers (null before one, or decided outside Keel). */
  approvedAmount: centsString.nullable(),
  /** The amount was raised past that approval: commitments stop at it until the committee re-approves. */
  awaitsReapproval: z.boolean(),
  /** The names of the people the ledger, the stage history and the amendments name by id. */
  people: z.record(z.string(), z.string()),
});

export const openDealResponse = writeResult(z.object({ opened: z.number() }));

export const moveDealStageResponse = writeResult(
  z.object({
    dealId: z.string(),
    from: z.enum(STAGES),
    to: z.enum(STAGES),
  }),
);

/** The caps a deal's commitments draw on, with their headroom now (a preview: the write checks again). */
export const dealHeadroomResponse = z.object({
  dealId: z.string(),
  caps: z.array(capUsageRowSchema),
  /**
   * What the approval of the deal's current committee cycle covers, and its net commitments now (commitments
   * less cancellations): a commitment that would take them past it is refused. Null when no approved amount
   * limits the deal.
   */
  approval: z.object({ approvedAmount: centsString, netCommitted: centsString }).nullable(),
  /** The conditions of that approval still open (not met or waived), as the committee wrote them. */
  openConditions: z.array(z.string()),
});

export const amendDealResponse = writeResult(
  z.object({
    dealId: z.string(),
    amended: z.array(z.string()),
    /** The amount was raised past what the deal's approval covers: the committee must re-approve it. */
    awaitsReapproval: z.boolean(),
    /** Open committee votes withdrawn because they were cast on the amount this amendment changed. */
    votesWithdrawn: z.number().int(),
    /** What the approval of the deal's current cycle covers, when the amendment changed an approved deal's amount. */
    approvedAmount: centsString.optional(),
  }),
);

/** Notes on a deal or a company, newest first (markdown as written: the client renders it safely). */
export const listPipelineNotesResponse = z.object({
  items: z.array(
    z.object({
      id: bigintString,
      subjectKind: z.enum(['deal', 'company']),
      subjectId: z.string(),
      bodyMd: z.string(),
      author: z.string(),
      /** Null when the author is no longer among the users: show `author`. */
      authorName: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

export const addPipelineNoteResponse = writeResult(z.object({ id: bigintString }));
