/**
 * Field parsers for the public record (reported deals and peer awards), built on the domain's shared
 * parsers: amounts through `positiveAmount`, days through `isoDateProblem`, months and quarters through
 * `monthField` and `quarterField`. A public source often states less than a ledger needs (a month, a
 * quarter, no figure at all), so each parser keeps what the file says and leaves a blank blank.
 */
import { z } from 'zod';
import { type IsoDate, isoDateProblem, monthField, positiveAmount, quarterField } from '../fields.ts';
import type { Cents } from '../money.ts';
import { stateFipsOf } from './us-states.ts';

/** One source of a row: a URL with its label ("stored copy", "cites"), or a citation without a URL. */
export interface PublicSource {
  label: string | null;
  url: string | null;
  text: string;
}

/**
 * Sources as the files write them: separated by " | ", or by ";" right before the next URL (a ";" inside
 * a URL's query stays). Each part may start with a label ("stored copy: https://…").
 */
export function splitSources(text: string): PublicSource[] {
  return text
    .split(/\s+\|\s+|;(?=\s*https?:\/\/)/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(?:([^:]*?[a-z][^:]*?):?\s+)?(https?:\/\/\S+)$/i.exec(part);
      if (match && !/^https?$/i.test(match[1] ?? ''))
        return { label: match[1]?.trim() || null, url: match[2]!, text: part };
      return { label: null, url: null, text: part };
    });
}

/** Every row needs at least one source, and every part of it must say something. */
export const sourcesField = z
  .string({ message: 'is required: every row of the public record names its source' })
  .trim()
  .min(3, 'is required: every row of the public record names its source')
  .transform((text, ctx): PublicSource[] => {
    const sources = splitSources(text);
    if (sources.some((s) => s.text.length < 3)) {
      ctx.addIssue({ code: 'custom', message: 'has an empty source between separators' });
      return z.NEVER;
    }
    return sources;
  });

/** A blank amount stays blank (the source states no figure); otherwise the shared amount parser. */
export const optionalAmount = z
  .string()
  .optional()
  .transform((text, ctx): Cents | null => {
    if (text === undefined || text.trim() === '') return null;
    const parsed = positiveAmount.safeParse(text.trim());
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'is not an amount' });
    return z.NEVER;
  });

/** A date as a source gives it: a day, a month ("2024-06") or a quarter ("2024-Q1"), as a span of days. */
export interface ReportedDate {
  text: string;
  precision: 'day' | 'month' | 'quarter';
  start: IsoDate;
  end: IsoDate;
}

export const reportedDateField = z
  .string()
  .optional()
  .transform((raw, ctx): ReportedDate | null => {
    const text = raw?.trim() ?? '';
    if (text === '') return null;
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
      const problem = isoDateProblem(text);
      if (problem === null) return { text, precision: 'day', start: text as IsoDate, end: text as IsoDate };
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    const quarter = /^(\d{4})-?Q([1-4])$/.exec(text);
    const period = quarter
      ? quarterField.safeParse(`${quarter[1]}Q${quarter[2]}`)
      : /^\d{4}-\d{2}$/.test(text)
        ? monthField.safeParse(text)
        : null;
    if (period?.success)
      return {
        text,
        precision: quarter ? 'quarter' : 'month',
        start: period.data.start,
        end: period.data.end,
      };
    ctx.addIssue({
      code: 'custom',
      message:
        period?.error.issues[0]?.message ??
        'must be a day (2024-03-14), a month (2024-06) or a quarter (2024-Q1), or blank',
    });
    return z.NEVER;
  });

/** Where an award or a company is, as written ("AZ;OH", "NC (HQ)", "NSW, Australia"), with US states as FIPS. */
export interface Places {
  text: string;
  stateFips: string[];
  outsideUs: string[];
}

export const placesField = z
  .string()
  .optional()
  .transform((raw, ctx): Places => {
    const text = raw?.trim() ?? '';
    const places: Places = { text, stateFips: [], outsideUs: [] };
    for (const part of text
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const state = /^([A-Z]{2})(?:\s+\([^)]*\))?$/.exec(part);
      if (state) {
        const fips = stateFipsOf(state[1]!);
        if (fips) {
          if (!places.stateFips.includes(fips)) places.stateFips.push(fips);
          continue;
        }
        ctx.addIssue({ code: 'custom', message: `"${state[1]}" is not a US state code (USPS, like NV)` });
        return z.NEVER;
      }
      // A place abroad names its country after a comma; anything else is more likely a mistyped state.
      if (/,\s*\S/.test(part)) {
        places.outsideUs.push(part);
        continue;
      }
      ctx.addIssue({
        code: 'custom',
        message: `"${part}" is neither a US state code (like NV, several as AZ;OH) nor a place abroad written "Region, Country"`,
      });
      return z.NEVER;
    }
    return places;
  });
