/**
 * The Federal Reserve holiday calendar (domain/credit/business-days.ts) against published schedules, none of
 * them made by this project:
 * - 2009 and 2010: the Federal Reserve's standard schedule as quoted at
 *   qbgal.blogspot.com/2009/09/federal-reserve-bank-holiday-schedule.html ("Holiday 2009 2010 / New Year's
 *   Day 1-Jan 1-Jan / Martin Luther King, Jr. Day 19-Jan 18-Jan / Presidents' Day 16-Feb 15-Feb / Memorial Day
 *   25-May 31-May / Independence Day July 4* 5-Jul / Labor Day 7-Sep 6-Sep / Columbus Day 12-Oct 11-Oct /
 *   Veterans' Day 11-Nov 11-Nov / Thanksgiving Day 26-Nov 25-Nov / Christmas Day 25-Dec 25-Dec", with "*For
 *   holidays falling on Saturday, Federal Reserve Banks and Branches will be open the preceding Friday");
 *   Christmas 2010 fell on a Saturday, so by the same note no weekday of 2010 closes for it;
 * - 2021: Juneteenth fell on a Saturday; "Federal Reserve Financial Services will operate normally on Friday,
 *   June 18, and Monday, June 21" (Board press release of June 17, 2021, quoted at compliancealliance.com);
 * - 2022/2023: "Christmas Day falls on Sunday. The Federal Reserve Board of Governors is closed on December 26,
 *   2022" and "New Year's Day falls on Sunday. ... closed on January 2, 2023"; Juneteenth Monday June 19, 2023
 *   (innovationsfcu.org/about-innovations/fyi-news/holiday-closings/, "Based on Federal Reserve Bank Holidays");
 * - 2025: Martin Luther King Jr. Day January 20, Washington's Birthday February 17, Memorial Day May 26
 *   (yemialadeworld.com, "Standard Federal Reserve Bank Holidays ... 2025").
 */
import { describe, expect, it } from 'vitest';
import { adjustForBusinessDay, holidaysOf, isBusinessDay } from '../../src/domain/credit/business-days.ts';
import { parseCalendarDate } from '../../src/domain/credit/day-count.ts';
import { facilitySchedule } from '../../src/domain/credit/facility-schedule.ts';
import { facilityTermsSchema } from '../../src/domain/credit/facility-terms.ts';

const day = parseCalendarDate;

describe('the Federal Reserve holiday calendar', () => {
  it('closes the weekdays of the published 2009 schedule (Independence Day on a Saturday closes none)', () => {
    expect(holidaysOf(2009, 'us_federal_reserve')).toEqual([
      '2009-01-01',
      '2009-01-19',
      '2009-02-16',
      '2009-05-25',
      '2009-09-07',
      '2009-10-12',
      '2009-11-11',
      '2009-11-26',
      '2009-12-25',
    ]);
    expect(isBusinessDay(day('2009-07-03'), 'us_federal_reserve'), 'open the Friday before').toBe(true);
  });

  it('closes the weekdays of the published 2010 schedule (5 July for a Sunday 4 July; Christmas on a Saturday)', () => {
    expect(holidaysOf(2010, 'us_federal_reserve')).toEqual([
      '2010-01-01',
      '2010-01-18',
      '2010-02-15',
      '2010-05-31',
      '2010-07-05',
      '2010-09-06',
      '2010-10-11',
      '2010-11-11',
      '2010-11-25',
    ]);
    expect(isBusinessDay(day('2010-12-24'), 'us_federal_reserve')).toBe(true);
  });

  it('keeps Juneteenth from 2021, closing no weekday when it falls on a Saturday', () => {
    expect(isBusinessDay(day('2021-06-18'), 'us_federal_reserve')).toBe(true);
    expect(isBusinessDay(day('2021-06-21'), 'us_federal_reserve')).toBe(true);
    expect(isBusinessDay(day('2023-06-19'), 'us_federal_reserve')).toBe(false);
    expect(holidaysOf(2019, 'us_federal_reserve')).not.toContain('2019-06-19');
  });

  it('closes the Monday after a Sunday holiday (Christmas 2022, New Year 2023)', () => {
    expect(isBusinessDay(day('2022-12-26'), 'us_federal_reserve')).toBe(false);
    expect(isBusinessDay(day('2023-01-02'), 'us_federal_reserve')).toBe(false);
    expect(isBusinessDay(day('2022-12-26'), 'weekends_only')).toBe(true);
  });

  it('finds the n-th and last weekdays of 2025 as published', () => {
    const closed = holidaysOf(2025, 'us_federal_reserve');
    for (const date of ['2025-01-20', '2025-02-17', '2025-05-26']) expect(closed).toContain(date);
  });

  it('moves a payment date off a holiday by the rule', () => {
    // Monday 26 December 2022 is closed: following goes to Tuesday 27th, preceding back to Friday 23rd.
    const christmas = day('2022-12-26');
    expect(adjustForBusinessDay(christmas, 'following')).toEqual(day('2022-12-27'));
    expect(adjustForBusinessDay(christmas, 'preceding')).toEqual(day('2022-12-23'));
    expect(adjustForBusinessDay(christmas, 'following', 'weekends_only')).toEqual(christmas);
    // Monday 2 January 2023 under modified following stays in January: Tuesday 3rd.
    expect(adjustForBusinessDay(day('2023-01-02'), 'modified_following')).toEqual(day('2023-01-03'));
  });

  it('puts a facility payment due on a holiday on the next business day', () => {
    const terms = facilityTermsSchema.parse({
      commitment: '1,000,000.00',
      startsOn: '2022-09-26',
      availabilityEndsOn: '2022-09-26',
      maturityOn: '2023-09-26',
      amortisation: { kind: 'bullet' },
      interest: { kind: 'fixed', rate: '0.05' },
      dayCount: 'ACT/360',
      paymentFrequency: 'quarterly',
      businessDayRule: 'following',
      fees: {},
      seniority: 'senior_secured',
      source: 'test terms',
    });
    expect(terms.holidayCalendar).toBe('us_federal_reserve');
    const ends = facilitySchedule(terms).periods.map((p) => p.endsOn);
    expect(ends[0]).toBe('2022-12-27'); // 26 December 2022: closed for Christmas
    const weekendsOnly = facilitySchedule({ ...terms, holidayCalendar: 'weekends_only' });
    expect(weekendsOnly.periods[0]!.endsOn).toBe('2022-12-26');
  });
});
