/**
 * npm run bench:propagation: one full shock propagation through a seeded synthetic firm-level network
 * (labelled synthetic: 1,000,000 nodes, 5,000,000 supplier edges, each firm buying from earlier firms)
 * in Keel (one depth-first pass, src/domain/research/propagation.ts) against scipy.sparse (Debian's
 * python3-scipy) iterating x ← min(1, seed + Wᵀx) to the same fixed point, in one run. Both read the same
 * arrays; the results are compared.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csrByTarget } from '../src/domain/research/graph.ts';
import { propagate } from '../src/domain/research/propagation.ts';
import { seededRandom } from '../src/domain/synthetic.ts';
import { ensureDebianPython, runPython } from './python-reference.ts';

const NODES = Number(process.env.BENCH_NODES ?? 1_000_000);
const EDGES = Number(process.env.BENCH_EDGES ?? 5_000_000);

function syntheticNetwork() {
  const random = seededRandom(20261125);
  const from = new Int32Array(EDGES);
  const to = new Int32Array(EDGES);
  const weight = new Float64Array(EDGES);
  for (let e = 0; e < EDGES; e++) {
    const j = 1 + Math.floor(random() * (NODES - 1));
    from[e] = Math.floor(random() * j);
    to[e] = j;
    weight[e] = 0.02 + 0.18 * random();
  }
  const seed = new Float64Array(NODES);
  for (let k = 0; k < NODES / 100; k++) seed[Math.floor(random() * NODES)] = random();
  return { from, to, weight, seed };
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

function main() {
  ensureDebianPython('scipy.sparse', 'python3-scipy');
  const net = syntheticNetwork();
  const dir = mkdtempSync(join(tmpdir(), 'keel-bench-propagation-'));
  try {
    for (const [name, array] of Object.entries(net)) writeFileSync(join(dir, `${name}.bin`), array);
    const warm = csrByTarget(NODES, net.from, net.to, net.weight);
    propagate(warm, net.seed);
    const t0 = process.hrtime.bigint();
    const csr = csrByTarget(NODES, net.from, net.to, net.weight);
    const build = seconds(t0);
    const t1 = process.hrtime.bigint();
    const result = propagate(csr, net.seed);
    const run = seconds(t1);
    const total = result.shortfall.reduce((s, x) => s + x, 0);
    const reference = runPython<{
      build: number;
      propagate: number;
      rounds: number;
      total: number;
      maxDiff: number;
    }>('bench/propagation_scipy.py', dir, String(NODES));
    writeFileSync(join(dir, 'keel.bin'), result.shortfall);
    const check = runPython<{ maxDiff: number }>('bench/propagation_scipy.py', dir, String(NODES), 'compare');
    console.log(
      `\nShock propagation, synthetic network: ${NODES.toLocaleString('en-US')} nodes, ${EDGES.toLocaleString('en-US')} edges, ${(NODES / 100).toLocaleString('en-US')} shocked`,
    );
    console.log('implementation'.padEnd(44), 'build s'.padStart(9), 'propagate s'.padStart(12));
    console.log(
      'Keel (CSR by target, one depth-first pass)'.padEnd(44),
      build.toFixed(3).padStart(9),
      run.toFixed(3).padStart(12),
    );
    console.log(
      `scipy.sparse (csr, ${reference.rounds} rounds to 1e-12)`.padEnd(44),
      reference.build.toFixed(3).padStart(9),
      reference.propagate.toFixed(3).padStart(12),
    );
    console.log(`ratio Keel/scipy, propagation: ${(run / reference.propagate).toFixed(2)}× (goal ≤ 1.0×)`);
    console.log(
      `ratio Keel/scipy, build + propagation: ${((build + run) / (reference.build + reference.propagate)).toFixed(2)}×`,
    );
    console.log(
      `total shortfall: Keel ${total.toFixed(6)}, scipy ${reference.total.toFixed(6)}; largest difference per node ${check.maxDiff.toExponential(2)}`,
    );
    if (check.maxDiff > 1e-9) throw new Error('Keel and scipy disagree');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
