import { describe, expect, it } from 'vitest';
import { beaTable, readBea } from '../../src/app/research/reference-data.ts';
import { createSweepHelper } from '../../src/app/research/sweep-helper.ts';
import { invert, isDiagonallyDominant, setSweepHelper } from '../../src/domain/research/inverse.ts';
import { parseBeaCells, sectorShockImpact } from '../../src/domain/research/io.ts';
import { get, identityMinus, matrix, multiply } from '../../src/domain/research/matrix.ts';
import { seededRandom } from '../../src/domain/synthetic.ts';

describe('input–output model against the published BEA tables', () => {
  // Reference: US Bureau of Economic Analysis, Benchmark Input-Output Accounts of the United States, 1997,
  // Table 7 "Industry-by-Commodity Total Requirements after Redefinitions" (IndbyComTRSum.txt), which the
  // BEA publishes to seven decimals. Keel recomputes it from Table 3 (make) and Table 5 (direct requirements).
  const TOLERANCE = 5e-5; // inputs are published rounded to 7 decimals; the inverse amplifies that rounding

  it('reproduces every cell of Table 7 within 5e-5', () => {
    const { model } = beaTable();
    const published = parseBeaCells(readBea('IndbyComTRSum.txt'));
    expect(published.length).toBeGreaterThan(17_000);
    const row = new Map(model.industries.map((c, i) => [c, i]));
    const col = new Map(model.commodities.map((c, i) => [c, i]));
    let worst = 0;
    for (const cell of published) {
      const diff = Math.abs(
        get(model.totalRequirements, row.get(cell.row) as number, col.get(cell.col) as number) - cell.value,
      );
      worst = Math.max(worst, diff);
    }
    expect(worst).toBeLessThan(TOLERANCE);
    // Spot check one published figure: crop production needed per dollar of crop deliveries to final use.
    expect(get(model.totalRequirements, row.get('1110') as number, col.get('1110') as number)).toBeCloseTo(
      1.0723377,
      4,
    );
  });

  it('a Leontief demand shock is at least the shock itself in the shocked industry', () => {
    const { model } = beaTable();
    const impact = sectorShockImpact(model, '3344', -0.1, 'demand');
    const own = impact.find((i) => i.industry === '3344');
    expect(own?.relative).toBeLessThanOrEqual(-0.1);
    const supply = sectorShockImpact(model, '2122', -0.1, 'supply');
    expect(supply.find((i) => i.industry === '331B')?.change).toBeLessThan(0);
  });

  it('inverts a matrix whose inverse is known, and refuses a singular one', () => {
    const m = matrix(2, 2);
    m.data.set([4, 7, 2, 6]); // inverse = [0.6 −0.7; −0.2 0.4]
    const inv = invert(m);
    expect([...inv.data].map((x) => Number(x.toFixed(12)))).toEqual([0.6, -0.7, -0.2, 0.4]);
    const id = multiply(m, inv);
    expect(get(id, 0, 0)).toBeCloseTo(1, 12);
    const singular = matrix(2, 2);
    singular.data.set([1, 2, 2, 4]);
    expect(() => invert(singular)).toThrow(/singular/);
    // A zero on the diagonal needs a row swap, undone as a column swap: [[0, 1], [1, 0]] is its own inverse.
    const swap = matrix(3, 3);
    swap.data.set([0, 2, 0, 1, 0, 0, 0, 0, 4]);
    expect([...invert(swap).data]).toEqual([0, 1, 0, 0.5, 0, 0, 0, 0, 0.25]);
    expect(get(identityMinus(m), 0, 0)).toBe(-3);
  });

  it('inverts diagonally dominant matrices by blocked sweeps: A·A⁻¹ = I at every size around the block edges', () => {
    const random = seededRandom(2026);
    for (const n of [1, 3, 4, 5, 15, 16, 17, 23, 24, 25, 33, 49, 50, 101, 130]) {
      const a = matrix(n, n);
      for (let j = 0; j < n; j++) {
        // column sums of A below 1, as in an input–output table; signs mixed to test more than M-matrices
        for (let i = 0; i < n; i++) a.data[i * n + j] = ((random() - 0.3) * 0.9) / n;
      }
      const m = identityMinus(a);
      expect(isDiagonallyDominant(m)).toBe(true);
      const product = multiply(m, invert(m));
      let worst = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(get(product, i, j) - (i === j ? 1 : 0)));
      expect(worst, `n = ${n}`).toBeLessThan(1e-13);
    }
    const notDominant = matrix(2, 2);
    notDominant.data.set([1, 2, 3, 1]);
    expect(isDiagonallyDominant(notDominant)).toBe(false);
    expect([...invert(notDominant).data].map((v) => Number(v.toFixed(12)))).toEqual([-0.2, 0.4, 0.6, -0.2]);
  });
});

describe('Leontief inverse on two threads', () => {
  it('gives bit-for-bit the result of one thread once the helper thread has attached', async () => {
    const n = 300; // the helper joins from a padded size of 256
    const random = seededRandom(7);
    const a = matrix(n, n);
    for (let k = 0; k < n * n; k++) a.data[k] = (random() * 1.6) / n;
    const m = identityMinus(a);
    setSweepHelper(null);
    const alone = invert(m);
    const helper = createSweepHelper(2_000);
    let jobs = 0;
    setSweepHelper({
      readyFor: (memory) => helper.readyFor(memory),
      start: (job) => {
        jobs++;
        helper.start(job);
      },
      finish: () => helper.finish(),
    });
    try {
      let together = invert(m); // the first call hands the memory over and runs alone
      for (let tries = 0; jobs === 0 && tries < 250; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        together = invert(m);
      }
      expect(jobs).toBeGreaterThan(0);
      let differing = 0;
      for (let k = 0; k < alone.data.length; k++) if (together.data[k] !== alone.data[k]) differing++;
      expect(differing).toBe(0);
    } finally {
      setSweepHelper(null);
      await helper.close();
    }
  });
});
