/** What the credit routes answer (routes/credit.ts). */
import { z } from 'zod';
import { DECISIONS, VOTES } from '../../domain/committee.ts';
import { BUSINESS_DAY_RULES, HOLIDAY_CALENDARS } from '../../domain/credit/business-days.ts';
import { COVENANT_KINDS, WATCHLIST_ACTIONS } from '../../domain/credit/covenants.ts';
import { DAY_COUNTS } from '../../domain/credit/day-count.ts';
import {
  GUARANTOR_KINDS,
  PAYMENT_FREQUENCIES,
  REFERENCE_RATES,
  SENIORITIES,
} from '../../domain/credit/facility-terms.ts';
import { QUESTION_KINDS } from '../../domain/credit/questions.ts';
import { bigintString, centsString, writeResult } from './shared.ts';

const irbFiguresSchema = z.object({
  pd: z.number(),
  lgd: z.number(),
  maturity: z.number(),
  sales: z.number().nullable(),
  source: z.string(),
  correlation: z.number(),
  maturityAdjustment: z.number(),
  capitalK: z.number(),
  riskWeight: z.number(),
});

const rateSchema = z.object({ numerator: bigintString, denominator: bigintString });

const datedPeriodSchema = z.object({
  rate: rateSchema,
  rateFrom: z.enum(['fixed', 'fixing', 'projected']),
  fixing: z.object({ fixedOn: z.string(), ratePercent: z.string(), source: z.string() }).nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  days: z.number(),
  basis: z.number(),
  period: z.number(),
  opening: bigintString,
  interest: bigintString,
  principal: bigintString,
  payment: bigintString,
  closing: bigintString,
});

const facilityScheduleSchema = z.object({
  annualRate: rateSchema,
  upfrontFee: bigintString,
  periods: z.array(datedPeriodSchema),
});

const sourcedFigure = z.object({
  value: z.string(),
  source: z.string(),
  url: z.string().nullable(),
  sentence: z.string().nullable(),
});

const gradeScaleSchema = z.object({
  name: z.string(),
  version: z.string(),
  notes: z.array(z.string()),
  pdFloor: sourcedFigure,
  pdSource: z.object({
    publication: z.string(),
    url: z.string(),
    pdf: z.string(),
    transcribedBy: z.string(),
  }),
  grades: z.array(
    z.object({
      grade: z.number(),
      category: z.string(),
      oneYearDefaultRate: z.string().nullable(),
      pd: z.number().nullable(),
      table: z.string(),
      sentence: z.string().nullable(),
    }),
  ),
  lgd: z.object({
    senior_unsecured: sourcedFigure,
    subordinated: sourcedFigure,
    otherCollateral: z.object({
      minimumLgd: z.string(),
      requiredCollateralisation: z.string(),
      overCollateralisation: z.string(),
      source: z.string(),
      url: z.string().nullable(),
      sentence: z.string().nullable(),
    }),
  }),
  ccf: sourcedFigure,
});

const gradeEntrySchema = z.object({
  id: bigintString,
  grade: z.number(),
  category: z.string(),
  pd: z.number().nullable(),
  reason: z.string(),
  assignedBy: z.string(),
  assignedAt: z.string(),
});

const facilityRiskSchema = z.object({
  drawn: centsString,
  undrawn: centsString,
  ead: centsString,
  grade: z.number().nullable(),
  pd: z.number().nullable(),
  lgd: z.number(),
  el: centsString.nullable(),
});

const arrearsSchema = z.object({
  asOf: z.string(),
  scheduledDue: centsString,
  repaid: centsString,
  arrears: centsString,
  interestDue: centsString,
  interestReceived: centsString,
  interestArrears: centsString,
  daysPastDue: z.number(),
  oldestUnpaidDueOn: z.string().nullable(),
});

const bookFacilitySchema = z.object({
  id: z.string(),
  dealId: z.string(),
  dealName: z.string().nullable(),
  companyId: z.string(),
  companyName: z.string(),
  subAreaId: z.string(),
  subAreaName: z.string(),
  state: z.string().nullable(),
  seniority: z.enum(SENIORITIES),
  commitment: centsString,
  maturityOn: z.string(),
  category: z.string().nullable(),
  risk: facilityRiskSchema,
  arrears: arrearsSchema,
});

