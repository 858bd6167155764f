/**
 * The internal obligor grade scale and the foundation-IRB risk parameters it maps to: PD per grade (floored),
 * LGD by seniority and collateral, the CCF of undrawn commitments. The figures live in a data file with their
 * sources (data/credit/grade-scale.json); this module validates it and computes from it, purely.
 *
 * PD and LGD are estimates, so they are doubles (analytics); EAD and EL stay exact cents (expected-loss.ts).
 */
import { z } from 'zod';
import { KeelError } from '../errors.ts';
import type { Seniority } from './facility-terms.ts';
import { parseRate, type Rate } from './rate.ts';

const decimal = z.string().regex(/^\d+(\.\d{1,12})?$/, 'must be a decimal like 0.0014');
const sourced = { source: z.string().min(3), url: z.string().nullable(), sentence: z.string().nullable() };

export const gradeScaleSchema = z.object({
  name: z.string(),
  version: z.string(),
  notes: z.array(z.string()),
  pdFloor: z.object({ value: decimal, ...sourced }),
  pdSource: z.object({
    publication: z.string(),
    url: z.string(),
    pdf: z.string(),
    transcribedBy: z.string(),
  }),
  grades: z
    .array(
      z.object({
        grade: z.number().int().min(1),
        category: z.string(),
        /** null: the figure was not found; the grade then has no PD and its obligors no EL. */
        oneYearDefaultRate: decimal.nullable(),
        table: z.string(),
        sentence: z.string().nullable(),
      }),
    )
    .min(1),
  lgd: z.object({
    senior_unsecured: z.object({ value: decimal, ...sourced }),
    subordinated: z.object({ value: decimal, ...sourced }),
    otherCollateral: z.object({
      minimumLgd: decimal,
      requiredCollateralisation: decimal,
      overCollateralisation: decimal,
      ...sourced,
    }),
  }),
  ccf: z.object({ value: decimal, ...sourced }),
});
export type GradeScale = z.infer<typeof gradeScaleSchema>;

/** Parses the data file, checking the grades run 1, 2, 3… without gaps (the scale's order is its meaning). */
export function parseGradeScale(raw: unknown): GradeScale {
  const scale = gradeScaleSchema.parse(raw);
  scale.grades.forEach((g, i) => {
    if (g.grade !== i + 1)
      throw new Error(`grade scale: grade ${g.grade} is out of order (expected ${i + 1})`);
  });
  return scale;
}

export function assertGradeOnScale(scale: GradeScale, grade: number): void {
  if (!scale.grades.some((g) => g.grade === grade)) {
    throw new KeelError(
      'invalid_grade',
      `grade ${grade} is not on the scale: grades run from 1 to ${scale.grades.length}`,
    );
  }
}

/**
 * The PD of a grade: its one-year default rate, floored (BCBS 2006 ¶285: the greater of the grade's one-year PD
 * or 0.03%). null when the scale has no sourced figure for the grade: never a guess.
 */
export function pdOfGrade(scale: GradeScale, grade: number): number | null {
  assertGradeOnScale(scale, grade);
  const rate = scale.grades[grade - 1]!.oneYearDefaultRate;
  if (rate === null) return null;
  return Math.max(Number(rate), Number(scale.pdFloor.value));
}

export const ccfOf = (scale: GradeScale): Rate => parseRate(scale.ccf.value);

/**
 * Foundation LGD of a facility (BCBS 2006 ¶287–288, ¶295). Senior secured: collateral without a stated value
 * cannot be recognised, so the claim counts as unsecured (45%); with a value C against the exposure E, below
 * the required collateralisation C* the claim is unsecured, above it the share C/C** (at most all of it) takes
 * the secured LGD and the rest 45%. Collateral is "other collateral": the terms do not say its type.
 */
export function foundationLgd(
  scale: GradeScale,
  seniority: Seniority,
  collateralValue: bigint,
  exposure: bigint,
): number {
  const unsecured = Number(scale.lgd.senior_unsecured.value);
  if (seniority === 'subordinated') return Number(scale.lgd.subordinated.value);
  if (seniority === 'senior_unsecured' || collateralValue <= 0n || exposure <= 0n) return unsecured;
  const other = scale.lgd.otherCollateral;
  const ratio = Number(collateralValue) / Number(exposure);
  if (ratio < Number(other.requiredCollateralisation)) return unsecured;
  const secured = Math.min(1, ratio / Number(other.overCollateralisation));
  return secured * Number(other.minimumLgd) + (1 - secured) * unsecured;
}
