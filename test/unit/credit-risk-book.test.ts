import { describe, expect, it } from 'vitest';
import { gradeScale } from '../../src/app/credit/grade-scale.ts';
import { arrearsAsOf } from '../../src/domain/credit/arrears.ts';
import { facilityRisk, riskTotals } from '../../src/domain/credit/book.ts';
import { concentration, hhi } from '../../src/domain/credit/concentration.ts';
import { foundationLgd, parseGradeScale, pdOfGrade } from '../../src/domain/credit/grade-scale.ts';
import { balancesFromSums } from '../../src/domain/ledger.ts';

const scale = gradeScale();
const M = 100_000_000n; // $1M in cents

describe('grade scale (data/credit/grade-scale.json)', () => {
  it('maps grades to the sourced one-year rates, floored at 0.03% (BCBS 2006 ¶285), default grade 100%', () => {
    expect(pdOfGrade(scale, 1)).toBe(0.0003); // AAA 0.00% → the floor
    expect(pdOfGrade(scale, 2)).toBe(0.0003); // AA 0.02% → the floor
    expect(pdOfGrade(scale, 4)).toBe(0.0014); // BBB 0.14%
    expect(pdOfGrade(scale, 7)).toBe(0.2612); // CCC/C 26.12%
    expect(pdOfGrade(scale, 8)).toBe(1);
    expect(() => pdOfGrade(scale, 9)).toThrow(/not on the scale/);
    expect(() => pdOfGrade(scale, 0)).toThrow(/not on the scale/);
    for (const g of scale.grades) expect(g.sentence, `grade ${g.grade} names its source line`).toBeTruthy();
  });

  it('a grade whose figure was not found has no PD, never a guess', () => {
    const raw = structuredClone(scale) as { grades: Array<{ oneYearDefaultRate: string | null }> };
    raw.grades[3]!.oneYearDefaultRate = null;
    expect(pdOfGrade(parseGradeScale(raw), 4)).toBeNull();
  });

  it('foundation LGD: 45% senior unsecured, 75% subordinated, secured share C/C** at 40% (¶287, ¶288, ¶295)', () => {
    expect(foundationLgd(scale, 'senior_unsecured', 0n, 100n * M)).toBe(0.45);
    expect(foundationLgd(scale, 'subordinated', 500n * M, 100n * M)).toBe(0.75);
    // Collateral without a value, or below C* = 30% of the exposure, is not recognised.
    expect(foundationLgd(scale, 'senior_secured', 0n, 100n * M)).toBe(0.45);
    expect(foundationLgd(scale, 'senior_secured', 29n * M, 100n * M)).toBe(0.45);
    // C/E = 70%: the secured share is 0.7 / 1.4 = 50%, so LGD = 0.5 × 40% + 0.5 × 45% = 42.5%.
    expect(foundationLgd(scale, 'senior_secured', 70n * M, 100n * M)).toBeCloseTo(0.425, 12);
    // Over-collateralised at C** = 140% or more: the whole exposure at 40%.
    expect(foundationLgd(scale, 'senior_secured', 200n * M, 100n * M)).toBe(0.4);
  });
});

describe('EAD and EL of a facility from its ledger balances', () => {
  const base = {
    instrument: 'term_loan' as const,
    availabilityEndsOn: '2027-12-31',
    asOf: '2026-11-30',
    seniority: 'senior_unsecured' as const,
    collateralValue: 0n,
  };

  it('EAD = $100M drawn + 75% × $50M undrawn = $137.5M; grade 4 (BBB, PD 0.14%) × LGD 45% → EL $86,625.00', () => {
    const balances = balancesFromSums({ commitment: 150n * M, draw: 100n * M }, null);
    const risk = facilityRisk(scale, { ...base, balances, grade: 4 });
    expect(risk.drawn).toBe(100n * M);
    expect(risk.undrawn).toBe(50n * M);
    expect(risk.ead).toBe(13_750_000_000n);
    // 0.0014 × 0.45 × $137,500,000 = $86,625.00
    expect(risk.el).toBe(8_662_500n);
  });

  it('repayments lower the drawn balance but do not free a term loan to be drawn again; a revolver they do', () => {
    const balances = balancesFromSums({ commitment: 150n * M, draw: 100n * M, repayment: 40n * M }, null);
    const term = facilityRisk(scale, { ...base, balances, grade: 4 });
    expect([term.drawn, term.undrawn]).toEqual([60n * M, 50n * M]);
    const revolver = facilityRisk(scale, { ...base, instrument: 'revolving_credit', balances, grade: 4 });
    expect([revolver.drawn, revolver.undrawn]).toEqual([60n * M, 90n * M]);
  });

  it('nothing is undrawn after the availability period; an ungraded obligor has EAD but no PD and no EL', () => {
    const balances = balancesFromSums({ commitment: 150n * M, draw: 100n * M }, null);
    const late = facilityRisk(scale, { ...base, asOf: '2028-01-01', balances, grade: 4 });
    expect(late.ead).toBe(100n * M);
    const ungraded = facilityRisk(scale, { ...base, balances, grade: null });
    expect(ungraded.ead).toBe(13_750_000_000n);
    expect([ungraded.pd, ungraded.el]).toEqual([null, null]);
    const totals = riskTotals(
      [{ risk: ungraded }, { risk: facilityRisk(scale, { ...base, balances, grade: 4 }) }],
      () => 'p',
      () => 'Programme',
    );
    expect(totals[0]).toMatchObject({ ead: 27_500_000_000n, el: 8_662_500n, ungradedEad: 13_750_000_000n });
  });
});

