/**
 * The terms of a lending facility, as one validated document. Terms are versioned: version 1 is what the
 * facility was signed on; every later version is an amendment, which needs a committee decision (the
 * migration enforces that; the use case that records amendments is still to come).
 *
 * Amounts are dollars as text, parsed exactly to cents; rates are decimal text (`0.0525`) or whole basis
 * points, never floats, so the schedule built from the terms is exact.
 */
import { z } from 'zod';
import { isoDate, positiveAmount, sourceNote } from '../fields.ts';
import { BUSINESS_DAY_RULES, HOLIDAY_CALENDARS } from './business-days.ts';
import { DAY_COUNTS } from './day-count.ts';
import { parseRate } from './rate.ts';

/** Reference rates a floating-rate facility may be priced on (fixings are imported with their source). */
export const REFERENCE_RATES = ['SOFR', 'TERM_SOFR_1M', 'TERM_SOFR_3M', 'TERM_SOFR_6M'] as const;
export const PAYMENT_FREQUENCIES = ['monthly', 'quarterly', 'semi_annual', 'annual'] as const;
/** Months per period of each payment frequency. */
export const MONTHS_PER_PERIOD = { monthly: 1, quarterly: 3, semi_annual: 6, annual: 12 } as const;
export const SENIORITIES = ['senior_secured', 'senior_unsecured', 'subordinated'] as const;
export type Seniority = (typeof SENIORITIES)[number];
export const GUARANTOR_KINDS = [
  'government',
  'development_bank',
  'export_credit_agency',
  'parent',
  'other',
] as const;

const basisPoints = (max: number) =>
  z.number().int('must be a whole number of basis points').min(0, 'must not be negative').max(max);

/** A decimal rate as text, e.g. "0.0525" for 5.25%: checked here, parsed exactly where it is used. */
const decimalRate = z.string().refine((text) => {
  try {
    parseRate(text);
    return true;
  } catch {
    return false;
  }
}, 'must be a decimal rate like 0.0525 (5.25%)');

export const interestTermsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), rate: decimalRate }),
  z.object({
    kind: z.literal('floating'),
    reference: z.enum(REFERENCE_RATES),
    marginBps: basisPoints(5_000),
    /** The reference rate never counts below this (a 0% floor is common). */
    floorBps: basisPoints(5_000).optional(),
  }),
]);

export const amortisationTermsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bullet') }),
  z.object({ kind: z.literal('straight_line') }),
  z.object({ kind: z.literal('annuity') }),
  z.object({
    kind: z.literal('custom'),
    /** Whole-number weights, one per period; each period repays its share, the residue in the last. */
    weights: z.array(z.number().int().min(0)).min(1).max(1_200),
  }),
]);

export const facilityTermsSchema = z
  .object({
    commitment: positiveAmount,
    startsOn: isoDate,
    /** Last day on which the borrower may draw. */
    availabilityEndsOn: isoDate,
    maturityOn: isoDate,
    amortisation: amortisationTermsSchema,
    interest: interestTermsSchema,
    dayCount: z.enum(DAY_COUNTS),
    paymentFrequency: z.enum(PAYMENT_FREQUENCIES),
    businessDayRule: z.enum(BUSINESS_DAY_RULES),
    /** The holidays a payment date moves off, besides weekends (terms stored before it move off the Fed's). */
    holidayCalendar: z.enum(HOLIDAY_CALENDARS).default('us_federal_reserve'),
    fees: z.object({
      upfrontBps: basisPoints(1_000).default(0),
      /** Charged on the undrawn commitment during the availability period. */
      commitmentFeeBps: basisPoints(1_000).default(0),
    }),
    seniority: z.enum(SENIORITIES),
    collateral: z
      .array(z.object({ description: z.string().min(3).max(500), value: positiveAmount.optional() }))
      .max(50)
      .default([]),
    guarantees: z
      .array(
        z.object({
          guarantor: z.string().min(2).max(200),
          kind: z.enum(GUARANTOR_KINDS),
          /** Share of the facility the guarantor covers, e.g. 8000 = 80%. */
          shareBps: z.number().int().min(1).max(10_000),
        }),
      )
      .max(20)
      .default([]),
    source: sourceNote,
  })
  .refine((t) => t.commitment > 0n, { path: ['commitment'], message: 'must be greater than zero' })
  .refine((t) => t.maturityOn > t.startsOn, { path: ['maturityOn'], message: 'must be after startsOn' })
  .refine((t) => t.availabilityEndsOn >= t.startsOn && t.availabilityEndsOn <= t.maturityOn, {
    path: ['availabilityEndsOn'],
    message: 'must fall between startsOn and maturityOn',
  })
  .refine((t) => t.guarantees.reduce((sum, g) => sum + g.shareBps, 0) <= 10_000, {
    path: ['guarantees'],
    message: 'guaranteed shares add up to more than 100%',
  });

export type FacilityTermsInput = z.input<typeof facilityTermsSchema>;
export type FacilityTerms = z.output<typeof facilityTermsSchema>;
