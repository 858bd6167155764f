/**
 * The correlations of the sector factors of the credit portfolio model (factor-copula.ts), from the
 * programme's file data/credit/factor-correlations.json: a correlation matrix of the core areas' factors,
 * and the weight w of its core area's factor in each sub-area's factor, Y_s = √w · F_area + √(1 − w) · η_s
 * with the η independent. So two sub-areas of one core area correlate by w and sub-areas of core areas A
 * and B by w · C_AB: positive semi-definite whenever C is. Both are the programme's own assumptions, not
 * published figures (the file says so). Every matrix built here goes through the Cholesky check.
 */
import { z } from 'zod';
import { KeelError } from '../errors.ts';
import { choleskyOfCorrelation } from './cholesky.ts';

export const FACTOR_LEVELS = ['core_area', 'sub_area'] as const;
export type FactorLevel = (typeof FACTOR_LEVELS)[number];

export const factorCorrelationFileSchema = z.object({
  source: z.string().min(3),
  coreAreas: z.object({
    order: z.array(z.string().min(1)).min(1),
    matrix: z.array(z.array(z.number())),
  }),
  subAreaWeight: z.number().min(0).max(1),
});
export type FactorCorrelationFile = z.infer<typeof factorCorrelationFileSchema>;

export interface SectorFactors {
  /** Factor keys (area or sub-area ids), in the matrices' order. */
  keys: string[];
  /** The k × k correlation matrix, row-major. */
  matrix: Float64Array;
  /** Its Cholesky factor L, row-major. */
  cholesky: Float64Array;
}

const invalid = (message: string) => new KeelError('invalid_factor_correlations', message);

function coreAreaMatrix(file: FactorCorrelationFile): Float64Array {
  const { order, matrix } = file.coreAreas;
  const k = order.length;
  if (matrix.length !== k || matrix.some((row) => row.length !== k))
    throw invalid(`the core-area correlation matrix must be ${k} × ${k}, one row and column per core area`);
  return Float64Array.from(matrix.flat());
}

/**
 * The factors of `keys`: core-area ids at level core_area, sub-area ids (each with its area) at level
 * sub_area. The core-area matrix is checked whole, whatever the portfolio holds.
 */
export function sectorFactors(
  file: FactorCorrelationFile,
  level: FactorLevel,
  keys: readonly string[],
  areaOfSubArea: ReadonlyMap<string, string>,
): SectorFactors {
  const areas = file.coreAreas.order;
  const c = coreAreaMatrix(file);
  choleskyOfCorrelation(c, areas);
  const areaIndex = new Map(areas.map((id, i) => [id, i]));
  const k = keys.length;
  const matrix = new Float64Array(k * k);
  const indexOf = (key: string) => {
    const area = level === 'core_area' ? key : areaOfSubArea.get(key);
    const i = area === undefined ? undefined : areaIndex.get(area);
    if (i === undefined) {
      throw invalid(
        `the factor correlation file has no core area for ${level === 'core_area' ? 'area' : 'sub-area'} "${key}"`,
      );
    }
    return i;
  };
  const index = keys.map(indexOf);
  const a = areas.length;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const between = c[index[i]! * a + index[j]!]!;
      matrix[i * k + j] = i === j ? 1 : level === 'core_area' ? between : file.subAreaWeight * between;
    }
  }
  return { keys: [...keys], matrix, cholesky: choleskyOfCorrelation(matrix, keys) };
}
