/**
 * The projected schedule of a facility from its terms: dated periods, principal by the amortisation, interest
 * by the day count, and the upfront fee, all in exact cents.
 *
 * Assumptions, stated because the terms alone do not settle them:
 * - the commitment is fully drawn on `startsOn` (the drawdown profile and the commitment fee on the undrawn
 *   amount come with actual draws from the ledger);
 * - periods run every 1/3/6/12 months from `startsOn` (a day missing in a short month rolls to its last day),
 *   the last one ending at `maturityOn` (a short final stub when the term is not a whole number of periods);
 * - payment dates are moved by the business-day rule off weekends and the holidays of the terms' calendar
 *   (business-days.ts: the Federal Reserve's, unless the terms say weekends only). Interest accrues between
 *   the adjusted dates;
 * - a floating rate is max(reference, floor) + margin per period: the reference is the period's fixing
 *   (fixings.ts: the latest on or before its start, imported with its source), or, for a period no fixing
 *   reaches yet, one projected level (given, else the latest fixing, else 0);
 * - the annuity's level payment uses the nominal rate per period (annual rate / periods a year); each
 *   period's interest is then accrued by the day count, and the residue lands in the last period as always.
 */
import { type Amortisation, amortisationSchedule, type SchedulePeriod } from './amortisation.ts';
import { adjustForBusinessDay } from './business-days.ts';
import { type CalendarDate, dayCountFraction, daysInMonth, iso, parseCalendarDate } from './day-count.ts';
import { type FacilityTerms, MONTHS_PER_PERIOD } from './facility-terms.ts';
import { type Fixing, fixingFor, percentAsRate } from './fixings.ts';
import { accruedInterest, divideRoundHalfUp, parseRate, type Rate } from './rate.ts';

export interface DatedPeriod extends SchedulePeriod {
  startsOn: string;
  endsOn: string;
  /** Days counted and basis of the day count for the period. */
  days: number;
  basis: number;
  /** The annual rate the period's interest accrues at, and where its reference came from. */
  rate: Rate;
  rateFrom: 'fixed' | 'fixing' | 'projected';
  /** The fixing it was priced on (rateFrom 'fixing'). */
  fixing: Fixing | null;
}

export interface FacilitySchedule {
  annualRate: Rate;
  upfrontFee: bigint;
  periods: DatedPeriod[];
}

export function addMonths(start: CalendarDate, months: number): CalendarDate {
  const index = start.year * 12 + (start.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(start.day, daysInMonth({ year, month })) };
}

/** Unadjusted period end dates from start to maturity. */
export function periodEndDates(terms: FacilityTerms): CalendarDate[] {
  const start = parseCalendarDate(terms.startsOn);
  const maturity = parseCalendarDate(terms.maturityOn);
  const months = MONTHS_PER_PERIOD[terms.paymentFrequency];
  const ends: CalendarDate[] = [];
  for (let k = 1; ; k++) {
    const end = addMonths(start, k * months);
    if (iso(end) >= iso(maturity)) break;
    ends.push(end);
  }
  ends.push(maturity);
  return ends;
}

/** The annual rate the schedule is projected at: fixed, or max(reference, floor) + margin. */
export function projectedAnnualRate(terms: FacilityTerms, referenceRate?: Rate): Rate {
  const { interest } = terms;
  if (interest.kind === 'fixed') return parseRate(interest.rate);
  // In basis points over 10^12 so that any decimal reference (up to 12 places) stays exact.
  const scale = 10n ** 12n;
  const reference = referenceRate ?? { numerator: 0n, denominator: 1n };
  const referenceScaled = (reference.numerator * scale * 10_000n) / reference.denominator;
  const floorScaled = interest.floorBps === undefined ? undefined : BigInt(interest.floorBps) * scale;
  const base = floorScaled !== undefined && referenceScaled < floorScaled ? floorScaled : referenceScaled;
  return { numerator: base + BigInt(interest.marginBps) * scale, denominator: 10_000n * scale };
}

export function facilitySchedule(
  terms: FacilityTerms,
  options: { referenceRate?: Rate; fixings?: readonly Fixing[] } = {},
): FacilitySchedule {
  const fixings = terms.interest.kind === 'floating' ? (options.fixings ?? []) : [];
  const latest = fixings.at(-1);
  const projection = options.referenceRate ?? (latest ? percentAsRate(latest.ratePercent) : undefined);
  const annualRate = projectedAnnualRate(terms, projection);
  const start = parseCalendarDate(terms.startsOn);
  const ends = periodEndDates(terms);
  // Each period ends on its adjusted payment date and the next one starts there.
  const periodEnds = ends.map((d) => adjustForBusinessDay(d, terms.businessDayRule, terms.holidayCalendar));
  const periodStarts = [start, ...periodEnds.slice(0, -1)];
  const fractions = periodStarts.map((s, i) => dayCountFraction(terms.dayCount, s, periodEnds[i]!));
  const pricing = periodStarts.map((s) => {
    if (terms.interest.kind === 'fixed')
      return { rate: annualRate, rateFrom: 'fixed' as const, fixing: null };
    const fixing = fixingFor(fixings, iso(s));
    return fixing
      ? {
          rate: projectedAnnualRate(terms, percentAsRate(fixing.ratePercent)),
          rateFrom: 'fixing' as const,
          fixing,
        }
      : { rate: annualRate, rateFrom: 'projected' as const, fixing: null };
  });
  const perYear = 12 / MONTHS_PER_PERIOD[terms.paymentFrequency];
  const amortisation: Amortisation =
    terms.amortisation.kind === 'custom'
      ? { kind: 'custom', weights: terms.amortisation.weights.map(BigInt) }
      : terms.amortisation;
  const rows = amortisationSchedule({
    principal: terms.commitment,
    periods: ends.length,
    ratePerPeriod: { numerator: annualRate.numerator, denominator: annualRate.denominator * BigInt(perYear) },
    amortisation,
    interestFor: (i, balance) => accruedInterest(balance, pricing[i]!.rate, fractions[i]!),
  });
  return {
    annualRate,
    upfrontFee: divideRoundHalfUp(terms.commitment * BigInt(terms.fees.upfrontBps), 10_000n),
    periods: rows.map((row, i) => ({
      ...row,
      startsOn: iso(periodStarts[i]!),
      endsOn: iso(periodEnds[i]!),
      days: fractions[i]!.days,
      basis: fractions[i]!.basis,
      ...pricing[i]!,
    })),
  };
}
