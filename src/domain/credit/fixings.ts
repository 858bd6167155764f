/**
 * Reference-rate fixings, imported with their source, and the fixing each period of a floating-rate facility
 * is priced on. The convention, stated because the terms alone do not settle it: a period is priced in
 * advance on the latest fixing on or before its first day, looked back at most LOOKBACK_DAYS calendar days
 * (fixings exist for business days only, so a period starting after a long weekend still finds one). A period
 * with no such fixing (it starts after the latest fixing imported) is projected. Daily SOFR compounded in
 * arrears, the loan market's usual convention, is not modelled: each period takes one fixing.
 */
import { z } from 'zod';
import { isoDate, sourceNote } from '../fields.ts';
import { addDays, isBusinessDay } from './business-days.ts';
import { iso, parseCalendarDate } from './day-count.ts';
import { REFERENCE_RATES } from './facility-terms.ts';
import { parseRate, type Rate } from './rate.ts';

export const LOOKBACK_DAYS = 7;
/** At most this many fixings in one import (ten years of daily fixings of all four references). */
export const MAX_FIXINGS_PER_IMPORT = 20_000;

/**
 * A rate in percent per year as published: "5.31" is 5.31%. Below 20%: no US dollar reference rate has been
 * near it, so a larger figure is a typing slip (53.1 for 5.31), refused rather than priced.
 */
const ratePercent = z
  .string()
  .trim()
  .regex(/^\d{1,2}(\.\d{1,5})?$/, 'must be a rate in percent such as 5.31 (at most 5 decimals)')
  .refine((text) => Number(text) < 20, 'must be below 20 (percent): a larger reference rate is a slip');

/** Fixings are published for business days: a Saturday or Sunday is a slip of the date. */
const weekday = isoDate.refine(
  (date) => isBusinessDay(parseCalendarDate(date), 'weekends_only'),
  'falls on a weekend: fixings are published for business days',
);

export const fixingRowSchema = z.object({
  reference: z.enum(REFERENCE_RATES),
  date: weekday,
  ratePercent,
  source: sourceNote.max(2000),
});
export type FixingRow = z.infer<typeof fixingRowSchema>;

export interface Fixing {
  fixedOn: string;
  /** Percent per year as published, exact decimal text. */
  ratePercent: string;
  source: string;
}

/** A percent as an exact annual rate: 5.31 → 531 / 10 000. */
export function percentAsRate(text: string): Rate {
  const rate = parseRate(text);
  return { numerator: rate.numerator, denominator: rate.denominator * 100n };
}

/** The fixing a period that starts on `startsOn` is priced on, or null (`fixings` sorted by day, oldest first). */
export function fixingFor(fixings: readonly Fixing[], startsOn: string): Fixing | null {
  let low = 0;
  let high = fixings.length;
  // The first fixing after `startsOn`; the one before it is the latest on or before.
  while (low < high) {
    const middle = (low + high) >> 1;
    if (fixings[middle]!.fixedOn <= startsOn) low = middle + 1;
    else high = middle;
  }
  const found = fixings[low - 1];
  return found && found.fixedOn >= iso(addDays(parseCalendarDate(startsOn), -LOOKBACK_DAYS)) ? found : null;
}

/** Two rows for the same reference and day in one file: the index of the second, or -1. */
export function firstRepeatedFixing(rows: readonly Pick<FixingRow, 'reference' | 'date'>[]): number {
  const seen = new Set<string>();
  for (const [i, row] of rows.entries()) {
    const key = `${row.reference} ${row.date}`;
    if (seen.has(key)) return i;
    seen.add(key);
  }
  return -1;
}
