import { describe, expect, it } from 'vitest';
import { adjustForBusinessDay } from '../../src/domain/credit/business-days.ts';
import { parseCalendarDate } from '../../src/domain/credit/day-count.ts';
import { facilitySchedule, projectedAnnualRate } from '../../src/domain/credit/facility-schedule.ts';
import { type FacilityTermsInput, facilityTermsSchema } from '../../src/domain/credit/facility-terms.ts';
import { parseRate } from '../../src/domain/credit/rate.ts';

const base: FacilityTermsInput = {
  commitment: '1,000,000.00',
  startsOn: '2027-01-29',
  availabilityEndsOn: '2027-01-29',
  maturityOn: '2028-01-29',
  amortisation: { kind: 'straight_line' },
  interest: { kind: 'fixed', rate: '0.06' },
  dayCount: 'ACT/360',
  paymentFrequency: 'quarterly',
  businessDayRule: 'none',
  fees: { upfrontBps: 100 },
  seniority: 'senior_unsecured',
  source: 'synthetic (test)',
};
const terms = (overrides: Partial<FacilityTermsInput> = {}) =>
  facilityTermsSchema.parse({ ...base, ...overrides });
const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

describe('facility schedule from terms', () => {
  it('dates quarterly periods, accrues interest by the day count and repays exactly the commitment', () => {
    const s = facilitySchedule(terms());
    expect(s.periods.map((p) => [p.startsOn, p.endsOn, p.days])).toEqual([
      ['2027-01-29', '2027-04-29', 90],
      ['2027-04-29', '2027-07-29', 91],
      ['2027-07-29', '2027-10-29', 92],
      ['2027-10-29', '2028-01-29', 92],
    ]);
    // $1,000,000 × 6% × 90/360 = $15,000.00 in the first quarter.
    expect(s.periods[0]?.interest).toBe(1_500_000n);
    expect(s.periods.map((p) => p.principal)).toEqual([25_000_000n, 25_000_000n, 25_000_000n, 25_000_000n]);
    expect(s.upfrontFee).toBe(1_000_000n);
  });

  it('rolls a month-end start to the last day of shorter months and ends on maturity with a stub', () => {
    const s = facilitySchedule(
      terms({
        startsOn: '2027-01-31',
        availabilityEndsOn: '2027-01-31',
        maturityOn: '2027-04-15',
        paymentFrequency: 'monthly',
      }),
    );
    expect(s.periods.map((p) => p.endsOn)).toEqual(['2027-02-28', '2027-03-31', '2027-04-15']);
  });

  it('moves payment dates off weekends by the business-day rule', () => {
    const saturday = parseCalendarDate('2027-07-31');
    expect(adjustForBusinessDay(saturday, 'following')).toEqual(parseCalendarDate('2027-08-02'));
    expect(adjustForBusinessDay(saturday, 'modified_following')).toEqual(parseCalendarDate('2027-07-30'));
    expect(adjustForBusinessDay(saturday, 'preceding')).toEqual(parseCalendarDate('2027-07-30'));
    expect(adjustForBusinessDay(saturday, 'none')).toEqual(saturday);
  });

  it('projects a floating rate as max(reference, floor) + margin, exactly', () => {
    const floating = terms({
      interest: { kind: 'floating', reference: 'TERM_SOFR_3M', marginBps: 275, floorBps: 50 },
    });
    const rate = (ref: string) => {
      const r = projectedAnnualRate(floating, parseRate(ref));
      return Number(r.numerator) / Number(r.denominator);
    };
    expect(rate('0.043')).toBeCloseTo(0.0705, 15);
    expect(rate('0.001')).toBeCloseTo(0.0325, 15);
  });

  it('an annuity facility repays the commitment exactly, the residue in the last period', () => {
    const s = facilitySchedule(
      terms({
        amortisation: { kind: 'annuity' },
        maturityOn: '2034-01-29',
        businessDayRule: 'modified_following',
      }),
    );
    expect(s.periods).toHaveLength(28);
    expect(sum(s.periods.map((p) => p.principal))).toBe(100_000_000n);
    expect(s.periods.at(-1)?.closing).toBe(0n);
  });
});
