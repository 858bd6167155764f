/**
 * `keel credit portfolio-risk` through the real `keel` child process: the JSON answer equals the use case's
 * (seeded, so the same in another process), the table names EL, VaR and ES, and a bad flag is a usage error
 * naming it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { portfolioRisk, portfolioRiskInputSchema } from '../../src/app/credit/portfolio-risk.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';
import { seedDeals } from './fixtures.ts';

const FLAGS = ['--pd', '0.03', '--lgd', '0.5', '--scenarios', '6000', '--seed', '5'];

describeOnBackends('keel credit portfolio-risk', (backend) => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    const loans = await seedDeals(keel, { prefix: 'cli-loan', count: 4, subAreaId: 'solar' });
    for (const [i, id] of loans.entries()) {
      await recordLedgerEntry(keel, testAdmin, {
        clientKey: `cli-loan-${i}`,
        dealId: id,
        kind: 'commitment',
        amount: cents(80_000_000n),
        effectiveOn: asIsoDate('2026-03-01'),
      });
    }
    await keel.closeConnection();
  });
  afterAll(async () => {
    keel = await keel.reopen();
    await keel.close();
  });

  it('--json prints what the use case answers, and the table names EL, VaR and ES', async () => {
    const run = await runKeel(
      ['credit', 'portfolio-risk', ...FLAGS, '--level', 'core_area', '--json'],
      keel.env,
    );
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed).toMatchObject({ obligors: 4, exposure: '320000000', scenarios: 6000, seed: 5 });
    keel = await keel.reopen();
    const input = portfolioRiskInputSchema.parse({
      pd: 0.03,
      lgd: 0.5,
      scenarios: 6000,
      seed: 5,
      factorLevel: 'core_area',
    });
    const direct = await portfolioRisk(keel, testAdmin, input);
    expect(printed).toEqual(
      JSON.parse(JSON.stringify(direct, (_, v) => (typeof v === 'bigint' ? `${v}` : v))),
    );
    await keel.closeConnection();

    const text = await runKeel(['credit', 'portfolio-risk', ...FLAGS], keel.env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /4 obligors, exposure \$3\.20M, 6,000 scenarios, seed 5, one factor per sub-area/,
    );
    expect(text.stdout).toMatch(/VaR 0\.999/);
    expect(text.stdout).toMatch(/ES 0\.99 /);
  });

  it('refuses a bad flag with exit code 2, naming it', async () => {
    for (const [flags, message] of [
      [['--scenarios', '0'], /--scenarios: must be at least 1/],
      [['--scenarios', 'many'], /--scenarios: must be a whole number/],
      [['--confidence', '1.5'], /--confidence: levels must be less than 1/],
      [['--level', 'planet'], /--level: /],
      [['--pd', '2'], /--pd: must be less than 1/],
    ] as const) {
      const run = await runKeel(['credit', 'portfolio-risk', ...FLAGS, ...flags], keel.env);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