const riskTotalSchema = z.object({
  key: z.string(),
  name: z.string(),
  facilities: z.number(),
  ead: centsString,
  el: centsString,
  ungradedEad: centsString,
});

const concentrationGroupSchema = z.object({
  key: z.string(),
  name: z.string(),
  ead: centsString,
  share: z.number(),
});

const facilityTermsViewSchema = z.object({
  commitment: centsString,
  startsOn: z.string(),
  availabilityEndsOn: z.string(),
  maturityOn: z.string(),
  amortisation: z.union([
    z.object({ kind: z.literal('bullet') }),
    z.object({ kind: z.literal('straight_line') }),
    z.object({ kind: z.literal('annuity') }),
    z.object({ kind: z.literal('custom'), weights: z.array(z.number()) }),
  ]),
  interest: z.union([
    z.object({ kind: z.literal('fixed'), rate: z.string() }),
    z.object({
      kind: z.literal('floating'),
      reference: z.enum(REFERENCE_RATES),
      marginBps: z.number(),
      floorBps: z.number().optional(),
    }),
  ]),
  dayCount: z.enum(DAY_COUNTS),
  paymentFrequency: z.enum(PAYMENT_FREQUENCIES),
  businessDayRule: z.enum(BUSINESS_DAY_RULES),
  holidayCalendar: z.enum(HOLIDAY_CALENDARS),
  fees: z.object({ upfrontBps: z.number(), commitmentFeeBps: z.number() }),
  seniority: z.enum(SENIORITIES),
  collateral: z.array(z.object({ description: z.string(), value: centsString.optional() })),
  guarantees: z.array(
    z.object({
      guarantor: z.string(),
      kind: z.enum(GUARANTOR_KINDS),
      shareBps: z.number(),
    }),
  ),
  source: z.string(),
});

const facilityViewSchema = z.object({
  id: z.string(),
  dealId: z.string(),
  version: z.number(),
  committeeDecisionId: bigintString.nullable(),
  questionId: bigintString.nullable(),
  terms: facilityTermsViewSchema,
  schedule: facilityScheduleSchema,
  versions: z.array(
    z.object({
      version: z.number(),
      recordedAt: z.string(),
      recordedBy: z.string(),
      committeeDecisionId: bigintString.nullable(),
      questionId: bigintString.nullable(),
    }),
  ),
  book: bookFacilitySchema,
  grades: z.array(gradeEntrySchema),
});

export const irbFiguresResponse = irbFiguresSchema;

export const openFacilityResponse = writeResult(
  z.object({ id: z.string(), dealId: z.string(), version: z.number() }),
);

export const amendFacilityTermsResponse = writeResult(
  z.object({ id: z.string(), version: z.number(), questionId: bigintString }),
);

export const getFacilityResponse = facilityViewSchema;

export const assignGradeResponse = writeResult(
  z.object({
    id: bigintString,
    companyId: z.string(),
    grade: z.number(),
    category: z.string(),
    pd: z.number().nullable(),
  }),
);

export const gradeHistoryResponse = z.object({
  companyId: z.string(),
  companyName: z.string(),
  current: z.number().nullable(),
  history: z.array(gradeEntrySchema),
  scale: gradeScaleSchema,
});

/** Fixings stored per reference (GET /api/credit/fixings): credit.read. */
export const rateFixingsResponse = z.object({
  references: z.array(
    z.object({
      reference: z.enum(REFERENCE_RATES),
      count: z.number().int(),
      firstOn: z.string(),
      lastOn: z.string(),
      lastPercent: z.string(),
      lastSource: z.string(),
    }),
  ),
});