describe('concentration', () => {
  it('HHI of shares 60/30/10 is 0.36 + 0.09 + 0.01 = 0.46', () => {
    expect(hhi([60n, 30n, 10n])).toBeCloseTo(0.46, 15);
    expect(hhi([])).toBe(0);
    expect(hhi([0n, 0n])).toBe(0);
    expect(hhi([5n, 5n, 5n, 5n])).toBeCloseTo(0.25, 15);
  });

  it('groups by obligor, sub-area and state; the largest obligor and the top 20 by EAD', () => {
    const e = (obligorId: string, subAreaId: string, state: string | null, ead: bigint) => ({
      obligorId,
      obligorName: `Name ${obligorId}`,
      subAreaId,
      subAreaName: `Sub ${subAreaId}`,
      state,
      ead,
    });
    const c = concentration([
      e('a', 's1', 'Idaho', 40n),
      e('a', 's2', 'Idaho', 20n),
      e('b', 's1', 'Texas', 30n),
      e('c', 's2', null, 10n),
    ]);
    expect(c.totalEad).toBe(100n);
    expect(c.largestObligor).toEqual({ key: 'a', name: 'Name a', ead: 60n, share: 0.6 });
    expect(c.hhiByObligor).toBeCloseTo(0.46, 15);
    // Sub-areas 70/30: 0.49 + 0.09 = 0.58. States 60/30/10 (the unknown one its own group): 0.46.
    expect(c.hhiBySubArea).toBeCloseTo(0.58, 15);
    expect(c.hhiByState).toBeCloseTo(0.46, 15);
    expect(c.byState.map((g) => g.name)).toEqual(['Idaho', 'Texas', 'Unknown state']);
    const many = concentration(Array.from({ length: 25 }, (_, i) => e(`o${i}`, 's', null, BigInt(i + 1))));
    expect(many.topObligors).toHaveLength(20);
    expect(many.topObligors[0]!.key).toBe('o24');
  });
});

describe('arrears against the scheduled principal and interest', () => {
  // Interest of zero here: principal alone, as the ledger's repayments pay it.
  const schedule = [
    { endsOn: '2026-03-31', principal: 100_00n, interest: 0n },
    { endsOn: '2026-06-30', principal: 100_00n, interest: 0n },
    { endsOn: '2026-09-30', principal: 100_00n, interest: 0n },
  ];
  const repayments = [
    { effectiveOn: '2026-04-05', amount: 100_00n },
    { effectiveOn: '2026-07-01', amount: 50_00n },
  ];
  const paid = (list: typeof repayments, interest: typeof repayments = []) => ({
    repayments: list,
    interest,
  });

  it('is what fell due before the date less what was repaid, with days past the oldest unpaid instalment', () => {
    // On its due date an instalment is on time.
    expect(arrearsAsOf(schedule, paid(repayments), '2026-06-30')).toMatchObject({
      scheduledDue: 100_00n,
      repaid: 100_00n,
      arrears: 0n,
      daysPastDue: 0,
    });
    // From the next day June's instalment is overdue; half of it is paid on July 1: 1 day past due.
    expect(arrearsAsOf(schedule, paid(repayments), '2026-07-01')).toMatchObject({
      scheduledDue: 200_00n,
      repaid: 150_00n,
      arrears: 50_00n,
      daysPastDue: 1,
      oldestUnpaidDueOn: '2026-06-30',
    });
    // 2026-06-30 → 2026-08-15 is 46 days.
    expect(arrearsAsOf(schedule, paid(repayments), '2026-08-15').daysPastDue).toBe(46);
    // March was repaid 5 days late; by April 5 nothing is overdue.
    expect(arrearsAsOf(schedule, paid([]), '2026-04-04')).toMatchObject({ arrears: 100_00n, daysPastDue: 4 });
    expect(arrearsAsOf(schedule, paid(repayments), '2026-04-05').arrears).toBe(0n);
  });

  it('prepayment is not a negative arrear', () => {
    const early = [{ effectiveOn: '2026-01-15', amount: 300_00n }];
    expect(arrearsAsOf(schedule, paid(early), '2026-12-31')).toMatchObject({ arrears: 0n, daysPastDue: 0 });
  });

  it('interest is paid by distributions, oldest first, and an unpaid coupon makes the facility past due', () => {
    const withInterest = schedule.map((i, n) => ({ ...i, interest: [25_00n, 24_00n, 23_00n][n]! }));
    const principalPaid = [
      { effectiveOn: '2026-03-31', amount: 100_00n },
      { effectiveOn: '2026-06-30', amount: 100_00n },
    ];
    // March's coupon paid, June's not: principal is current, interest 24.00 overdue since June 30.
    const late = arrearsAsOf(
      withInterest,
      paid(principalPaid, [{ effectiveOn: '2026-03-31', amount: 25_00n }]),
      '2026-07-10',
    );
    expect(late).toMatchObject({
      arrears: 0n,
      interestDue: 49_00n,
      interestReceived: 25_00n,
      interestArrears: 24_00n,
      daysPastDue: 10,
      oldestUnpaidDueOn: '2026-06-30',
    });
    // A coupon short by a cent keeps its instalment unpaid: the days run from March.
    const short = arrearsAsOf(
      withInterest,
      paid(principalPaid, [{ effectiveOn: '2026-03-31', amount: 24_99n }]),
      '2026-04-30',
    );
    expect(short).toMatchObject({ interestArrears: 1n, daysPastDue: 30, oldestUnpaidDueOn: '2026-03-31' });
  });
});
