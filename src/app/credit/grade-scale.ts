/** The obligor grade scale, read once from its data file (data/credit/grade-scale.json) and validated. */
import { join } from 'node:path';
import { type GradeScale, parseGradeScale } from '../../domain/credit/grade-scale.ts';
import { DATA_DIR, readJson } from '../data-files.ts';

export const GRADE_SCALE_FILE = join(DATA_DIR, 'credit', 'grade-scale.json');

let cached: GradeScale | undefined;

export function gradeScale(): GradeScale {
  cached ??= parseGradeScale(readJson(GRADE_SCALE_FILE));
  return cached;
}

/** The scale as the API and the web app show it: each grade with its category, PD and where it comes from. */
export function gradeScaleView(scale: GradeScale = gradeScale()) {
  return {
    name: scale.name,
    version: scale.version,
    notes: scale.notes,
    pdFloor: scale.pdFloor,
    pdSource: scale.pdSource,
    grades: scale.grades.map((g) => ({
      grade: g.grade,
      category: g.category,
      oneYearDefaultRate: g.oneYearDefaultRate,
      pd:
        g.oneYearDefaultRate === null
          ? null
          : Math.max(Number(g.oneYearDefaultRate), Number(scale.pdFloor.value)),
      table: g.table,
      sentence: g.sentence,
    })),
    lgd: scale.lgd,
    ccf: scale.ccf,
  };
}
export type GradeScaleView = ReturnType<typeof gradeScaleView>;
