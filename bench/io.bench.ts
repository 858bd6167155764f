/**
 * npm run bench:io: the Leontief inverse (I − A)⁻¹ in Keel (blocked Gauss–Jordan sweeps on Float64Array,
 * src/domain/research/io.ts) against numpy.linalg.inv (Debian's python3-numpy, LAPACK), in one run, on
 * (1) the real BEA 1997 summary table (131 industries, industry-by-industry A = W·B) and (2) a seeded
 * synthetic table of 405 sectors (labelled synthetic; the size of the BEA detailed tables, which data/
 * does not hold). Results are compared cell by cell.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beaTable } from '../src/app/research/reference-data.ts';
import { identityMinus, invert, type Matrix, matrix } from '../src/domain/research/io.ts';
import { seededRandom } from '../src/domain/synthetic.ts';
import { ensureDebianPython, runPython } from './python-reference.ts';

const REPEATS = 20;

function syntheticTable(n: number): Matrix {
  const random = seededRandom(405);
  const a = matrix(n, n);
  for (let j = 0; j < n; j++) {
    let column = 0;
    for (let i = 0; i < n; i++) {
      const v = random() ** 4;
      a.data[i * n + j] = v;
      column += v;
    }
    const target = 0.3 + 0.4 * random(); // intermediate inputs per dollar of output
    for (let i = 0; i < n; i++) a.data[i * n + j] = (a.data[i * n + j] as number) * (target / column);
  }
  return a;
}

function timeKeel(a: Matrix): { seconds: number; inverse: Matrix } {
  let inverse = invert(identityMinus(a)); // warm-up
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t = process.hrtime.bigint();
    inverse = invert(identityMinus(a));
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  return { seconds: Math.min(...times), inverse };
}

function main() {
  ensureDebianPython('numpy', 'python3-numpy');
  const dir = mkdtempSync(join(tmpdir(), 'keel-bench-io-'));
  try {
    const cases: [string, Matrix][] = [
      ['BEA 1997 summary, 131 industries (real)', beaTable().model.industryDirect],
      ['synthetic, 405 sectors', syntheticTable(405)],
    ];
    console.log(`\nLeontief inverse (I − A)⁻¹, best of ${REPEATS}`);
    console.log(
      'table'.padEnd(42),
      'Keel s'.padStart(9),
      'numpy s'.padStart(9),
      'ratio'.padStart(7),
      'max |diff|'.padStart(11),
    );
    for (const [name, a] of cases) {
      const ours = timeKeel(a);
      writeFileSync(join(dir, 'a.bin'), a.data);
      writeFileSync(join(dir, 'keel.bin'), ours.inverse.data);
      const ref = runPython<{ seconds: number; maxDiff: number }>(
        'bench/io_numpy.py',
        dir,
        String(a.rows),
        String(REPEATS),
      );
      console.log(
        name.padEnd(42),
        ours.seconds.toFixed(4).padStart(9),
        ref.seconds.toFixed(4).padStart(9),
        `${(ours.seconds / ref.seconds).toFixed(1)}×`.padStart(7),
        ref.maxDiff.toExponential(1).padStart(11),
      );
      if (ref.maxDiff > 1e-9) throw new Error(`${name}: Keel and numpy disagree`);
    }
    console.log('goal: ≤ 2× numpy on the ~400-sector table');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
