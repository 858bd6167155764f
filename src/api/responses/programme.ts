/** What the programme routes answer (routes/programme.ts). */
import { z } from 'zod';
import { BALANCE_SHEET_SIDES } from '../../domain/instruments.ts';
import { STAGES } from '../../domain/stages.ts';
import { disclosurePolicySchema } from './parts.ts';
import { publicRecordSummarySchema } from './public-record.ts';
import { centsString } from './shared.ts';

const breakdownSchema = z.object({ key: z.string(), committed: centsString, counted: centsString });

const stageRowSchema = z.object({
  stage: z.enum(STAGES),
  deals: z.number(),
  amount: centsString,
});

/** A cap row under the current programme: its limit, what is used and what it may still take. */
export const capUsageRowSchema = z.object({
  capId: z.string(),
  scopeKey: z.string(),
  limit: centsString,
  used: centsString,
  label: z.string(),
  headroom: centsString,
});

const programmeSummarySchema = z.object({
  programme: z.object({
    id: z.string(),
    name: z.string(),
    version: z.number(),
    methodologyVersion: z.number(),
  }),
  targets: z.object({ total: centsString, baseline: centsString, incremental: centsString }),
  counted: z.object({
    total: centsString,
    baseline: centsString,
    incremental: centsString,
    own: centsString,
    facilitated: centsString,
  }),
  committed: centsString,
  byYear: z.array(
    z.object({
      year: z.number(),
      plan: centsString,
      counted: centsString,
      cumulativePlan: centsString,
      cumulativeCounted: centsString,
    }),
  ),
  byArea: z.array(breakdownSchema),
  bySubArea: z.array(breakdownSchema),
  bySubAreaYear: z.array(
    z.object({ subAreaId: z.string(), areaId: z.string(), year: z.number(), counted: centsString }),
  ),
  byInstrument: z.array(
    z.object({
      key: z.string(),
      committed: centsString,
      counted: centsString,
      side: z.enum(BALANCE_SHEET_SIDES),
    }),
  ),
  pipeline: z.array(stageRowSchema),
  caps: z.array(capUsageRowSchema),
  publicRecord: publicRecordSummarySchema.optional(),
});

const publicBreakdownSchema = z.object({
  key: z.string(),
  counted: centsString.nullable(),
  merged: z.literal(true).optional(),
});

const publicProgrammeSummarySchema = z.object({
  programme: z.object({
    id: z.string(),
    name: z.string(),
    version: z.number(),
    methodologyVersion: z.number(),
  }),
  targets: z.object({ total: centsString, baseline: centsString, incremental: centsString }),
  disclosure: disclosurePolicySchema,
  counted: z.object({
    total: centsString.nullable(),
    baseline: centsString.nullable(),
    incremental: centsString.nullable(),
    own: centsString.nullable(),
    facilitated: centsString.nullable(),
  }),
  byYear: z.array(
    z.object({
      year: z.number(),
      plan: centsString,
      counted: centsString.nullable(),
      cumulativePlan: centsString,
      cumulativeCounted: centsString.nullable(),
    }),
  ),
  byArea: z.array(publicBreakdownSchema),
  bySubArea: z.array(publicBreakdownSchema),
  bySubAreaYear: z.array(
    z.object({ subAreaId: z.string(), areaId: z.string(), year: z.number(), counted: centsString }),
  ),
  byInstrument: z.array(
    z.object({
      key: z.string(),
      counted: centsString.nullable(),
      merged: z.literal(true).optional(),
      committed: centsString.nullable(),
      side: z.enum(BALANCE_SHEET_SIDES).nullable(),
    }),
  ),
  pipeline: z.array(
    z.object({
      stage: z.enum([
        'approved',
        'other',
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
      deals: z.number().nullable(),
      amount: centsString.nullable(),
      merged: z.literal(true).optional(),
    }),
  ),
  caps: z.array(
    z.object({
      capId: z.string(),
      scopeKey: z.string(),
      label: z.string(),
      limit: centsString,
      used: centsString.nullable(),
      headroom: centsString.nullable(),
      merged: z.literal(true).optional(),
    }),
  ),
  publicRecord: publicRecordSummarySchema.optional(),
});

export const programmeSummaryResponse = programmeSummarySchema;

export const programmeAggregatesResponse = z.union([publicProgrammeSummarySchema, programmeSummarySchema]);

export const listSubAreasResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      areaId: z.string(),
      publiclyNamed: z.boolean(),
      areaName: z.string(),
    }),
  ),
});
