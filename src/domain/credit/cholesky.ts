/**
 * The Cholesky factor L (lower triangular, L·Lᵀ = C) of a correlation matrix, which is how correlated factors
 * are drawn (Y = L·Z from independent standard normals Z), and at the same time the check that C is a
 * correlation matrix at all: symmetric, unit diagonal, and positive semi-definite. A matrix that is not
 * fails at the first factor whose variance left after the earlier ones would be negative, and the error
 * names it. Semi-definite matrices (e.g. every correlation 1: one factor in effect) are allowed: a factor
 * with no variance left gets a zero column, provided its correlations with the later factors are explained
 * by the earlier ones too. Analytics, in floats.
 */
import { KeelError } from '../errors.ts';

/** Rounding allowed in a symmetric, unit-diagonal, semi-definite check of matrices read from decimals. */
const TOLERANCE = 1e-10;

/** `matrix` is n × n, row-major; `names` name the factors in errors. Returns L row-major. */
export function choleskyOfCorrelation(matrix: Float64Array, names: readonly string[]): Float64Array {
  const n = names.length;
  const fail = (message: string) => {
    throw new KeelError('invalid_factor_correlations', message);
  };
  if (matrix.length !== n * n) fail(`the factor correlation matrix must be ${n} × ${n}, one row per factor`);
  for (let i = 0; i < n; i++) {
    if (Math.abs(matrix[i * n + i]! - 1) > TOLERANCE)
      fail(`the correlation of factor "${names[i]}" with itself must be 1`);
    for (let j = 0; j < i; j++) {
      const c = matrix[i * n + j]!;
      if (!(Math.abs(c) <= 1))
        fail(`the correlation of "${names[i]}" and "${names[j]}" must be from −1 to 1`);
      if (Math.abs(c - matrix[j * n + i]!) > TOLERANCE)
        fail(
          `the correlation of "${names[i]}" and "${names[j]}" differs from that of "${names[j]}" and "${names[i]}"`,
        );
    }
  }
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let left = 1;
    for (let k = 0; k < j; k++) left -= l[j * n + k]! ** 2;
    if (left < -TOLERANCE) {
      fail(
        `the factor correlation matrix is not positive semi-definite: factor "${names[j]}" would keep a variance of ${left.toPrecision(3)} after the factors before it (no set of factors can have these correlations)`,
      );
    }
    const diagonal = left > TOLERANCE ? Math.sqrt(left) : 0;
    l[j * n + j] = diagonal;
    for (let i = j + 1; i < n; i++) {
      let c = matrix[i * n + j]!;
      for (let k = 0; k < j; k++) c -= l[i * n + k]! * l[j * n + k]!;
      if (diagonal > 0) l[i * n + j] = c / diagonal;
      else if (Math.abs(c) > Math.sqrt(TOLERANCE)) {
        fail(
          `the factor correlation matrix is not positive semi-definite: factor "${names[j]}" is fully explained by the factors before it, but its correlation with "${names[i]}" is not`,
        );
      }
    }
  }
  return l;
}
