/**
 * npm run bench:io: the Leontief inverse (I − A)⁻¹ in Keel (blocked Gauss–Jordan sweeps on Float64Array,
 * src/domain/research/io.ts) against numpy.linalg.inv (Debian's python3-numpy, and a pip numpy with OpenBLAS
 * when one is on PATH), in one run, on
 * (1) the real BEA 1997 summary table (131 industries, industry-by-industry A = W·B), (2) the real BEA 2007
 * detail table (389 × 389: the direct requirements B = U·ĝ⁻¹ of the use table before redefinitions,
 * data/io/bea-2007-detail, inverted as a square system; the BEA publishes no make table with it, so this is
 * B rather than W·B: the same size, sparsity and scale of coefficients) and (3) a seeded synthetic table of 405
 * sectors (labelled synthetic). Results are compared cell by cell.
 */
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DETAIL_YEAR, directRequirements } from '../src/app/research/bea-annual.ts';
import { beaTable } from '../src/app/research/reference-data.ts';
import { createSweepHelper } from '../src/app/research/sweep-helper.ts';
import { invert, setSweepHelper } from '../src/domain/research/inverse.ts';
import { identityMinus, type Matrix, matrix } from '../src/domain/research/matrix.ts';
import { seededRandom } from '../src/domain/synthetic.ts';
import { ensureDebianPython, otherNumpyPython, PYTHON, runPythonWith } from './python-reference.ts';

const REPEATS = 20;
const SYSTEM_BLAS = '/usr/lib/x86_64-linux-gnu/libblas.so.3';

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
      ['BEA 2007 detail, 389 industries (real)', (await directRequirements('detail', DETAIL_YEAR)).direct],
      ['synthetic, 405 sectors', syntheticTable(405)],
    ];
    // Debian's numpy takes the system's libblas (the reference BLAS unless libopenblas is installed); a numpy
    // from pip on PATH bundles OpenBLAS. Each is timed on 1 and 2 BLAS threads (on a shared machine the
    // second thread can cost more than it gives), and Keel is compared with the fastest of them.
    const pythons = [PYTHON, otherNumpyPython()].filter((p): p is string => p !== null);
    const headers = pythons.flatMap((_, k) => [`np${k + 1} 1 thr`, `np${k + 1} 2 thr`]);
    console.log(`\nLeontief inverse (I − A)⁻¹, seconds, best of ${REPEATS}`);
    console.log(
      'table'.padEnd(42),
      'Keel 1 thr'.padStart(11),
      'Keel 2 thr'.padStart(11),
      ...headers.map((h) => h.padStart(11)),
      'ratio'.padStart(7),
      'max |diff|'.padStart(11),
    );
    const blas = new Map<string, string>();
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
      const refs = pythons.flatMap((python) =>
        ['1', '2'].map((threads) => {
          process.env.OPENBLAS_NUM_THREADS = threads;
          try {
            const ref = runPythonWith<{ seconds: number; maxDiff: number; numpy: string; blas: string }>(
              python,
              'bench/io_numpy.py',
              dir,
              String(a.rows),
              String(REPEATS),
            );
            blas.set(python, `numpy ${ref.numpy}, ${ref.blas}`);
            return ref;
          } finally {
            delete process.env.OPENBLAS_NUM_THREADS;
          }
        }),
      );
      const keelBest = Math.min(single.seconds, ours.seconds);
      const numpyBest = Math.min(...refs.map((r) => r.seconds));
      const maxDiff = Math.max(...refs.map((r) => r.maxDiff));
      console.log(
        name.padEnd(42),
        single.seconds.toFixed(4).padStart(11),
        ours.seconds.toFixed(4).padStart(11),
        ...refs.map((r) => r.seconds.toFixed(4).padStart(11)),
        `${(keelBest / numpyBest).toFixed(2)}×`.padStart(7),
        maxDiff.toExponential(1).padStart(11),
      );
      if (maxDiff > 1e-9) throw new Error(`${name}: Keel and numpy disagree`);
    }
    pythons.forEach((python, k) => {
      console.log(`np${k + 1}: ${python} (${blas.get(python)})`);
    });
    if (existsSync(SYSTEM_BLAS)) console.log(`system libblas: ${realpathSync(SYSTEM_BLAS)}`);
    console.log('tables under 256 sectors run on one thread (handing work over costs more than it saves)');
    console.log('ratio = best Keel ÷ best numpy; goal: ≤ 1.5× on the real 389-industry table');
    console.log(
      `load average when done: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (${cpus().length} cores)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await helper.close();
  }
}

await main();
