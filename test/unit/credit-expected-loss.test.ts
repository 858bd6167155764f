import { describe, expect, it } from 'vitest';
import { expectedLoss, exposureAtDefault } from '../../src/domain/credit/expected-loss.ts';
import { parseRate } from '../../src/domain/credit/rate.ts';

describe('EAD and expected loss', () => {
  it('EAD = drawn + CCF × undrawn, exact to the cent with the product rounded half up once', () => {
    // $60M drawn of a $100M facility, CCF 75%: 60M + 0.75 × 40M = $90M.
    expect(
      exposureAtDefault({ drawn: 6_000_000_000n, undrawn: 4_000_000_000n, ccf: parseRate('0.75') }),
    ).toBe(9_000_000_000n);
    // 0.5 × 1 cent = half a cent → 1 cent (half up).
    expect(exposureAtDefault({ drawn: 0n, undrawn: 1n, ccf: parseRate('0.5') })).toBe(1n);
    expect(exposureAtDefault({ drawn: 10n, undrawn: 0n, ccf: parseRate('1') })).toBe(10n);
  });

  it('EL = PD × LGD × EAD in cents', () => {
    // PD 2%, LGD 45%, EAD $90M: 0.02 × 0.45 × 90M = $810,000.
    expect(expectedLoss(9_000_000_000n, 0.02, 0.45)).toBe(81_000_000n);
    expect(expectedLoss(0n, 0.5, 0.5)).toBe(0n);
    // 0.5 × 0.5 × 2 cents = half a cent → 1 cent.
    expect(expectedLoss(2n, 0.5, 0.5)).toBe(1n);
  });

  it('refuses what cannot be an exposure', () => {
    expect(() => exposureAtDefault({ drawn: -1n, undrawn: 0n, ccf: parseRate('0.5') })).toThrow(/negative/);
    expect(() => exposureAtDefault({ drawn: 0n, undrawn: 1n, ccf: parseRate('1.5') })).toThrow(/CCF/);
    expect(() => expectedLoss(1n, 1.5, 0.45)).toThrow(/PD/);
    expect(() => expectedLoss(1n, 0.01, -0.1)).toThrow(/LGD/);
    expect(() => expectedLoss(2n ** 60n, 0.01, 0.45)).toThrow(/EAD/);
  });
});
