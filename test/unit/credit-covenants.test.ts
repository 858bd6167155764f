import { describe, expect, it } from 'vitest';
import {
  type Covenant,
  covenantTests,
  type Financials,
  ratioText,
  ratioThreshold,
  testCovenant,
  testDates,
} from '../../src/domain/credit/covenants.ts';

const fin = (over: Partial<Financials> = {}): Financials => ({
  periodEnd: '2026-03-31',
  ebitda: 10_000_000_00n,
  netDebt: 35_000_000_00n,
  cfads: 12_000_000_00n,
  debtService: 10_000_000_00n,
  liquidity: 5_000_000_00n,
  ...over,
});
const cov = (kind: Covenant['kind'], threshold: bigint): Covenant => ({
  id: 1n,
  kind,
  threshold,
  firstTestOn: '2026-03-31',
  everyMonths: 3,
});

describe('covenant tests (exact)', () => {
  it('leverage exactly at the maximum passes; one cent more breaches', () => {
    const c = cov('max_leverage', 3500n);
    expect(testCovenant(c, '2026-03-31', fin()).status).toBe('pass');
    const over = testCovenant(c, '2026-03-31', fin({ netDebt: 35_000_000_01n }));
    expect(over.status).toBe('breach');
    // A float would round 3.500000001 to 3.50; the exact test still sees the cent.
    expect(over.actual).toBe('3.50');
  });

  it('EBITDA zero or negative fails leverage with the reason stated', () => {
    for (const ebitda of [0n, -1n, -5_000_000_00n]) {
      const r = testCovenant(cov('max_leverage', 3500n), '2026-03-31', fin({ ebitda }));
      expect(r.status).toBe('breach');
      expect(r.reason).toMatch(/EBITDA is zero or negative/);
      expect(r.actual).toBeNull();
    }
  });

  it('net cash (negative net debt) meets any maximum leverage', () => {
    expect(testCovenant(cov('max_leverage', 1n), '2026-03-31', fin({ netDebt: -1n })).status).toBe('pass');
  });

  it('DSCR at the minimum passes, below breaches, no debt service passes with its reason', () => {
    const c = cov('min_dscr', 1200n);
    expect(testCovenant(c, '2026-03-31', fin()).status).toBe('pass');
    expect(testCovenant(c, '2026-03-31', fin({ cfads: 11_999_999_99n })).status).toBe('breach');
    const none = testCovenant(c, '2026-03-31', fin({ debtService: 0n }));
    expect(none).toMatchObject({ status: 'pass', reason: 'no debt service due in the period' });
    expect(testCovenant(c, '2026-03-31', fin({ cfads: -1n })).status).toBe('breach');
  });

  it('minimum liquidity compares cents', () => {
    const c = cov('min_liquidity', 5_000_000_00n);
    expect(testCovenant(c, '2026-03-31', fin()).status).toBe('pass');
    expect(testCovenant(c, '2026-03-31', fin({ liquidity: 4_999_999_99n })).status).toBe('breach');
  });

  it('missing financials at a test date are "not tested", never a pass', () => {
    const c = cov('max_leverage', 3500n);
    const tests = covenantTests(c, new Map([['2026-06-30', fin({ periodEnd: '2026-06-30' })]]), '2026-12-31');
    expect(tests.map((t) => [t.testOn, t.status])).toEqual([
      ['2026-03-31', 'not_tested'],
      ['2026-06-30', 'pass'],
      ['2026-09-30', 'not_tested'],
      ['2026-12-31', 'not_tested'],
    ]);
  });

  it('quarterly dates from a month end keep to month ends; none before the first', () => {
    expect(testDates({ firstTestOn: '2025-11-30', everyMonths: 3 }, '2026-09-01')).toEqual([
      '2025-11-30',
      '2026-02-28',
      '2026-05-30',
      '2026-08-30',
    ]);
    expect(testDates({ firstTestOn: '2027-01-01', everyMonths: 3 }, '2026-12-31')).toEqual([]);
  });

  it('handles figures far beyond a float exactly', () => {
    const huge = 10n ** 30n;
    const c = cov('max_leverage', 1000n);
    expect(testCovenant(c, '2026-03-31', fin({ ebitda: huge, netDebt: huge })).status).toBe('pass');
    expect(testCovenant(c, '2026-03-31', fin({ ebitda: huge, netDebt: huge + 1n })).status).toBe('breach');
  });

  it('parses thresholds exactly and refuses absurd ones', () => {
    expect(ratioThreshold.parse('3.5')).toBe(3500n);
    expect(ratioThreshold.parse('1.125')).toBe(1125n);
    for (const bad of ['0', '1.2345', '-1', '1e3', '1000000000000000000000000000000', '1000.001', 'x']) {
      expect(ratioThreshold.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('rounds the shown ratio half-up', () => {
    expect(ratioText(2n, 3n)).toBe('0.67');
    expect(ratioText(1n, 8n)).toBe('0.13');
    expect(ratioText(-1n, 8n)).toBe('-0.13');
  });
});

describe('milliText', () => {
  it('writes a threshold exactly as entered', async () => {
    const { milliText } = await import('../../src/domain/credit/covenants.ts');
    expect([3500n, 1125n, 1000n, 1n, 1_000_000n].map(milliText)).toEqual([
      '3.5',
      '1.125',
      '1',
      '0.001',
      '1000',
    ]);
  });
});
