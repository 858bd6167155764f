/**
 * One parser per input field, shared by every input path: the HTTP API's schemas, CSV rows, CLI flags and the
 * reference files `keel init` loads. Each parser takes the text a person or a file wrote and yields the
 * domain's type (`Cents`, `IsoDate`), so a rule lives here once and no input path can skip it. A route may
 * narrow a field (a smaller maximum), never replace it with a looser one.
 */
import { z } from 'zod';
import { KeelError } from './errors.ts';
import { type Cents, formatDollars, MAX_ENTRY_CENTS, parseDollars } from './money.ts';

export const slug = z
  .string()
  .min(1, 'is required')
  .max(120, 'is longer than 120 characters')
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens, like perpetua-resources');

/** The largest value of SQL's bigint, which row ids are: a larger number names no row. */
const MAX_ROW_ID = 9_223_372_036_854_775_807n;
/** A row id in a URL (a document, a decision, an agenda item, a saved view): a positive integer. */
export const rowId = z.coerce
  .bigint({ message: 'is not an id (a whole number)' })
  .min(1n, 'is not an id (ids start at 1)')
  .max(MAX_ROW_ID, 'is not an id (too large to name a row)');

/** A row id in a JSON body (a covenant, a credit question): a positive integer, or its decimal text. */
export const recordId = z
  .union([z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[1-9]\d{0,17}$/)])
  .transform((id) => BigInt(id));

declare const isoDateBrand: unique symbol;
/** A real calendar day, `YYYY-MM-DD`, within the years Keel accepts. Only `isoDate` and `asIsoDate` make one. */
export type IsoDate = string & { readonly [isoDateBrand]: 'calendar date' };

/** Years a date may fall in: wide enough for any record a programme keeps, narrow enough for every database. */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2199;

/** Why `text` is not an accepted calendar date, or null when it is one. */
export function isoDateProblem(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return 'must be a date like 2025-10-28';
  const year = Number(text.slice(0, 4));
  if (year < FIRST_YEAR || year > LAST_YEAR)
    return `must be a date from ${FIRST_YEAR}-01-01 to ${LAST_YEAR}-12-31`;
  const date = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || !date.toISOString().startsWith(text))
    return `${text} is not a real calendar date`;
  return null;
}

/** Checks and brands a date that code (not a person) produced, e.g. today's date or a quarter's end. */
export function asIsoDate(text: string): IsoDate {
  const problem = isoDateProblem(text);
  if (problem) throw new RangeError(`invariant violated: ${text} ${problem}`);
  return text as IsoDate;
}

export const isoDate = z.string().transform((text, ctx): IsoDate => {
  const problem = isoDateProblem(text);
  if (problem === null) return text as IsoDate;
  ctx.addIssue({ code: 'custom', message: problem });
  return z.NEVER;
});

export const stateFips = z.string().regex(/^\d{2}$/, 'must be a 2-digit state FIPS code like 16');
export const countyFips = z.string().regex(/^\d{5}$/, 'must be a 5-digit county FIPS code like 16085');
/** Why a person did something that others will review (a role change, a risk grade): a sentence, not a word. */
export const reasonField = z
  .string()
  .trim()
  .min(10, 'explain why, in at least 10 characters')
  .max(2000, 'is longer than 2000 characters');
export const sourceNote = z.string().min(3, 'needs a source (publication, date) or "synthetic"');

/** Why `value` is outside [min, max], or null when it is inside. */
export function centsRangeProblem(value: bigint, range: { min: bigint; max: bigint }): string | null {
  if (value >= range.min && value <= range.max) return null;
  if (range.min === 1n && value < 1n) return 'must be greater than zero';
  return `must be from ${formatDollars(range.min)} to ${formatDollars(range.max)}`;
}

/**
 * A dollar amount written as text ("75000000.00", "$1,234.56"), parsed exactly to `Cents` and checked
 * against [min, max]. Numbers in JSON are refused: a float cannot carry cents exactly.
 */
