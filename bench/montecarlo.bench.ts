/**
 * npm run bench:montecarlo: 100,000 paths × 40 quarters of the Takahashi–Alexander Monte Carlo in Keel
 * (worker threads, then P10/P50/P90 of NAV, calls, distributions and paid-in per quarter) against the same
 * model vectorised in numpy (Debian's python3-numpy, installed here if missing), in one run. The random
 * streams differ (mulberry32 + Box–Muller vs numpy's PCG64), so the medians agree statistically, not to
 * the digit; both are printed.
 */
import { execFileSync } from 'node:child_process';
import { runChunks } from '../src/app/monte-carlo-pool.ts';
import { bands, type MonteCarloSpec } from '../src/domain/monte-carlo.ts';
import { PAPER_EXAMPLE } from '../src/domain/yale-model.ts';
import { ensureDebianPython, PYTHON } from './python-reference.ts';

const PATHS = Number(process.env.BENCH_PATHS ?? 100_000);

async function keel(spec: MonteCarloSpec): Promise<{ seconds: number; navP50: number[] }> {
  const started = process.hrtime.bigint();
  const { chunks, sizes } = await runChunks(spec, PATHS, 7);
  const measures = ['nav', 'contributions', 'distributions', 'paidIn'] as const;
  const result = measures.map((m) =>
    bands(
      chunks.map((c) => c[m]),
      sizes,
      spec.steps,
    ),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, navP50: result[0]!.map((b) => b.p50) };
}

async function main() {
  ensureDebianPython('numpy', 'python3-numpy');
  const spec: MonteCarloSpec = {
    params: PAPER_EXAMPLE,
    commitment: 1_000_000_000,
    start: { age: 0, paidIn: 0, nav: 0 },
    steps: 40,
    stepsPerYear: 4,
    growthVolatility: 0.25,
    timingVolatility: 0.2,
  };
  await keel({ ...spec, steps: 4 }); // warm the workers' module cache
  const ours = await keel(spec);
  const reference = JSON.parse(
    execFileSync(PYTHON, ['bench/montecarlo_numpy.py', JSON.stringify({ ...spec, paths: PATHS, seed: 7 })], {
      encoding: 'utf8',
    }),
  );
  console.log(
    `\nTakahashi-Alexander Monte Carlo, ${PATHS.toLocaleString('en-US')} paths × ${spec.steps} quarters (synthetic $1B commitment)`,
  );
  console.log('implementation'.padEnd(36), 'seconds'.padStart(9));
  console.log('Keel (worker threads)'.padEnd(36), ours.seconds.toFixed(3).padStart(9));
  console.log('numpy (vectorised, one thread)'.padEnd(36), reference.seconds.toFixed(3).padStart(9));
  console.log(`ratio Keel/numpy: ${(ours.seconds / reference.seconds).toFixed(2)}× (goal ≤ 1.0×)`);
  const q = [8, 20, 40];
  console.log(
    `median NAV at quarters ${q.join(', ')}: Keel ${q.map((i) => (ours.navP50[i - 1]! / 1e6).toFixed(1)).join(' / ')} $M; numpy ${q.map((i) => (reference.navP50[i - 1] / 1e6).toFixed(1)).join(' / ')} $M`,
  );
}

await main();
