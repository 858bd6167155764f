import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Amortisation,
  amortisationSchedule,
  annuityPayment,
} from '../../src/domain/credit/amortisation.ts';
import { dayCountFraction, parseCalendarDate } from '../../src/domain/credit/day-count.ts';
import { accruedInterest, divideRoundHalfUp, parseRate } from '../../src/domain/credit/rate.ts';

const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

describe('amortisation schedules in exact cents', () => {
  // Published example: Sapling, "How to Calculate Reducing Balance Interest Rate", section "Amortization
  // Table" (sapling.com/8703730/calculate-reducing-balance-interest-rate): a $1,000 loan at 2% a month over
  // 6 months, level instalments of $178.53; month 1 pays $20 interest and $158.53 principal, leaving
  // $841.47; month 2 pays $16.83 interest and $161.70 principal; "total interest expense paid of $71.15".
  // That total is the sum of the UNROUNDED monthly interest (71.1536); Keel rounds each month's interest to
  // the cent (half up), which over the six months comes to $71.16: one cent apart, and the cent sits in the
  // last instalment ($178.51 instead of $178.53), as the rounding rule says.
  it('an annuity matches the published $1,000 at 2% a month over 6 months example', () => {
    const rows = amortisationSchedule({
      principal: 100_000n,
      periods: 6,
      ratePerPeriod: parseRate('0.02'),
      amortisation: { kind: 'annuity' },
    });
    expect(annuityPayment(100_000n, 6, parseRate('0.02'))).toBe(17_853n);
    expect(rows[0]).toMatchObject({
      interest: 2_000n,
      principal: 15_853n,
      closing: 84_147n,
      payment: 17_853n,
    });
    expect(rows[1]).toMatchObject({ interest: 1_683n, principal: 16_170n, payment: 17_853n });
    const totalInterest = sum(rows.map((r) => r.interest));
    expect(totalInterest - 7_115n).toBe(1n);
    expect(rows.slice(0, 5).every((r) => r.payment === 17_853n)).toBe(true);
    expect(rows[5]).toMatchObject({ principal: 17_501n, interest: 350n, payment: 17_851n, closing: 0n });
    expect(sum(rows.map((r) => r.principal))).toBe(100_000n);
  });

  it('bullet repays everything in the last period; straight line puts the residue last', () => {
    const bullet = amortisationSchedule({ principal: 1_000n, periods: 3, amortisation: { kind: 'bullet' } });
    expect(bullet.map((r) => r.principal)).toEqual([0n, 0n, 1_000n]);
    const straight = amortisationSchedule({
      principal: 1_000n,
      periods: 3,
      amortisation: { kind: 'straight_line' },
    });
    expect(straight.map((r) => r.principal)).toEqual([333n, 333n, 334n]);
    const custom = amortisationSchedule({
      principal: 1_000n,
      periods: 3,
      amortisation: { kind: 'custom', weights: [1n, 1n, 1n] },
    });
    expect(custom.map((r) => r.principal)).toEqual([333n, 333n, 334n]);
  });

  it('interest on a balance is rounded half up to the cent', () => {
    expect(divideRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divideRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divideRoundHalfUp(-5n, 10n)).toBe(-1n);
    // $1,000,000 at 5% for 2007-01-15 → 2007-07-15 on ACT/360 (181 days): 1e8 × 0.05 × 181 / 360 cents.
    const period = dayCountFraction(
      'ACT/360',
      parseCalendarDate('2007-01-15'),
      parseCalendarDate('2007-07-15'),
    );
    expect(accruedInterest(100_000_000n, parseRate('0.05'), period)).toBe(2_513_889n);
  });

  it('refuses impossible schedules with a clear error', () => {
    expect(() =>
      amortisationSchedule({ principal: 1n, periods: 0, amortisation: { kind: 'bullet' } }),
    ).toThrow(/number of periods/);
    expect(() =>
      amortisationSchedule({ principal: 1n, periods: 2, amortisation: { kind: 'custom', weights: [1n] } }),
    ).toThrow(/one weight per period/);
    expect(() =>
      amortisationSchedule({ principal: 1n, periods: 1, amortisation: { kind: 'custom', weights: [0n] } }),
    ).toThrow(/at least one weight/);
    expect(() => parseRate('5%')).toThrow(/not a decimal rate/);
  });

  const amortisations: fc.Arbitrary<(periods: number) => Amortisation> = fc.oneof(
    fc.constant(() => ({ kind: 'bullet' as const })),
    fc.constant(() => ({ kind: 'straight_line' as const })),
    fc.constant(() => ({ kind: 'annuity' as const })),
    fc
      .array(fc.bigInt({ min: 0n, max: 1_000_000n }), { minLength: 1, maxLength: 400 })
      .map((pool) => (periods: number) => ({
        kind: 'custom' as const,
        weights: Array.from({ length: periods }, (_, i) => pool[i % pool.length]! + (i === 0 ? 1n : 0n)),
      })),
  );

  it('property: principal cents add up exactly to the principal, every amount ≥ 0, balance ends at 0', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 17n }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 200_000 }).map((bp) => parseRate((bp / 1_000_000).toFixed(6))),
        amortisations,
        (principal, periods, ratePerPeriod, make) => {
          const rows = amortisationSchedule({
            principal,
            periods,
            ratePerPeriod,
            amortisation: make(periods),
          });
          expect(rows).toHaveLength(periods);
          expect(sum(rows.map((r) => r.principal))).toBe(principal);
          expect(rows.every((r) => r.principal >= 0n && r.interest >= 0n)).toBe(true);
          expect(rows.at(-1)?.closing).toBe(0n);
          for (let i = 1; i < rows.length; i++) expect(rows[i]?.opening).toBe(rows[i - 1]?.closing);
        },
      ),
      { numRuns: 200 },
    );
  });
});
