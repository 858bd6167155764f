import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../src/domain/credit/normal.ts';
import { fastNormalCdf } from '../../src/domain/credit/normal-table.ts';

describe('tabulated Φ for the Monte Carlo', () => {
  it('agrees with the exact Φ (itself checked against scipy) to a relative 1e-12 in the lower tail', () => {
    let worst = 0;
    // An irrational step, so the points fall everywhere between the table's nodes.
    for (let x = -37.4; x <= 0; x += Math.SQRT2 / 1000) {
      worst = Math.max(worst, Math.abs(fastNormalCdf(x) / normalCdf(x) - 1));
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('and to 1e-12 absolute above 0, with the limits and NaN', () => {
    let worst = 0;
    for (let x = 0; x <= 10; x += Math.SQRT2 / 1000) {
      worst = Math.max(worst, Math.abs(fastNormalCdf(x) - normalCdf(x)));
    }
    expect(worst).toBeLessThan(1e-12);
    expect(fastNormalCdf(0)).toBe(0.5);
    expect(fastNormalCdf(-40)).toBe(0);
    expect(fastNormalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(fastNormalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(fastNormalCdf(Number.NaN)).toBeNaN();
  });
});