export const creditBookResponse = z.object({
  asOf: z.string(),
  facilities: z.array(bookFacilitySchema),
  totals: z.object({
    programme: riskTotalSchema,
    byObligor: z.array(riskTotalSchema),
    bySubArea: z.array(riskTotalSchema),
  }),
  ungradedObligors: z.array(riskTotalSchema),
  concentration: z.object({
    totalEad: centsString,
    largestObligor: concentrationGroupSchema.nullable(),
    hhiByObligor: z.number(),
    hhiBySubArea: z.number(),
    hhiByState: z.number(),
    byObligor: z.array(concentrationGroupSchema),
    bySubArea: z.array(concentrationGroupSchema),
    byState: z.array(concentrationGroupSchema),
    topObligors: z.array(concentrationGroupSchema),
  }),
  scale: gradeScaleSchema,
});

export const listFacilitiesResponse = z.array(
  z.object({
    id: z.string(),
    dealId: z.string(),
    dealName: z.string().nullable(),
    companyId: z.string(),
    companyName: z.string(),
    createdAt: z.string(),
  }),
);
/** Simulated losses are floats in dollars (analytics); exposures are exact cents. */
export const portfolioRiskResponse = z.object({
  scenarios: z.number(),
  seed: z.number(),
  factorLevel: z.enum(['core_area', 'sub_area']),
  obligors: z.number(),
  exposure: centsString,
  expectedLoss: z.number().describe('Σ PD × LGD × EAD in dollars, analytic'),
  simulatedExpectedLoss: z.number().describe('mean simulated loss in dollars'),
  measures: z.array(
    z.object({ confidence: z.number(), valueAtRisk: z.number(), expectedShortfall: z.number() }),
  ),
  factors: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      obligors: z.number(),
      exposure: centsString,
      expectedLoss: z.number(),
    }),
  ),
  quantileDefinition: z.string(),
  correlationRule: z.string(),
  factorCorrelationSource: z.string(),
  assumptions: z.object({
    pd: z.number().nullable(),
    lgd: z.number().nullable(),
    correlation: z.number().nullable(),
  }),
  fallbacks: z.object({
    obligorsWithRequestPd: z.number(),
    dealsWithoutFacility: z.number(),
    rule: z.string(),
  }),
});

const simulatedRisk = portfolioRiskResponse.omit({ assumptions: true, fallbacks: true });

const shortfallMapping = z.object({
  name: z.string(),
  version: z.string(),
  assumption: z.string(),
  thresholds: z.array(z.object({ minShortfall: z.number(), notches: z.number() })),
  /** The scenario's own mapping, or the programme's default. */
  from: z.enum(['scenario', 'programme']),
});

export const stressScenariosResponse = z.object({
  scenarios: z.array(
    z.object({ id: z.string(), name: z.string(), basis: z.string(), ownMapping: z.boolean() }),
  ),
  mapping: shortfallMapping,
});

export const creditStressResponse = z.object({
  scenario: z.object({ id: z.string(), name: z.string(), basis: z.string() }),
  graphVersion: z.number(),
  asOf: z.string(),
  mapping: shortfallMapping.extend({ worstPerformingGrade: z.number() }),
  obligors: z.array(
    z.object({
      companyId: z.string(),
      companyName: z.string(),
      subAreaName: z.string(),
      shortfall: z.number().describe('mean uncovered shortfall propagated to the borrower, 0–1'),
      path: z.array(z.string()),
      grade: z.number().nullable(),
      notches: z.number(),
      stressedGrade: z.number().nullable(),
      ead: centsString,
      baseEl: centsString.nullable(),
      stressedEl: centsString.nullable(),
    }),
  ),
  totals: z.object({
    ead: centsString,
    baseEl: centsString,
    stressedEl: centsString,
    ungradedEad: centsString,
    change: centsString,
  }),
  simulation: z
    .object({
      base: simulatedRisk,
      stressed: simulatedRisk,
      fallbacks: z.object({ obligorsWithRequestPd: z.number(), dealsWithoutFacility: z.number() }),
      note: z.string(),
    })
    .nullable(),
  warnings: z.array(z.string()),
});

