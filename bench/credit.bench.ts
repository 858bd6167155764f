/**
 * npm run bench:credit: the portfolio credit loss distribution of 10,000 obligors × 100,000 scenarios under
 * the multi-factor Gaussian copula (one factor per sub-area, 27, correlated as data/credit/
 * factor-correlations.json says), in Keel (worker threads on every core, then EL, VaR and ES) against the
 * same model vectorised in numpy (bench/credit_numpy.py; Debian's python3-numpy with scipy's ndtr for Φ,
 * installed here if missing, on the system's libblas — the reference BLAS unless the alternatives point to
 * OpenBLAS, and the run prints which — and a pip numpy with its own OpenBLAS too when one is on PATH), in one
 * run, on equal inputs.
 *
 * The portfolio is synthetic (seeded): ten PD grades from 0.03% to 20%, LGD 25–75%, exposures from $1M to
 * about $500M, spread over the 27 sub-areas; asset correlations are the IRB corporate ones by PD. The two
 * draw different random streams (mulberry32 vs PCG64) and Keel draws only the defaulters of each group
 * (geometric skips) where numpy draws every obligor in every scenario: the distributions agree
 * statistically, not to the digit. The check: the means within 4 standard errors of each other and of
 * Σ PD × LGD × EAD, and the two-sample Kolmogorov–Smirnov distance below its 0.1% critical value.
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_SCENARIOS } from '../src/app/credit/portfolio-risk.ts';
import { REFERENCE_TAXONOMY, readJson } from '../src/app/data-files.ts';
import { runTaskChunks } from '../src/app/monte-carlo-pool.ts';
import { resourceLimits } from '../src/app/resource-limits.ts';
import { type FactorCopulaSpec, groupObligors } from '../src/domain/credit/factor-copula.ts';
import { factorCorrelationFileSchema, sectorFactors } from '../src/domain/credit/factor-correlations.ts';
import { corporateCorrelation } from '../src/domain/credit/irb.ts';
import { riskMeasures } from '../src/domain/credit/portfolio-loss.ts';
import { seededRandom } from '../src/domain/synthetic.ts';
import { ensureDebianPython, otherNumpyPython, PYTHON, runPythonWith } from './python-reference.ts';

/** Debian's numpy takes this library, whichever BLAS the system's alternatives point it at. */
const SYSTEM_BLAS = '/usr/lib/x86_64-linux-gnu/libblas.so.3';
const OBLIGORS = Number(process.env.BENCH_OBLIGORS ?? 10_000);
const SCENARIOS = Number(process.env.BENCH_SCENARIOS ?? 100_000);
const SEED = 7;
const LEVELS = [0.99, 0.999];
/** Scenarios per numpy chunk: 1,000 × 10,000 obligors is 80 MB per array (the fastest of 500, 1,000, 2,000 here). */
const NUMPY_CHUNK = 1_000;
/** Synthetic grade scale for the benchmark only (not a calibration). */
const GRADES = [0.0003, 0.001, 0.002, 0.004, 0.008, 0.015, 0.03, 0.06, 0.12, 0.2];

function portfolio(): { spec: FactorCopulaSpec; analyticEl: number } {
  const taxonomy = readJson(REFERENCE_TAXONOMY) as { areas: { id: string; subAreas: { id: string }[] }[] };
  const areaOf = new Map(taxonomy.areas.flatMap((a) => a.subAreas.map((s) => [s.id, a.id] as const)));
  const keys = [...areaOf.keys()].sort();
  const file = factorCorrelationFileSchema.parse(
    readJson(join(import.meta.dirname, '..', 'data', 'credit', 'factor-correlations.json')),
  );
  const factors = sectorFactors(file, 'sub_area', keys, areaOf);
  const random = seededRandom(20261130);
  const pd = Float64Array.from({ length: OBLIGORS }, () => GRADES[Math.floor(random() * GRADES.length)]!);
  const lgd = Float64Array.from({ length: OBLIGORS }, () => 0.25 + 0.5 * random());
  // Exposures log-uniform from $1M to about $500M.
  const ead = Float64Array.from({ length: OBLIGORS }, () =>
    Math.round(1e6 * Math.exp(random() * Math.log(500))),
  );
  const spec: FactorCopulaSpec = {
    pd,
    lossGivenDefault: lgd.map((l, i) => l * ead[i]!),
    correlation: pd.map((p) => corporateCorrelation(p)),
    factor: Int32Array.from({ length: OBLIGORS }, () => Math.floor(random() * keys.length)),
    factors: keys.length,
    factorCholesky: factors.cholesky,
  };
  return { spec, analyticEl: pd.reduce((sum, p, i) => sum + p * spec.lossGivenDefault[i]!, 0) };
}

async function keel(spec: FactorCopulaSpec, scenarios: number) {
  const started = process.hrtime.bigint();
  const { chunks } = await runTaskChunks('credit', spec, scenarios, SEED, CHUNK_SCENARIOS, {
    what: 'benchmark',
  });
  const losses = new Float64Array(scenarios);
  let offset = 0;
  for (const chunk of chunks) {
    losses.set(chunk, offset);
    offset += chunk.length;
  }
  const measures = riskMeasures(losses, LEVELS);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, losses, measures };
}

function meanAndError(losses: Float64Array) {
  const mean = losses.reduce((a, b) => a + b, 0) / losses.length;
  const variance = losses.reduce((a, b) => a + (b - mean) ** 2, 0) / (losses.length - 1);
  return { mean, standardError: Math.sqrt(variance / losses.length) };
}

