/**
 * Obligor risk grades: a credit officer assigns a company a grade of the scale with a reason; every
 * assignment is kept (append-only), and the newest is the grade the book uses.
 */
import { z } from 'zod';
import { companyRow } from '../../db/companies-repo.ts';
import { insertObligorGrade, obligorGradeHistory } from '../../db/credit-repo.ts';
import { assertGradeOnScale, pdOfGrade } from '../../domain/credit/grade-scale.ts';
import { KeelError } from '../../domain/errors.ts';
import { reasonField } from '../../domain/fields.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';
import { runWrite } from '../write.ts';
import { gradeScale, gradeScaleView } from './grade-scale.ts';

export const gradeInputSchema = z.object({
  grade: z.number().int('must be a whole grade').min(1).max(100),
  reason: reasonField,
});
export type GradeInput = z.infer<typeof gradeInputSchema>;

export async function assignGrade(
  ctx: AppContext,
  actor: Actor,
  key: string,
  companyId: string,
  input: GradeInput,
) {
  authorize(actor, 'credit.write');
  const scale = gradeScale();
  assertGradeOnScale(scale, input.grade);
  return runWrite(
    ctx,
    {
      actor,
      action: 'credit.grade.assign',
      key,
      request: { companyId, ...input },
      subject: `company:${companyId}`,
    },
    async (tx) => {
      if (!(await companyRow(tx, companyId))) throw new KeelError('not_found', `no company "${companyId}"`);
      const row = await insertObligorGrade(tx, {
        companyId,
        grade: input.grade,
        reason: input.reason,
        assignedBy: actor.id,
      });
      return {
        result: {
          id: row.id,
          companyId,
          grade: input.grade,
          category: scale.grades[input.grade - 1]!.category,
          pd: pdOfGrade(scale, input.grade),
        },
      };
    },
  );
}

/** An obligor's grades, newest first, with the scale they are read on. */
export async function gradeHistory(ctx: AppContext, actor: Actor, companyId: string) {
  authorize(actor, 'credit.read');
  const db = ctx.database.db;
  const company = await companyRow(db, companyId);
  if (!company) throw new KeelError('not_found', `no company "${companyId}"`);
  const scale = gradeScale();
  const rows = await obligorGradeHistory(db, companyId);
  return {
    companyId,
    companyName: company.name,
    current: rows[0]?.grade ?? null,
    history: rows.map((r) => ({
      id: r.id,
      grade: r.grade,
      category: scale.grades[r.grade - 1]?.category ?? 'not on the current scale',
      pd: r.grade <= scale.grades.length ? pdOfGrade(scale, r.grade) : null,
      reason: r.reason,
      assignedBy: r.assigned_by,
      assignedAt: String(r.assigned_at),
    })),
    scale: gradeScaleView(scale),
  };
}
