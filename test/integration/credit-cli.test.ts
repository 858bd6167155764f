import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKeel } from './cli.ts';

// The same scipy-made fixture as the unit test (test/fixtures/irb-reference.py).
const reference = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'irb-reference.json'), 'utf8'),
) as { irb: Array<Record<string, number>> };

describe('keel credit irb (needs no database)', () => {
  it('prints correlation, maturity adjustment, K and the risk weight as JSON, matching scipy to 1e-9', async () => {
    const c = reference.irb.find((r) => r.sales === 20 && r.pd === 0.02)!;
    const result = await runKeel(
      [
        'credit',
        'irb',
        '--pd',
        String(c.pd),
        '--lgd',
        String(c.lgd),
        '--maturity',
        String(c.maturity),
        '--sales',
        '20',
        '--json',
      ],
      process.env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    for (const key of ['correlation', 'maturityAdjustment', 'capitalK', 'riskWeight']) {
      expect(Math.abs(out[key] - c[key]!), key).toBeLessThan(1e-9);
    }
    expect(out.riskWeight).toBeCloseTo(out.capitalK * 12.5, 15);
  });

  it('refuses a bad or missing flag with exit code 2 and names the flag', async () => {
    const badPd = await runKeel(
      ['credit', 'irb', '--pd', '1.2', '--lgd', '0.45', '--maturity', '2.5'],
      process.env,
    );
    expect(badPd.code).toBe(2);
    expect(badPd.stderr).toMatch(/--pd: must be less than 1/);
    const missing = await runKeel(['credit', 'irb', '--pd', '0.01', '--maturity', '2.5'], process.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--lgd: is required/);
    const words = await runKeel(
      ['credit', 'irb', '--pd', '0.01', '--lgd', 'half', '--maturity', '2.5'],
      process.env,
    );
    expect(words.code).toBe(2);
    expect(words.stderr).toMatch(/--lgd: must be a decimal number/);
    const unknown = await runKeel(['credit', 'frobnicate'], process.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/keel credit irb --pd P/);
  });
});
