import { describe, expect, it } from 'vitest';
import { type DatedFlow, xirr, xnpv } from '../../src/domain/xirr.ts';

/**
 * Reference: Microsoft Support, "XIRR function" (Excel), worked example: −10,000 on 1 Jan 2008, 2,750 on
 * 1 Mar 2008, 4,250 on 30 Oct 2008, 3,250 on 15 Feb 2009, 2,750 on 1 Apr 2009 → XIRR 0.373362535 (37.34%);
 * and "XNPV function", same flows at 9% → 2,086.65 (2086.647602).
 */
const EXCEL_EXAMPLE: DatedFlow[] = [
  { date: '2008-01-01', amount: -10_000 },
  { date: '2008-03-01', amount: 2_750 },
  { date: '2008-10-30', amount: 4_250 },
  { date: '2009-02-15', amount: 3_250 },
  { date: '2009-04-01', amount: 2_750 },
];

describe('XIRR and XNPV', () => {
  it('reproduces the Excel XIRR documentation example (0.373362535)', () => {
    const result = xirr(EXCEL_EXAMPLE);
    expect(result.status).toBe('ok');
    if (result.status === 'ok') expect(result.rate).toBeCloseTo(0.373362535, 8);
  });

  it('reproduces the Excel XNPV documentation example (2086.647602)', () => {
    expect(xnpv(0.09, EXCEL_EXAMPLE)).toBeCloseTo(2086.647602, 5);
  });

  it('does not depend on the order of the flows', () => {
    const shuffled = [
      EXCEL_EXAMPLE[3]!,
      EXCEL_EXAMPLE[0]!,
      EXCEL_EXAMPLE[4]!,
      EXCEL_EXAMPLE[1]!,
      EXCEL_EXAMPLE[2]!,
    ];
    expect(xirr(shuffled)).toEqual(xirr(EXCEL_EXAMPLE));
  });

  it('finds every rate when the flows change sign several times', () => {
    // −100, +230, −132 a year apart: NPV = −100 + 230/(1+r) − 132/(1+r)² has roots r = 10% and r = 20%.
    const result = xirr([
      { date: '2020-01-01', amount: -100 },
      { date: '2020-12-31', amount: 230 },
      { date: '2021-12-31', amount: -132 },
    ]);
    expect(result.status).toBe('multiple');
    if (result.status === 'multiple') {
      expect(result.roots.map((r) => Number(r.toFixed(6)))).toEqual([0.1, 0.2]);
      expect(result.rate).toBeCloseTo(0.1, 6);
    }
  });

  it('says when no rate exists instead of returning NaN', () => {
    expect(
      xirr([
        { date: '2020-01-01', amount: 100 },
        { date: '2021-01-01', amount: 50 },
      ]),
    ).toMatchObject({ status: 'undefined' });
    expect(xirr([])).toMatchObject({ status: 'undefined' });
    // −100, +300, −300: NPV = −100 + 300v − 300v² < 0 for every v, so no rate balances it.
    expect(
      xirr([
        { date: '2020-01-01', amount: -100 },
        { date: '2021-01-01', amount: 300 },
        { date: '2022-01-01', amount: -300 },
      ]),
    ).toMatchObject({
      status: 'no_solution',
    });
  });

  it('handles a two-century horizon without overflow', () => {
    const result = xirr([
      { date: '1900-01-01', amount: -1 },
      { date: '2100-01-01', amount: 1_000_000 },
    ]);
    expect(result.status).toBe('ok');
    if (result.status === 'ok') expect(result.rate).toBeCloseTo(1_000_000 ** (365 / 73_049) - 1, 10);
  });

  it('handles total loss as −100% territory without NaN', () => {
    const result = xirr([
      { date: '2020-01-01', amount: -1_000 },
      { date: '2025-01-01', amount: 0.01 },
    ]);
    expect(result.status).toBe('ok');
    if (result.status === 'ok') expect(result.rate).toBeLessThan(-0.85);
  });
});
