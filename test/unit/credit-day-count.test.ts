import { describe, expect, it } from 'vitest';
import { type DayCount, dayCountFraction, parseCalendarDate } from '../../src/domain/credit/day-count.ts';

/**
 * The worked examples ISDA published with the 2006 ISDA Definitions: the spreadsheet "30-360-2006ISDADefs.xls"
 * (isda.org/a/mIJEE/30-360-2006ISDADefs.xls), one row per period with the Actual/360, 30/360 (Bond Basis,
 * §4.16(f)) and 30E/360 (Eurobond Basis, §4.16(g)) day counts. The figures were read from two public
 * transcriptions of that spreadsheet, not typed from memory:
 * - Actual/360 and 30E/360 columns: github.com/tlouarn/toolkit, tests/definitions/test_day_count_data.py
 *   ("All examples are coming from the following ISDA educational spreadsheet");
 * - 30/360 (Bond Basis) column: finance.fyicenter.com, "30/360 - Day Count Examples by ISDA"
 *   (1000400_30_360_-Day_Count_Examples_by_ISDA.html). Its transcription breaks off before the
 *   2007-10-31 → 2007-11-28 row, so that cell is left out (null) rather than guessed.
 * ACT/365F (§4.16(d)) has no column of its own there: its numerator is the same actual day count as
 * Actual/360, so the test divides the spreadsheet's actual days by 365.
 */
const ISDA_2006_EXAMPLES: Array<
  [start: string, end: string, actual: number, bond: number | null, euro: number]
> = [
  ['2007-01-15', '2007-01-30', 15, 15, 15],
  ['2007-01-15', '2007-02-15', 31, 30, 30],
  ['2007-01-15', '2007-07-15', 181, 180, 180],
  ['2007-09-30', '2008-03-31', 183, 180, 180],
  ['2007-09-30', '2007-10-31', 31, 30, 30],
  ['2007-09-30', '2008-09-30', 366, 360, 360],
  ['2007-01-15', '2007-01-31', 16, 16, 15],
  ['2007-01-31', '2007-02-28', 28, 28, 28],
  ['2007-02-28', '2007-03-31', 31, 33, 32],
  ['2006-08-31', '2007-02-28', 181, 178, 178],
  ['2007-02-28', '2007-08-31', 184, 183, 182],
  ['2007-02-14', '2007-02-28', 14, 14, 14],
  ['2007-02-26', '2008-02-29', 368, 363, 363],
  ['2008-02-29', '2009-02-28', 365, 359, 359],
  ['2008-02-29', '2008-03-30', 30, 31, 31],
  ['2008-02-29', '2008-03-31', 31, 32, 31],
  ['2007-02-28', '2007-03-05', 5, 7, 7],
  ['2007-10-31', '2007-11-28', 28, null, 28],
  ['2007-08-31', '2008-02-29', 182, 179, 179],
  ['2008-02-29', '2008-08-31', 184, 182, 181],
  ['2008-08-31', '2009-02-28', 181, 178, 178],
  ['2009-02-28', '2009-08-31', 184, 183, 182],
];

/** Further 30/360 (Bond Basis) rows of the same ISDA examples, from the fyicenter transcription. */
const ISDA_2006_BOND_BASIS_MORE: Array<[string, string, number]> = [
  ['2006-08-20', '2007-02-20', 180],
  ['2007-02-20', '2007-08-20', 180],
  ['2007-08-20', '2008-02-20', 180],
  ['2008-02-20', '2008-08-20', 180],
  ['2008-08-20', '2009-02-20', 180],
  ['2009-02-20', '2009-08-20', 180],
  ['2006-01-31', '2006-02-28', 28],
  ['2006-01-30', '2006-02-28', 28],
  ['2006-02-28', '2006-03-03', 5],
  ['2006-02-14', '2006-02-28', 14],
  ['2006-09-30', '2006-10-31', 30],
  ['2006-10-31', '2006-11-28', 28],
  ['2007-08-31', '2008-02-28', 178],
  ['2008-02-28', '2008-08-28', 180],
  ['2008-02-28', '2008-08-30', 182],
  ['2008-02-28', '2008-08-31', 183],
  ['2007-02-26', '2008-02-28', 362],
  ['2008-02-28', '2008-03-30', 32],
  ['2008-02-28', '2008-03-31', 33],
];

const count = (convention: DayCount, start: string, end: string) =>
  dayCountFraction(convention, parseCalendarDate(start), parseCalendarDate(end));

describe('day count fractions (2006 ISDA Definitions §4.16, ISDA worked examples)', () => {
  it.each(ISDA_2006_EXAMPLES)(
    '%s → %s: ACT/360 %i days, 30/360 %s, 30E/360 %i',
    (start, end, actual, bond, euro) => {
      expect(count('ACT/360', start, end)).toEqual({ days: actual, basis: 360, fraction: actual / 360 });
      expect(count('ACT/365F', start, end)).toEqual({ days: actual, basis: 365, fraction: actual / 365 });
      expect(count('30E/360', start, end)).toEqual({ days: euro, basis: 360, fraction: euro / 360 });
      if (bond !== null)
        expect(count('30/360', start, end)).toEqual({ days: bond, basis: 360, fraction: bond / 360 });
    },
  );

  it.each(ISDA_2006_BOND_BASIS_MORE)('30/360 Bond Basis %s → %s: %i days', (start, end, days) => {
    expect(count('30/360', start, end).days).toBe(days);
  });

  it('Bond Basis and Eurobond Basis differ only where D2 is 31 and D1 is below 30', () => {
    expect(count('30/360', '2007-01-15', '2007-01-31').days).toBe(16);
    expect(count('30E/360', '2007-01-15', '2007-01-31').days).toBe(15);
  });

  it('refuses dates that do not exist and periods that run backwards', () => {
    expect(() => parseCalendarDate('2007-02-29')).toThrow(/not a calendar date/);
    expect(() => parseCalendarDate('2007-2-1')).toThrow(/not a calendar date/);
    expect(() => count('ACT/360', '2008-01-02', '2008-01-01')).toThrow(/must not end before/);
  });
});
