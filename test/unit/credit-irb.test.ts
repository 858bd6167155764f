import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corporateCorrelation, irbCorporate } from '../../src/domain/credit/irb.ts';
import { normalCdf, normalQuantile } from '../../src/domain/credit/normal.ts';

interface Reference {
  source: string;
  normalCdf: Array<[number, number]>;
  normalQuantile: Array<[number, number]>;
  irb: Array<{
    pd: number;
    lgd: number;
    maturity: number;
    sales?: number;
    correlation: number;
    maturityAdjustment: number;
    capitalK: number;
    riskWeight: number;
  }>;
}

// Made outside Keel by test/fixtures/irb-reference.py with Debian's python3-scipy (scipy.stats.norm).
const reference: Reference = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'irb-reference.json'), 'utf8'),
);

const relativeError = (actual: number, expected: number) =>
  expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);

describe('standard normal distribution against scipy.stats.norm', () => {
  it.each(reference.normalCdf)('Φ(%d) to 1e-12 relative', (x, expected) => {
    expect(relativeError(normalCdf(x), expected)).toBeLessThan(1e-12);
  });

  it.each(reference.normalQuantile)('Φ⁻¹(%d) to 1e-12 relative', (p, expected) => {
    expect(relativeError(normalQuantile(p), expected)).toBeLessThan(1e-12);
  });
});

describe('Basel II corporate IRB risk-weight function (BCBS June 2006, ¶272–273)', () => {
  it(`matches ${reference.irb.length} exposures computed with scipy to 1e-9`, () => {
    expect(reference.irb.length).toBeGreaterThan(90);
    for (const c of reference.irb) {
      const got = irbCorporate({ pd: c.pd, lgd: c.lgd, maturity: c.maturity, salesEurMillions: c.sales });
      const label = JSON.stringify({ pd: c.pd, lgd: c.lgd, m: c.maturity, s: c.sales });
      expect(Math.abs(got.correlation - c.correlation), label).toBeLessThan(1e-9);
      expect(Math.abs(got.maturityAdjustment - c.maturityAdjustment), label).toBeLessThan(1e-9);
      expect(Math.abs(got.capitalK - c.capitalK), label).toBeLessThan(1e-9);
      expect(Math.abs(got.riskWeight - c.riskWeight), label).toBeLessThan(1e-9);
    }
  });

  it('the firm-size adjustment applies only below €50m of sales and treats sales under €5m as €5m', () => {
    const pd = 0.01;
    expect(corporateCorrelation(pd, 50)).toBe(corporateCorrelation(pd));
    expect(corporateCorrelation(pd, 1)).toBe(corporateCorrelation(pd, 5));
    expect(corporateCorrelation(pd) - corporateCorrelation(pd, 5)).toBeCloseTo(0.04, 15);
  });

  it('refuses inputs outside the function', () => {
    expect(() => irbCorporate({ pd: 0, lgd: 0.45, maturity: 2.5 })).toThrow(/PD/);
    expect(() => irbCorporate({ pd: 1, lgd: 0.45, maturity: 2.5 })).toThrow(/PD/);
    expect(() => irbCorporate({ pd: 0.01, lgd: 1.2, maturity: 2.5 })).toThrow(/LGD/);
    expect(() => irbCorporate({ pd: 0.01, lgd: 0.45, maturity: 0 })).toThrow(/maturity/);
    expect(() => irbCorporate({ pd: 0.01, lgd: 0.45, maturity: 2.5, salesEurMillions: -1 })).toThrow(/sales/);
  });
});
