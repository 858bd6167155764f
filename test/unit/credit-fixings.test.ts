/**
 * Reference-rate fixings and the floating schedule (domain/credit/fixings.ts, facility-schedule.ts): a period is
 * priced on the latest fixing on or before its first day, at most 7 days back; later periods are projected at
 * the latest fixing. The interest below is worked by hand: balance × (fixing + margin) × days / 360.
 */
import { describe, expect, it } from 'vitest';
import { facilitySchedule } from '../../src/domain/credit/facility-schedule.ts';
import { facilityTermsSchema } from '../../src/domain/credit/facility-terms.ts';
import { type Fixing, fixingFor, fixingRowSchema, percentAsRate } from '../../src/domain/credit/fixings.ts';

const fixing = (fixedOn: string, ratePercent: string): Fixing => ({ fixedOn, ratePercent, source: 'test' });

describe('fixings', () => {
  it('reads a published percent exactly', () => {
    expect(percentAsRate('5.31')).toEqual({ numerator: 531n, denominator: 10_000n });
    expect(percentAsRate('0.05')).toEqual({ numerator: 5n, denominator: 10_000n });
    for (const bad of ['-0.1', '100', '5,31', '5.123456', ''])
      expect(
        fixingRowSchema.safeParse({
          reference: 'SOFR',
          date: '2027-01-04',
          ratePercent: bad,
          source: 'x y z',
        }).success,
        bad,
      ).toBe(false);
  });

  it('finds the latest fixing on or before a day, at most 7 days back', () => {
    const fixings = [
      fixing('2026-12-24', '4.40'),
      fixing('2026-12-31', '4.30'),
      fixing('2027-01-04', '4.20'),
    ];
    expect(fixingFor(fixings, '2027-01-04')?.ratePercent).toBe('4.20');
    expect(fixingFor(fixings, '2027-01-03')?.ratePercent).toBe('4.30');
    expect(fixingFor(fixings, '2027-01-11')?.ratePercent).toBe('4.20');
    expect(fixingFor(fixings, '2027-01-12'), '8 days after the last').toBeNull();
    expect(fixingFor(fixings, '2026-12-23'), 'before the first').toBeNull();
    expect(fixingFor([], '2027-01-04')).toBeNull();
  });

  it('prices each floating period on its fixing and projects the rest at the latest', () => {
    const terms = facilityTermsSchema.parse({
      commitment: '1,000,000.00',
      startsOn: '2027-01-04',
      availabilityEndsOn: '2027-01-04',
      maturityOn: '2027-10-04',
      amortisation: { kind: 'bullet' },
      interest: { kind: 'floating', reference: 'SOFR', marginBps: 250 },
      dayCount: 'ACT/360',
      paymentFrequency: 'quarterly',
      businessDayRule: 'following',
      fees: {},
      seniority: 'senior_secured',
      source: 'test terms',
    });
    const schedule = facilitySchedule(terms, {
      fixings: [fixing('2026-12-31', '4.30'), fixing('2027-04-02', '4.10')],
    });
    const [first, second, third] = schedule.periods;
    // 4 Jan → 5 Apr 2027 (4 Apr is a Sunday): 91 days at 4.30% + 2.50% = 6.80%: $17,188.888… → $17,188.89.
    expect(first).toMatchObject({ endsOn: '2027-04-05', days: 91, rateFrom: 'fixing', interest: 1_718_889n });
    expect(first!.fixing?.fixedOn).toBe('2026-12-31');
    // 5 Apr → 6 Jul (4 Jul is a Sunday, so the Fed closes Monday 5 Jul): 92 days at 6.60%: $16,866.67.
    expect(second).toMatchObject({
      endsOn: '2027-07-06',
      days: 92,
      rateFrom: 'fixing',
      interest: 1_686_667n,
    });
    // No fixing within a week of 6 Jul: projected at the latest (4.10%), 90 days: $16,500.00.
    expect(third).toMatchObject({ endsOn: '2027-10-04', days: 90, rateFrom: 'projected', fixing: null });
    expect(third!.interest).toBe(1_650_000n);
    // A level given for the projection replaces the latest fixing there, not in the fixed periods.
    const given = facilitySchedule(terms, {
      fixings: [fixing('2026-12-31', '4.30')],
      referenceRate: { numerator: 5n, denominator: 100n },
    });
    expect(given.periods[0]!.interest).toBe(1_718_889n);
    expect(given.periods[2]!.rateFrom).toBe('projected');
    expect(given.periods[2]!.rate).toEqual({
      numerator: 750n * 10n ** 12n,
      denominator: 10_000n * 10n ** 12n,
    });
  });

  it('leaves a fixed-rate facility alone whatever fixings exist', () => {
    const terms = facilityTermsSchema.parse({
      commitment: '1,000,000.00',
      startsOn: '2027-01-04',
      availabilityEndsOn: '2027-01-04',
      maturityOn: '2027-04-05',
      amortisation: { kind: 'bullet' },
      interest: { kind: 'fixed', rate: '0.05' },
      dayCount: 'ACT/360',
      paymentFrequency: 'quarterly',
      businessDayRule: 'following',
      fees: {},
      seniority: 'senior_secured',
      source: 'test terms',
    });
    const schedule = facilitySchedule(terms, { fixings: [fixing('2027-01-04', '9.99')] });
    expect(schedule.periods[0]).toMatchObject({ rateFrom: 'fixed', fixing: null });
  });
});
