/**
 * Credit stress from a research scenario: a borrower's supply shortfall (the research engine's mean uncovered
 * shortfall propagated to it through the dependency graph) becomes rating notches by a stated mapping, and the
 * notches downgrade its grade, never into default: a supply shock makes default likelier, it is not a default.
 * Pure: the mapping is the scenario's own (its `creditNotches`), else the programme's default from a data file
 * (data/credit/shortfall-notches.json); the scale comes from grade-scale.ts.
 */
import { z } from 'zod';
import type { GradeScale } from './grade-scale.ts';

/** Shortfall thresholds and the notches each costs, rising in both, with the assumption behind them. */
export const notchMappingSchema = z
  .object({
    assumption: z.string().min(10, 'say what the mapping assumes (at least 10 characters)').max(2000),
    thresholds: z
      .array(
        z.object({
          minShortfall: z.number().gt(0).max(1),
          notches: z.number().int().min(1).max(20),
        }),
      )
      .min(1)
      .max(20),
  })
  .superRefine((m, ctx) => {
    // Ordered and monotone, so that "the last threshold reached" is the largest notch count that applies.
    m.thresholds.forEach((t, i) => {
      const prev = m.thresholds[i - 1];
      if (prev && !(t.minShortfall > prev.minShortfall && t.notches > prev.notches)) {
        ctx.addIssue({
          code: 'custom',
          path: ['thresholds', i],
          message: 'thresholds must rise in both shortfall and notches',
        });
      }
    });
  });
export type NotchMapping = z.infer<typeof notchMappingSchema>;

/** The programme's default mapping, for scenarios that carry none: a named, versioned file. */
export const shortfallNotchesSchema = z.intersection(
  z.object({ name: z.string(), version: z.string() }),
  notchMappingSchema,
);
export type ShortfallNotches = z.infer<typeof shortfallNotchesSchema>;

/** Notches for a shortfall: those of the highest threshold reached, 0 below the first. */
export function notchesForShortfall(mapping: NotchMapping, shortfall: number): number {
  if (!Number.isFinite(shortfall)) throw new RangeError(`shortfall must be a number, got ${shortfall}`);
  let notches = 0;
  for (const t of mapping.thresholds) if (shortfall >= t.minShortfall) notches = t.notches;
  return notches;
}

/** The worst grade short of default: the last grade whose one-year default rate is below 1. */
export function worstPerformingGrade(scale: GradeScale): number {
  const performing = scale.grades.filter(
    (g) => g.oneYearDefaultRate === null || Number(g.oneYearDefaultRate) < 1,
  );
  const last = performing.at(-1);
  if (!last) throw new RangeError('the grade scale has no grade short of default');
  return last.grade;
}

/**
 * A grade moved down by `notches` (higher numbers are worse), capped at the worst performing grade; a grade
 * already beyond it (default) is left as it is.
 */
export function stressedGrade(scale: GradeScale, grade: number, notches: number): number {
  const cap = worstPerformingGrade(scale);
  if (grade >= cap) return grade;
  return Math.min(grade + notches, cap);
}
