/** Dense row-major matrices of floats, for the input–output model (analytics, not the ledger). */
import { invariant } from '../errors.ts';

/** Dense row-major matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export const matrix = (rows: number, cols: number): Matrix => ({
  rows,
  cols,
  data: new Float64Array(rows * cols),
});
export const get = (m: Matrix, i: number, j: number) => m.data[i * m.cols + j] as number;

export function multiply(a: Matrix, b: Matrix): Matrix {
  invariant(a.cols === b.rows, `cannot multiply ${a.rows}×${a.cols} by ${b.rows}×${b.cols}`);
  const out = matrix(a.rows, b.cols);
  const { data: x } = a;
  const { data: y } = b;
  const z = out.data;
  for (let i = 0; i < a.rows; i++) {
    const zi = i * b.cols;
    for (let k = 0; k < a.cols; k++) {
      const aik = x[i * a.cols + k] as number;
      if (aik === 0) continue;
      const yk = k * b.cols;
      for (let j = 0; j < b.cols; j++) z[zi + j] = (z[zi + j] as number) + aik * (y[yk + j] as number);
    }
  }
  return out;
}

/** (I − m) for a square m. */
export function identityMinus(m: Matrix): Matrix {
  invariant(m.rows === m.cols, 'identityMinus needs a square matrix');
  const out = matrix(m.rows, m.cols);
  for (let k = 0; k < m.data.length; k++) out.data[k] = -(m.data[k] as number);
  for (let i = 0; i < m.rows; i++) out.data[i * m.cols + i] = (out.data[i * m.cols + i] as number) + 1;
  return out;
}