export function centsField(range: { min: bigint; max: bigint }) {
  return z.string().transform((text, ctx): Cents => {
    let value: Cents;
    try {
      value = parseDollars(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
    const problem = centsRangeProblem(value, range);
    if (problem === null) return value;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });
}

/** Amounts of deals, participations and ledger money movements: more than zero, at most the per-entry maximum. */
export const positiveAmount = centsField({ min: 1n, max: MAX_ENTRY_CENTS });
/** A ledger entry's amount: zero is allowed for a valuation mark (a written-off position); the ledger rules check the rest. */
export const entryAmount = centsField({ min: 0n, max: MAX_ENTRY_CENTS });

/** A stretch of calendar days with its label: a quarter ("2026Q4") or a month ("2026-11"). */
export interface Period {
  label: string;
  start: IsoDate;
  end: IsoDate;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (year: number, month: number) => {
  const date = new Date(Date.UTC(2000, month, 0)); // 2000 is a leap year: February is fixed below
  date.setUTCFullYear(year, month, 0); // setUTCFullYear, unlike Date.UTC, keeps years below 100 as they are
  return date.getUTCDate();
};

/**
 * A period's year must leave room for the day before it (reports read "as of the day before the start"),
 * so the first accepted year is one after FIRST_YEAR.
 */
function periodYearProblem(year: number): string | null {
  return year > FIRST_YEAR && year <= LAST_YEAR
    ? null
    : `must fall in the years ${FIRST_YEAR + 1} to ${LAST_YEAR}`;
}

/** "2026Q4" → 2026-10-01 to 2026-12-31. */
export const quarterField = z.string().transform((text, ctx): Period => {
  const match = /^(\d{4})Q([1-4])$/.exec(text);
  const problem = match ? periodYearProblem(Number(match[1])) : 'must be a quarter such as 2026Q4';
  if (problem !== null || !match) {
    ctx.addIssue({ code: 'custom', message: problem ?? 'must be a quarter such as 2026Q4' });
    return z.NEVER;
  }
  const year = Number(match[1]);
  const n = Number(match[2]);
  return {
    label: text,
    start: `${match[1]}-${pad2(n * 3 - 2)}-01` as IsoDate,
    end: `${match[1]}-${pad2(n * 3)}-${pad2(lastDayOfMonth(year, n * 3))}` as IsoDate,
  };
});

/** "2026-11" → 2026-11-01 to 2026-11-30. */
export const monthField = z.string().transform((text, ctx): Period => {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  const problem = match ? periodYearProblem(Number(match[1])) : 'must be a month such as 2026-11';
  if (problem !== null || !match) {
    ctx.addIssue({ code: 'custom', message: problem ?? 'must be a month such as 2026-11' });
    return z.NEVER;
  }
  const last = lastDayOfMonth(Number(match[1]), Number(match[2]));
  return { label: text, start: `${text}-01` as IsoDate, end: `${text}-${pad2(last)}` as IsoDate };
});

/**
 * How far a report reads into its period: to the period's end once it is over, otherwise "to date", up to
 * today. A period that has not begun has nothing to report.
 */
export function reportingDate(period: Period, today: IsoDate): { asOf: IsoDate; toDate: boolean } {
  if (period.start > today) {
    throw new KeelError(
      'invalid_value',
      `${period.label} has not begun (today is ${today}): a report covers a period that has started`,
    );
  }
  return period.end <= today ? { asOf: period.end, toDate: false } : { asOf: today, toDate: true };
}

/** The calendar day before `date` (a report "as of the day before the quarter starts"). */
export function dayBefore(date: IsoDate): IsoDate {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return asIsoDate(day.toISOString().slice(0, 10));
}

/** The calendar day after `date` (the exclusive end of a filter that includes its last day). */
export function dayAfter(date: IsoDate): IsoDate {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return asIsoDate(day.toISOString().slice(0, 10));
}
