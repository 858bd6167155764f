import { describe, expect, it } from 'vitest';
import { type FacilityTermsInput, facilityTermsSchema } from '../../src/domain/credit/facility-terms.ts';

const termLoan: FacilityTermsInput = {
  commitment: '250,000,000.00',
  startsOn: '2027-01-15',
  availabilityEndsOn: '2027-07-15',
  maturityOn: '2034-01-15',
  amortisation: { kind: 'annuity' },
  interest: { kind: 'floating', reference: 'TERM_SOFR_3M', marginBps: 275, floorBps: 0 },
  dayCount: 'ACT/360',
  paymentFrequency: 'quarterly',
  businessDayRule: 'modified_following',
  fees: { upfrontBps: 100, commitmentFeeBps: 50 },
  seniority: 'senior_secured',
  guarantees: [{ guarantor: 'US Department of Energy LPO', kind: 'government', shareBps: 8_000 }],
  source: 'synthetic (test)',
};

const issues = (input: unknown) =>
  facilityTermsSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('facility terms', () => {
  it('parses a term loan with exact cents and defaults for what was left out', () => {
    const terms = facilityTermsSchema.parse(termLoan);
    expect(terms.commitment).toBe(25_000_000_000n);
    expect(terms.collateral).toEqual([]);
  });

  it('names the field of each broken rule', () => {
    expect(issues({ ...termLoan, commitment: '0' })).toContain('commitment: must be greater than zero');
    expect(issues({ ...termLoan, maturityOn: '2026-01-01' })).toContain('maturityOn: must be after startsOn');
    expect(issues({ ...termLoan, availabilityEndsOn: '2040-01-01' })).toContain(
      'availabilityEndsOn: must fall between startsOn and maturityOn',
    );
    expect(issues({ ...termLoan, interest: { kind: 'fixed', rate: '5%' } })).toContain(
      'interest.rate: must be a decimal rate like 0.0525 (5.25%)',
    );
    expect(
      issues({
        ...termLoan,
        guarantees: [
          { guarantor: 'A', kind: 'government', shareBps: 8_000 },
          { guarantor: 'Bank', kind: 'parent', shareBps: 3_000 },
        ],
      }),
    ).toEqual(expect.arrayContaining(['guarantees: guaranteed shares add up to more than 100%']));
    expect(issues({ ...termLoan, dayCount: 'ACT/ACT' })[0]).toMatch(/^dayCount:/);
    expect(issues({ ...termLoan, commitment: '1.005' })[0]).toMatch(/^commitment: .*more than 2 decimal/);
  });
});
