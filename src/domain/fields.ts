/** Field schemas shared by every input path (CLI flags, CSV rows, reference files, later the API). */
import { z } from 'zod';
import { parseDollars } from './money.ts';

export const slug = z
  .string()
  .min(1, 'is required')
  .max(120, 'is longer than 120 characters')
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens, like perpetua-resources');

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2025-10-28')
  .refine((text) => {
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
  }, 'is not a real calendar date');

export const stateFips = z.string().regex(/^\d{2}$/, 'must be a 2-digit state FIPS code like 16');
export const countyFips = z.string().regex(/^\d{5}$/, 'must be a 5-digit county FIPS code like 16085');
export const sourceNote = z.string().min(3, 'needs a source (publication, date) or "synthetic"');

/** A dollar amount as text ("75000000.00"), parsed exactly to cents; a malformed one is a field error. */
export const dollarsText = z.string().transform((text, ctx) => {
  try {
    return parseDollars(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
