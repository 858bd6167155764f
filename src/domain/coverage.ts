/** Coverage staff and the hiring plan: the shapes a coverage manager writes, shared by the server and the web form. */
import { z } from 'zod';
import { isoDate, slug } from './fields.ts';

export const STAFF_KINDS = ['banker', 'investment_professional', 'sector_specialist'] as const;

export const staffInputSchema = z.object({
  id: slug,
  name: z.string().min(1).max(200),
  kind: z.enum(STAFF_KINDS),
  subAreas: z.array(slug).max(27),
  companies: z.array(slug).max(500).default([]),
  joinedOn: isoDate,
});

export const hiringPlanRowSchema = z.object({
  subAreaId: slug,
  year: z.number().int().min(2025).max(2040),
  headcount: z.number().int().min(0).max(1000),
});

export const hiringPlanSchema = z.object({
  rows: z.array(hiringPlanRowSchema).min(1).max(500),
});
