import { describe, expect, it } from 'vitest';
import { type FacilityTermsInput, facilityTermsSchema } from '../../src/domain/credit/facility-terms.ts';
import { EXAMPLE_FACILITY_TERMS } from '../fixtures/facility-terms.ts';

const termLoan: FacilityTermsInput = EXAMPLE_FACILITY_TERMS;

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
