/** What the allocation routes answer (routes/allocation.ts). */
import { z } from 'zod';
import { disclosurePolicySchema } from './parts.ts';
import { centsString } from './shared.ts';

const pacingLineSchema = z.object({
  target: z.enum(['total', 'baseline', 'incremental', 'equity_vc_cap']),
  goal: centsString,
  counted: centsString,
  planToDate: z.number(),
  runRate: z.number(),
  requiredRunRate: z.number(),
  projected: z.number(),
  status: z.enum(['ahead', 'on_pace', 'behind']),
});

const pathPointSchema = z.object({ year: z.number(), projected: z.number(), required: z.number() });

const segmentPacingLineSchema = z.object({
  key: z.string(),
  goal: centsString,
  counted: centsString,
  planToDate: z.number(),
  requiredRunRate: z.number(),
  status: z.enum(['ahead', 'on_pace', 'behind']),
});

const bookMetricsSchema = z.object({
  key: z.string(),
  positions: z.number(),
  paidIn: centsString,
  distributed: centsString,
  nav: centsString,
  dpi: z.number().nullable(),
  rvpi: z.number().nullable(),
  tvpi: z.number().nullable(),
  moic: z.number().nullable(),
  xirr: z.union([
    z.object({ status: z.literal('ok'), rate: z.number() }),
    z.object({ status: z.literal('multiple'), rate: z.number(), roots: z.array(z.number()) }),
    z.object({ status: z.literal('no_solution'), reason: z.string() }),
    z.object({ status: z.literal('undefined'), reason: z.string() }),
    // Held under a year: not annualised (GIPS 2.A.40), see domain/book-metrics.ts.
    z.object({ status: z.literal('not_meaningful'), reason: z.string() }),
  ]),
});

const bandSchema = z.object({ step: z.number(), p10: z.number(), p50: z.number(), p90: z.number() });

const bindingSchema = z.object({ label: z.string(), group: z.string(), shadowPrice: z.number() });

export const pacingReportResponse = z.union([
  z.object({
    asOf: z.string(),
    methodologyVersion: z.number(),
    disclosure: disclosurePolicySchema,
    lines: z.array(pacingLineSchema),
    path: z.object({
      years: z.array(
        z.object({
          year: z.number(),
          cumulativePlan: centsString,
          cumulativeCounted: centsString.nullable(),
        }),
      ),
      ahead: z.array(pathPointSchema),
    }),
    areas: z.array(segmentPacingLineSchema),
    instruments: z.array(segmentPacingLineSchema),
  }),
  z.object({
    asOf: z.string(),
    methodologyVersion: z.number(),
    lines: z.array(pacingLineSchema),
    path: z.object({
      years: z.array(
        z.object({ year: z.number(), cumulativePlan: centsString, cumulativeCounted: centsString }),
      ),
      ahead: z.array(pathPointSchema),
    }),
    areas: z.array(segmentPacingLineSchema),
    instruments: z.array(segmentPacingLineSchema),
  }),
]);

export const equityBookMetricsResponse = z.object({
  asOf: z.string(),
  by: z.enum(['deal', 'subArea', 'area', 'vintage', 'book']),
  rows: z.array(bookMetricsSchema),
});

export const projectEquityBookResponse = z.object({
  asOf: z.string(),
  paths: z.number(),
  seed: z.number(),
  quarters: z.number(),
  cohorts: z.array(z.string()),
  modelSource: z.string(),
  nav: z.array(bandSchema),
  contributions: z.array(bandSchema),
  distributions: z.array(bandSchema),
  capUsage: z.array(z.object({ step: z.number(), p10: z.number(), p50: z.number(), p90: z.number() })),
});

export const optimiseResponse = z.union([
  z.object({
    status: z.literal('infeasible'),
    budget: z.number(),
    candidates: z.number(),
    unscored: z.array(z.string()),
    fullyCommitted: z.array(z.string()),
    conflicts: z.array(
      z.object({ group: z.string(), label: z.string(), rhs: z.number(), sense: z.enum(['=', '>=', '<=']) }),
    ),
    year: z.undefined().optional(),
    scoredBy: z.undefined().optional(),
    objective: z.undefined().optional(),
    gap: z.undefined().optional(),
    solveSeconds: z.undefined().optional(),
    selection: z.undefined().optional(),
    committed: z.undefined().optional(),
    binding: z.undefined().optional(),
    frontier: z.undefined().optional(),
  }),
  z.object({
    status: z.enum(['optimal', 'time_limit']),
    year: z.number(),
    budget: z.number(),
    candidates: z.number(),
    unscored: z.array(z.string()),
    fullyCommitted: z.array(z.string()),
    scoredBy: z.record(z.string(), z.enum(['analyst', 'research'])),
    objective: z.number(),
    gap: z.number(),
    solveSeconds: z.number(),
    selection: z.array(
      z.object({
        dealId: z.string(),
        share: z.number(),
        amount: z.number(),
        resilience: z.number(),
        expectedReturn: z.number(),
        subAreaId: z.string(),
        equity: z.boolean(),
      }),
    ),
    committed: z.number(),
    binding: z.array(bindingSchema),
    frontier: z.array(
      z.object({
        budget: z.number(),
        resilience: z.number().nullable(),
        expectedReturn: z.number(),
        status: z.enum(['infeasible', 'optimal', 'time_limit', 'cancelled', 'other']),
      }),
    ),
    conflicts: z.undefined().optional(),
  }),
]);