// Covenants and the watchlist (routes/credit.ts; app/credit/covenants.ts).
const covenantKind = z.enum(COVENANT_KINDS);
const watchlistActionSchema = z.object({
  id: bigintString,
  action: z.enum(WATCHLIST_ACTIONS),
  /** Actions recorded before credit questions name the deal decision they cited; later ones the question. */
  committeeDecisionId: bigintString.nullable(),
  questionId: bigintString.nullable(),
  note: z.string(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});

export const addCovenantResponse = writeResult(
  z.object({ id: bigintString, facilityId: z.string(), kind: covenantKind }),
);
export const recordFinancialsResponse = writeResult(z.object({ recorded: z.number() }));
export const correctFinancialsResponse = writeResult(
  z.object({ companyId: z.string(), periodEnd: z.string(), version: z.number().int() }),
);
export const watchlistActionResponse = writeResult(
  z.object({
    id: bigintString,
    covenantId: bigintString,
    testOn: z.string(),
    action: z.enum(WATCHLIST_ACTIONS),
    questionId: bigintString,
  }),
);

export const facilityCovenantsResponse = z.object({
  facilityId: z.string(),
  asOf: z.string(),
  covenants: z.array(
    z.object({
      id: bigintString,
      kind: covenantKind,
      /** ×1000 for ratios, cents for minimum liquidity. */
      threshold: bigintString,
      firstTestOn: z.string(),
      everyMonths: z.number(),
      companyId: z.string(),
      companyName: z.string(),
      tests: z.array(
        z.object({
          testOn: z.string(),
          status: z.enum(['pass', 'breach', 'not_tested']),
          actual: z.string().nullable(),
          reason: z.string(),
          action: watchlistActionSchema.nullable(),
        }),
      ),
    }),
  ),
});

export const watchlistResponse = z.object({
  asOf: z.string(),
  count: z.number(),
  obligors: z.array(
    z.object({
      companyId: z.string(),
      companyName: z.string(),
      breaches: z.array(
        z.object({
          covenantId: bigintString,
          kind: covenantKind,
          threshold: bigintString,
          facilityId: z.string(),
          dealId: z.string(),
          dealName: z.string().nullable(),
          testOn: z.string(),
          actual: z.string().nullable(),
          reason: z.string(),
          action: watchlistActionSchema.nullable(),
        }),
      ),
    }),
  ),
});

// Credit questions before the committee (routes/credit.ts; app/credit/credit-questions.ts).
const ballotEntry = { member: z.string(), name: z.string() };
export const creditQuestionsResponse = z.object({
  items: z.array(
    z.object({
      id: bigintString,
      facilityId: z.string(),
      kind: z.enum(QUESTION_KINDS),
      covenantId: bigintString.nullable(),
      testOn: z.string().nullable(),
      proposedTerms: facilityTermsViewSchema.nullable(),
      /** The terms version a terms amendment changes; applying it after another version is refused. */
      baseVersion: z.number().nullable(),
      summary: z.string(),
      meetingOn: z.string(),
      putBy: z.string(),
      putByName: z.string(),
      putAt: z.string(),
      decision: z.enum(DECISIONS).nullable(),
      decidedOn: z.string().nullable(),
      decidedBy: z.string().nullable(),
      decidedByName: z.string().nullable(),
      conditions: z.array(z.object({ text: z.string(), status: z.enum(['open', 'met', 'waived']) })),
      quorum: z.number().nullable(),
      votes: z.array(z.object({ ...ballotEntry, vote: z.enum(VOTES) })),
      conflicts: z.array(z.object({ ...ballotEntry, note: z.string() })),
      tally: z.object({ for: z.number(), against: z.number(), abstain: z.number() }),
      /** An approved question applied by its amendment or action (once). */
      used: z.boolean(),
    }),
  ),
});
export const putCreditQuestionResponse = writeResult(
  z.object({ id: bigintString, facilityId: z.string(), kind: z.enum(QUESTION_KINDS) }),
);
export const creditVoteResponse = writeResult(
  z.object({ questionId: bigintString, member: z.string(), vote: z.enum(VOTES) }),
);
export const creditConflictResponse = writeResult(
  z.object({ questionId: bigintString, member: z.string(), declared: z.boolean() }),
);
export const decideCreditQuestionResponse = writeResult(
  z.object({
    id: bigintString,
    facilityId: z.string(),
    decision: z.enum(DECISIONS),
    tally: z.object({ for: z.number(), against: z.number(), abstain: z.number(), present: z.number() }),
  }),
);
