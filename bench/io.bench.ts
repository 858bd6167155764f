/**
 * npm run bench:io: the Leontief inverse (I − A)⁻¹ in Keel (blocked Gauss–Jordan sweeps on Float64Array,
 * src/domain/research/io.ts) against numpy.linalg.inv (Debian's python3-numpy, LAPACK), in one run, on
 * (1) the real BEA 1997 summary table (131 industries, industry-by-industry A = W·B), (2) the real BEA 2007
 * detail table (389 × 389: the direct requirements B = U·ĝ⁻¹ of the use table before redefinitions,
 * data/io/bea-2007-detail, inverted as a square system; the BEA publishes no make table with it, so this is
 * B rather than W·B: the same size, sparsity and scale of coefficients) and (3) a seeded synthetic table of 405
 * sectors (labelled synthetic). Results are compared cell by cell.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detailDirectRequirements } from '../src/app/research/bea-annual.ts';
import { beaTable } from '../src/app/research/reference-data.ts';
import { createSweepHelper } from '../src/app/research/sweep-helper.ts';
import { invert, setSweepHelper } from '../src/domain/research/inverse.ts';
import { identityMinus, type Matrix, matrix } from '../src/domain/research/matrix.ts';
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

/** Best of REPEATS, after warm-up calls spread over a second (the JIT, and the helper thread's start). */
async function timeKeel(a: Matrix): Promise<{ seconds: number; inverse: Matrix }> {
  let inverse = invert(identityMinus(a));
  for (const until = Date.now() + 1_000; Date.now() < until; ) {
    inverse = invert(identityMinus(a));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const times: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t = process.hrtime.bigint();
    inverse = invert(identityMinus(a));
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  return { seconds: Math.min(...times), inverse };
}

async function main() {
  ensureDebianPython('numpy', 'python3-numpy');
  const dir = mkdtempSync(join(tmpdir(), 'keel-bench-io-'));
  const helper = createSweepHelper();
  try {
    const cases: [string, Matrix][] = [
      ['BEA 1997 summary, 131 industries (real)', beaTable().model.industryDirect],
      ['BEA 2007 detail, 389 industries (real)', (await detailDirectRequirements()).direct],
      ['synthetic, 405 sectors', syntheticTable(405)],
    ];
    console.log(`\nLeontief inverse (I − A)⁻¹, best of ${REPEATS}; numpy's OpenBLAS uses both cores`);
    console.log(
      'table'.padEnd(42),
      'Keel 1 thread'.padStart(14),
      'Keel 2 threads'.padStart(15),
      'numpy s'.padStart(9),
      'ratio'.padStart(7),
      'max |diff|'.padStart(11),
    );
    for (const [name, a] of cases) {
      setSweepHelper(null);
      const single = await timeKeel(a);
      setSweepHelper(helper);
      const ours = await timeKeel(a);
      for (let k = 0; k < single.inverse.data.length; k++) {
        if (single.inverse.data[k] !== ours.inverse.data[k])
          throw new Error(`${name}: threads changed the result`);
      }
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
        single.seconds.toFixed(4).padStart(14),
        ours.seconds.toFixed(4).padStart(15),
        ref.seconds.toFixed(4).padStart(9),
        `${(ours.seconds / ref.seconds).toFixed(2)}×`.padStart(7),
        ref.maxDiff.toExponential(1).padStart(11),
      );
      if (ref.maxDiff > 1e-9) throw new Error(`${name}: Keel and numpy disagree`);
    }
    console.log('tables under 256 sectors run on one thread (handing work over costs more than it saves)');
    console.log('goal: ≤ 1.5× numpy on the real 389-industry table (ratio = Keel 2 threads ÷ numpy)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await helper.close();
  }
}

await main();
