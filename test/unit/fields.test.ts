import { describe, expect, it } from 'vitest';
import {
  centsField,
  dayBefore,
  isoDate,
  monthField,
  positiveAmount,
  quarterField,
} from '../../src/domain/fields.ts';

describe('input fields', () => {
  it('parses dollar text to exact cents within the range, and refuses everything else', () => {
    expect(positiveAmount.parse('$1,234.56')).toBe(123_456n);
    expect(positiveAmount.parse('1000000000000000.00')).toBe(100_000_000_000_000_000n);
    for (const text of [
      '0',
      '-0',
      '-5.00',
      '1000000000000000.01',
      '92233720368547758.07',
      '9'.repeat(40),
      '1e309',
      '1.005',
      '',
    ])
      expect(positiveAmount.safeParse(text).success, text).toBe(false);
    expect(positiveAmount.safeParse(1000).success).toBe(false); // a JSON number cannot carry cents exactly
    const narrow = centsField({ min: 1n, max: 100_00n });
    expect(narrow.safeParse('100.01').error?.issues[0]?.message).toBe('must be from $0.01 to $100.00');
  });

  it('accepts real calendar days from 1900 to 2199 only', () => {
    expect(isoDate.parse('2024-02-29')).toBe('2024-02-29');
    for (const text of [
      '2026-02-30',
      '2025-02-29',
      '0000-01-01',
      '10000-01-01',
      '1899-12-31',
      '2200-01-01',
      '2026-1-01',
      ' 2026-01-01',
    ])
      expect(isoDate.safeParse(text).success, text).toBe(false);
  });

  it('turns quarters and months into their first and last days, within the accepted years', () => {
    expect(quarterField.parse('2024Q1')).toEqual({ label: '2024Q1', start: '2024-01-01', end: '2024-03-31' });
    expect(quarterField.parse('2026Q4')).toEqual({ label: '2026Q4', start: '2026-10-01', end: '2026-12-31' });
    expect(monthField.parse('2024-02')).toEqual({ label: '2024-02', start: '2024-02-01', end: '2024-02-29' });
    expect(monthField.parse('2100-02').end).toBe('2100-02-28');
    for (const text of ['0001Q1', '1900Q1', '2200Q1', '2026Q0', '2026Q5'])
      expect(quarterField.safeParse(text).success, text).toBe(false);
    for (const text of ['0000-01', '1900-12', '2026-13', '2026-00'])
      expect(monthField.safeParse(text).success, text).toBe(false);
    expect(dayBefore(quarterField.parse('1901Q1').start)).toBe('1900-12-31');
  });
});
