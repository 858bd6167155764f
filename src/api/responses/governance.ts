/** What the governance routes answer (routes/governance.ts). */
import { z } from 'zod';
import { PERMIT_KINDS, PERMIT_STAGES } from '../../domain/permitting.ts';
import { AWARD_STAGES } from '../../domain/public-record/peer-award.ts';
import { disclosurePolicySchema } from './parts.ts';
import { peerAwardSchema } from './public-record.ts';
import { bigintString, centsString, writeResult } from './shared.ts';

const stageEventSchema = z.object({
  stage: z.enum(PERMIT_STAGES),
  on: z.string(),
});

const publicBottleneckSchema = z.object({
  kind: z.string(),
  agency: z.string(),
  permits: z.number().nullable(),
  open: z.number().nullable(),
  projectsBlocked: z.number().nullable(),
  capitalBlocked: centsString.nullable(),
  medianDaysInReview: z.number().nullable(),
  merged: z.literal(true).optional(),
});

const bottleneckSchema = z.object({
  kind: z.string(),
  agency: z.string(),
  permits: z.number(),
  open: z.number(),
  projectsBlocked: z.number(),
  capitalBlocked: bigintString,
  medianDaysInReview: z.number(),
});

export const addPermitResponse = writeResult(z.object({ id: bigintString }));

export const movePermitResponse = writeResult(
  z.object({
    id: bigintString,
    stage: z.enum(PERMIT_STAGES),
  }),
);

export const listDealPermitsResponse = z.object({
  permits: z.array(
    z.object({
      days: z.object({
        approved: z.number().optional(),
        denied: z.number().optional(),
        withdrawn: z.number().optional(),
        not_started: z.number().optional(),
        applied: z.number().optional(),
        under_review: z.number().optional(),
      }),
      dealId: z.string(),
      kind: z.enum(PERMIT_KINDS),
      agency: z.string(),
      events: z.array(stageEventSchema),
      dealAmount: centsString,
      id: bigintString,
      jurisdiction: z.string(),
    }),
  ),
});

export const permitBottlenecksResponse = z.union([
  z.object({
    rows: z.array(publicBottleneckSchema),
    projectsBlocked: z.number().nullable(),
    capitalBlocked: centsString.nullable(),
    disclosure: disclosurePolicySchema,
    asOf: z.string(),
  }),
  z.object({
    rows: z.array(bottleneckSchema),
    projectsBlocked: z.number(),
    capitalBlocked: bigintString,
    asOf: z.string(),
  }),
]);

export const councilBookResponse = z.object({
  disclosure: disclosurePolicySchema,
  meetings: z.array(
    z.object({
      id: bigintString,
      heldOn: z.string(),
      title: z.string(),
      agenda: z.array(z.object({ item: z.string(), facts: z.array(z.string()) })),
      recommendations: z.array(
        z.object({
          id: bigintString,
          text: z.string(),
          owner: z.string(),
          status: z.string(),
          dueOn: z.string().nullable(),
        }),
      ),
    }),
  ),
});

export const addCouncilMeetingResponse = writeResult(z.object({ id: bigintString }));

export const addRecommendationResponse = writeResult(z.object({ id: bigintString }));

export const setRecommendationStatusResponse = writeResult(
  z.object({ id: bigintString, status: z.enum(['open', 'declined', 'done', 'in_progress']) }),
);

export const coverageReportResponse = z.object({
  year: z.number(),
  thresholds: z.object({ deals: z.literal(8), amountCents: centsString }),
  uncovered: z.array(
    z.object({ subAreaId: z.string(), openDeals: z.number(), openAmountCents: centsString }),
  ),
  load: z.array(
    z.object({
      staffId: z.string(),
      name: z.string(),
      subAreas: z.array(z.string()),
      openDeals: z.number(),
      openAmountCents: centsString,
      overloaded: z.boolean(),
    }),
  ),
  hiring: z.array(z.object({ subAreaId: z.string(), planned: z.number(), actual: z.number() })),
});

export const addStaffResponse = writeResult(z.object({ id: z.string() }));

export const setHiringPlanResponse = writeResult(z.object({ rows: z.number() }));

export const geographyResponse = z.object({
  states: z.array(
    z.object({ deployedCents: centsString, pipelineCents: centsString, deals: z.number(), fips: z.string() }),
  ),
  counties: z.array(
    z.object({ deployedCents: centsString, pipelineCents: centsString, deals: z.number(), fips: z.string() }),
  ),
  facilities: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      stateFips: z.string(),
      countyFips: z.string().nullable(),
      jobs: z.number().nullable(),
      company: z.string(),
    }),
  ),
  clusters: z.array(
    z.object({
      facilities: z.number(),
      jobs: z.number(),
      deployedCents: centsString,
      pipelineCents: centsString,
      deals: z.number(),
      fips: z.string(),
    }),
  ),
  unplaced: z.object({ deployedCents: centsString, pipelineCents: centsString }),
});

const tallySchema = z.object({ amount: centsString, awards: z.number() });

export const peerOverlapResponse = z.object({
  programmes: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      sponsor: z.string(),
      kind: z.enum(['government', 'bank', 'fund', 'sovereign']),
      subAreas: z.array(z.string()),
      source: z.string(),
      awards: z.number(),
      counted: z.number(),
      withoutAmount: z.number(),
      publicDollars: centsString,
      byStage: z.array(tallySchema.extend({ stage: z.enum(AWARD_STAGES) })),
      bySubArea: z.array(tallySchema.extend({ subAreaId: z.string() })),
    }),
  ),
  awards: z.array(peerAwardSchema),
  total: tallySchema.extend({ withoutAmount: z.number() }),
  overlap: z.array(
    z.object({
      subAreaId: z.string(),
      peers: z.array(z.string()),
      publicDollars: centsString,
      publicAwards: z.number(),
      ourCounted: centsString.nullable(),
      ourOpenPipeline: z.number().nullable(),
      crowding: z.number().nullable(),
      byState: z.array(tallySchema.extend({ place: z.string() })),
    }),
  ),
  states: z.array(
    z.object({
      place: z.string(),
      publicDollars: centsString,
      awards: z.number(),
      ourDeployed: centsString.nullable(),
    }),
  ),
  note: z.string(),
});

export const reshoringReportResponse = z.object({
  source: z.string(),
  disclosure: disclosurePolicySchema,
  assumption: z.string(),
  materials: z.array(
    z.object({
      portfolioCapacity: z.number().nullable(),
      history: z.array(z.object({ year: z.number(), share: z.number(), projected: z.boolean() })),
      projection: z.array(
        z.union([
          z.object({ year: z.number(), share: z.number(), added: z.number(), projected: z.boolean() }),
          z.object({ share: z.null(), added: z.null(), year: z.number(), projected: z.boolean() }),
        ]),
      ),
      material: z.string(),
      unit: z.string(),
      stage: z.string(),
      source: z.string(),
    }),
  ),
});

export const addCapacityResponse = writeResult(z.object({ id: bigintString }));
