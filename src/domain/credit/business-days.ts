/**
 * Business days for payment dates: weekends, and the holidays of a calendar. Keel knows one holiday calendar,
 * the US Federal Reserve's (the days US dollar payments do not settle), built from its rules, not typed dates:
 * - the eleven holidays of the Federal Reserve's standard schedule (New Year's Day; Martin Luther King Jr. Day,
 *   the third Monday of January; Washington's Birthday, the third Monday of February; Memorial Day, the last
 *   Monday of May; Juneteenth, 19 June, from 2021; Independence Day; Labor Day, the first Monday of September;
 *   Columbus Day, the second Monday of October; Veterans Day, 11 November; Thanksgiving, the fourth Thursday of
 *   November; Christmas Day);
 * - "For holidays falling on Saturday, Federal Reserve Banks and Branches will be open the preceding Friday.
 *   For holidays falling on Sunday, all Federal Reserve Banks and Branches will be closed the following
 *   Monday." (the Federal Reserve's schedule as quoted at qbgal.blogspot.com/2009/09/federal-reserve-bank-
 *   holiday-schedule.html, which lists 2009 and 2010);
 * - Juneteenth 2021 fell on a Saturday and Federal Reserve Financial Services "will operate normally on
 *   Friday, June 18" (Federal Reserve Board press release of June 17, 2021, as quoted at compliancealliance.com).
 * The test (test/unit/credit-business-days.test.ts) checks the rules against those published dates.
 */
import { type CalendarDate, daysInMonth } from './day-count.ts';

export const HOLIDAY_CALENDARS = ['us_federal_reserve', 'weekends_only'] as const;
export type HolidayCalendar = (typeof HOLIDAY_CALENDARS)[number];

/** How a payment date that falls on a non-business day moves (ISDA 2006 §4.12). */
export const BUSINESS_DAY_RULES = ['following', 'modified_following', 'preceding', 'none'] as const;
export type BusinessDayRule = (typeof BUSINESS_DAY_RULES)[number];

const weekday = (d: CalendarDate) => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
const MONDAY = 1;
const THURSDAY = 4;

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The n-th (1-based) given weekday of a month, or the last one when n is -1. */
function nthWeekday(year: number, month: number, day: number, n: number): CalendarDate {
  if (n === -1) {
    const last = { year, month, day: daysInMonth({ year, month }) };
    return addDays(last, -((weekday(last) - day + 7) % 7));
  }
  const first = { year, month, day: 1 };
  return addDays(first, ((day - weekday(first) + 7) % 7) + 7 * (n - 1));
}

/** The holidays of a year on their own dates, before the weekend rule moves any. */
function federalReserveHolidays(year: number): CalendarDate[] {
  const on = (month: number, day: number) => ({ year, month, day });
  return [
    on(1, 1),
    nthWeekday(year, 1, MONDAY, 3),
    nthWeekday(year, 2, MONDAY, 3),
    nthWeekday(year, 5, MONDAY, -1),
    ...(year >= 2021 ? [on(6, 19)] : []),
    on(7, 4),
    nthWeekday(year, 9, MONDAY, 1),
    nthWeekday(year, 10, MONDAY, 2),
    on(11, 11),
    nthWeekday(year, 11, THURSDAY, 4),
    on(12, 25),
  ];
}

const key = (d: CalendarDate) => d.year * 10_000 + d.month * 100 + d.day;
const closedDays = new Map<number, ReadonlySet<number>>();

/** The days the Federal Reserve is closed in a year (a Sunday holiday closes the Monday after). */
function federalReserveClosures(year: number): ReadonlySet<number> {
  let days = closedDays.get(year);
  if (!days) {
    days = new Set(
      federalReserveHolidays(year).flatMap((d) => {
        const w = weekday(d);
        if (w === 6) return []; // open the Friday before: no weekday is lost
        return [key(w === 0 ? addDays(d, 1) : d)];
      }),
    );
    closedDays.set(year, days);
  }
  return days;
}

export function isBusinessDay(date: CalendarDate, calendar: HolidayCalendar): boolean {
  const w = weekday(date);
  if (w === 0 || w === 6) return false;
  return calendar === 'weekends_only' || !federalReserveClosures(date.year).has(key(date));
}

/** The closed weekdays of a calendar in a year, as ISO dates (for the facility page and the tests). */
export function holidaysOf(year: number, calendar: HolidayCalendar): string[] {
  if (calendar === 'weekends_only') return [];
  return [...federalReserveClosures(year)]
    .sort((a, b) => a - b)
    .map((k) => {
      const text = String(k);
      return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
    });
}

/** Moves a date off a non-business day by the rule (ISDA 2006 §4.12). */
export function adjustForBusinessDay(
  date: CalendarDate,
  rule: BusinessDayRule,
  calendar: HolidayCalendar = 'us_federal_reserve',
): CalendarDate {
  if (rule === 'none' || isBusinessDay(date, calendar)) return date;
  const step = (from: CalendarDate, by: number) => {
    let d = from;
    while (!isBusinessDay(d, calendar)) d = addDays(d, by);
    return d;
  };
  if (rule === 'following') return step(date, 1);
  if (rule === 'preceding') return step(date, -1);
  const following = step(date, 1);
  return following.month === date.month ? following : step(date, -1);
}
