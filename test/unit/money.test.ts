import { describe, expect, it } from 'vitest';
import {
  applyBasisPoints,
  formatDollars,
  parseDollars,
  parsePositiveDollars,
  sumCents,
  toDecimalString,
} from '../../src/domain/money.ts';

describe('money', () => {
  it('parses dollar text exactly into cents', () => {
    expect(parseDollars('1234')).toBe(123_400n);
    expect(parseDollars('1234.5')).toBe(123_450n);
    expect(parseDollars('$75,000,000.00')).toBe(7_500_000_000n);
    expect(parseDollars('-0.05')).toBe(-5n);
    expect(parseDollars('10000000000000.00')).toBe(1_000_000_000_000_000n); // $10T
  });

  it.each([
    ['1.005', /more than 2 decimal places/],
    ['0.001', /more than 2 decimal places/],
    ['1e9', /not a dollar amount/],
    ['', /not a dollar amount/],
    ['abc', /not a dollar amount/],
    ['12.3.4', /not a dollar amount/],
    ['1,23', /not a dollar amount/],
    ['NaN', /not a dollar amount/],
    ['Infinity', /not a dollar amount/],
    ['0x10', /not a dollar amount/],
  ])('refuses %j with a clear error', (text, message) => {
    expect(() => parseDollars(text)).toThrow(message);
  });

  it('refuses zero, negative and absurd amounts for entries', () => {
    expect(() => parsePositiveDollars('0')).toThrow(/greater than zero/);
    expect(() => parsePositiveDollars('-1')).toThrow(/greater than zero/);
    expect(() => parsePositiveDollars('1000000000000000.01')).toThrow(/per-entry maximum/);
  });

  it('adds amounts up to $10T exactly, where floats would drift', () => {
    const tenTrillion = parseDollars('10000000000000.00');
    const oneCent = parseDollars('0.01');
    expect(formatDollars(tenTrillion + oneCent)).toBe('$10,000,000,000,000.01');
    const parts = Array.from({ length: 1000 }, () => parseDollars('0.10'));
    expect(sumCents(parts)).toBe(10_000n);
    expect(Array.from({ length: 1000 }, () => 0.1).reduce((a, b) => a + b)).not.toBe(100); // the float sum drifts
    expect(sumCents([tenTrillion, -oneCent])).toBe(999_999_999_999_999n);
  });

  it('formats exactly and round-trips through the file form', () => {
    expect(formatDollars(0n)).toBe('$0.00');
    expect(formatDollars(-123_456_789n)).toBe('-$1,234,567.89');
    for (const text of ['0.00', '0.01', '999999999999999.99', '-12.30', '1500000000000.00']) {
      expect(toDecimalString(parseDollars(text))).toBe(text);
    }
  });

  it('applies basis points rounding toward zero, and refuses bad factors', () => {
    expect(applyBasisPoints(1_000_001n, 5_000)).toBe(500_000n);
    expect(applyBasisPoints(999n, 10_000)).toBe(999n);
    expect(applyBasisPoints(999n, 0)).toBe(0n);
    expect(() => applyBasisPoints(1n, 10_001)).toThrow(/0 to 10000/);
    expect(() => applyBasisPoints(1n, 12.5)).toThrow(/whole number/);
  });
});
