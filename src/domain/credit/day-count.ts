/**
 * Day count fractions as the 2006 ISDA Definitions, Section 4.16, define them. Each fraction is returned as
 * an exact ratio of whole days to a whole basis, so interest in cents can be computed with integers only
 * (`days / basis` as a float is offered for analytics).
 *
 * - ACT/360  (§4.16(e)): actual days in the period / 360.
 * - ACT/365F (§4.16(d), "Actual/365 (Fixed)"): actual days / 365, leap years or not.
 * - 30/360   (§4.16(f), "30/360", "360/360", "Bond Basis"):
 *   [360 × (Y2 − Y1) + 30 × (M2 − M1) + (D2 − D1)] / 360, where D1 is 31 → 30, and D2 is 31 → 30 only
 *   when D1 (after its own adjustment) is greater than 29.
 * - 30E/360  (§4.16(g), "30E/360", "Eurobond Basis"): the same formula, D1 31 → 30 and D2 31 → 30 always.
 *
 * Y1/M1/D1 is the first day of the period; Y2/M2/D2 the day immediately following its last day (the period
 * end date, which is excluded from the period).
 */
import { KeelError } from '../errors.ts';

export const DAY_COUNTS = ['ACT/360', 'ACT/365F', '30/360', '30E/360'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];

/** A calendar date without time or zone. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export interface DayCountFraction {
  /** Days counted under the convention (actual days, or 30-day-month days). */
  days: number;
  /** 360 or 365. */
  basis: number;
  /** `days / basis`, for analytics; money uses `days` and `basis` as integers. */
  fraction: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` and refuses dates that do not exist (2007-02-29). */
export function parseCalendarDate(text: string): CalendarDate {
  const match = ISO_DATE.exec(text);
  const date = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : undefined;
  if (!date || date.month < 1 || date.month > 12 || date.day < 1 || date.day > daysInMonth(date)) {
    throw new KeelError('invalid_date', `"${text}" is not a calendar date like 2027-01-31`);
  }
  return date;
}

/** The ISO text of a calendar date: 2026-03-01. */
export const iso = (d: CalendarDate) =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

export function daysInMonth({ year, month }: Pick<CalendarDate, 'year' | 'month'>): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days since 1970-01-01, exact for any Gregorian date. */
function dayNumber({ year, month, day }: CalendarDate): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

export function actualDays(start: CalendarDate, end: CalendarDate): number {
  return dayNumber(end) - dayNumber(start);
}

function thirtyDayMonthDays(start: CalendarDate, end: CalendarDate, d1: number, d2: number): number {
  return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1);
}

/** Counted days and basis of the period [start, end) under one convention. */
export function dayCountFraction(
  convention: DayCount,
  start: CalendarDate,
  end: CalendarDate,
): DayCountFraction {
  if (actualDays(start, end) < 0) {
    throw new KeelError('invalid_period', 'a period must not end before it starts');
  }
  const result = (days: number, basis: number): DayCountFraction => ({ days, basis, fraction: days / basis });
  switch (convention) {
    case 'ACT/360':
      return result(actualDays(start, end), 360);
    case 'ACT/365F':
      return result(actualDays(start, end), 365);
    case '30/360': {
      const d1 = start.day === 31 ? 30 : start.day;
      const d2 = end.day === 31 && d1 > 29 ? 30 : end.day;
      return result(thirtyDayMonthDays(start, end, d1, d2), 360);
    }
    case '30E/360': {
      const d1 = start.day === 31 ? 30 : start.day;
      const d2 = end.day === 31 ? 30 : end.day;
      return result(thirtyDayMonthDays(start, end, d1, d2), 360);
    }
  }
}