/** Two-sample Kolmogorov–Smirnov distance. */
function ksDistance(a: Float64Array, b: Float64Array): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let distance = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    distance = Math.max(distance, Math.abs(i / x.length - j / y.length));
  }
  return distance;
}

const money = (dollars: number) => `$${(dollars / 1e9).toFixed(2)}B`;

async function main() {
  ensureDebianPython('numpy', 'python3-numpy');
  ensureDebianPython('scipy', 'python3-scipy');
  const { spec, analyticEl } = portfolio();
  const groups = groupObligors(spec);
  const dir = mkdtempSync(join(tmpdir(), 'keel-bench-credit-'));
  try {
    // Equal inputs: numpy reads the very arrays Keel simulates, grouped as Keel groups them.
    const write = (name: string, array: Float64Array | Int32Array) =>
      writeFileSync(
        join(dir, `${name}.bin`),
        new Uint8Array(array.buffer, array.byteOffset, array.byteLength),
      );
    write('threshold', groups.threshold);
    write('loading', groups.loading);
    write('idiosyncratic', groups.idiosyncratic);
    write('group_factor', groups.factor);
    write('group_of', groups.groupOf);
    write('lgd', spec.lossGivenDefault);
    write('cholesky', spec.factorCholesky);
    writeFileSync(
      join(dir, 'spec.json'),
      JSON.stringify({ factors: spec.factors, scenarios: SCENARIOS, chunk: NUMPY_CHUNK, seed: SEED }),
    );

    await keel(spec, 2 * CHUNK_SCENARIOS * resourceLimits().monteCarloWorkers); // start the threads, warm the JIT
    const ours = await keel(spec, SCENARIOS);
    const pythons = [PYTHON, otherNumpyPython()].filter((p): p is string => p !== null);
    const refs = pythons.flatMap((python, k) => {
      try {
        const ref = runPythonWith<{ seconds: number; numpy: string; blas: string; python: string }>(
          python,
          'bench/credit_numpy.py',
          dir,
          String(k),
        );
        const bytes = readFileSync(join(dir, `losses-${k}.bin`));
        const losses = new Float64Array(
          bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        );
        return [{ ...ref, losses, measures: riskMeasures(losses, LEVELS) }];
      } catch (error) {
        console.log(`${python}: skipped (${(error as Error).message.split('\n')[0]})`);
        return [];
      }
    });

    console.log(
      `\nPortfolio credit losses, multi-factor Gaussian copula (27 sub-area factors), ${OBLIGORS.toLocaleString('en-US')} obligors × ${SCENARIOS.toLocaleString('en-US')} scenarios (synthetic portfolio, ${groups.threshold.length} groups of PD × factor)`,
    );
    console.log('implementation'.padEnd(58), 'seconds'.padStart(9), 'ratio'.padStart(7));
    console.log(
      `Keel (${resourceLimits().monteCarloWorkers} worker threads, ${cpus().length} cores)`.padEnd(58),
      ours.seconds.toFixed(3).padStart(9),
    );
    for (const [k, ref] of refs.entries()) {
      console.log(
        `np${k + 1} numpy ${ref.numpy} (${ref.blas}), vectorised`.padEnd(58),
        ref.seconds.toFixed(3).padStart(9),
        `${(ours.seconds / ref.seconds).toFixed(2)}×`.padStart(7),
      );
    }
    for (const [k, ref] of refs.entries()) console.log(`np${k + 1}: ${ref.python}`);
    if (existsSync(SYSTEM_BLAS)) console.log(`system libblas: ${realpathSync(SYSTEM_BLAS)}`);
    console.log(
      "ratio = Keel ÷ numpy (goal ≤ 1.0×); numpy's generator and ndtr run on one thread, its matrix-vector product on the BLAS's threads",
    );

    const a = meanAndError(ours.losses);
    console.log(`\nanalytic EL Σ PD × LGD × EAD: ${money(analyticEl)}`);
    const row = (name: string, losses: Float64Array, m: ReturnType<typeof riskMeasures>) =>
      console.log(
        name.padEnd(10),
        `EL ${money(meanAndError(losses).mean)} ± ${money(meanAndError(losses).standardError)}`.padEnd(24),
        LEVELS.map(
          (q, i) => `VaR ${q} ${money(m.valueAtRisk[i]!)}  ES ${money(m.expectedShortfall[i]!)}`,
        ).join('   '),
      );
    row('Keel', ours.losses, ours.measures);
    for (const [k, ref] of refs.entries()) row(`np${k + 1}`, ref.losses, ref.measures);
    let agree = Math.abs(a.mean - analyticEl) < 4 * a.standardError;
    console.log(
      `Keel mean vs analytic EL: ${((a.mean - analyticEl) / a.standardError).toFixed(2)} standard errors (within 4: ${agree ? 'yes' : 'NO'})`,
    );
    for (const [k, ref] of refs.entries()) {
      const b = meanAndError(ref.losses);
      const z = (a.mean - b.mean) / Math.hypot(a.standardError, b.standardError);
      const ks = ksDistance(ours.losses, ref.losses);
      // 0.1% critical value of the two-sample KS statistic: 1.95 · √((n + m)/(n·m)).
      const critical = 1.95 * Math.sqrt(2 / SCENARIOS);
      const ok = Math.abs(z) < 4 && ks < critical;
      agree &&= ok;
      console.log(
        `Keel vs np${k + 1}: means differ by ${z.toFixed(2)} standard errors (within 4), KS distance ${ks.toFixed(4)} (0.1% critical ${critical.toFixed(4)}): ${ok ? 'agree' : 'DISAGREE'}`,
      );
    }
    console.log(
      `load average when done: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (${cpus().length} cores)`,
    );
    if (!agree) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
