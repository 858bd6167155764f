/**
 * `keel credit stress` through the real `keel` child process: --json prints what the use case answers, the
 * table names the downgraded borrower and the EL change, and an unknown scenario is refused by name.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { facilityInputSchema, openFacility } from '../../src/app/credit/facilities.ts';
import { assignGrade } from '../../src/app/credit/grades.ts';
import { creditStress } from '../../src/app/credit/stress.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';
import { seedDeals } from './fixtures.ts';

const M = 100_000_000n;
const SCENARIO = 'gallium-germanium-export-ban';

describeOnBackends('keel credit stress', (backend) => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    const [deal] = await seedDeals(keel, { prefix: 'scli', count: 1, subAreaId: 'secure-communications' });
    for (const [kind, amount] of [
      ['commitment', 10n * M],
      ['draw', 4n * M],
    ] as const)
      await recordLedgerEntry(keel, testAdmin, {
        clientKey: `scli-${kind}`,
        dealId: deal!,
        kind,
        amount: cents(amount),
        effectiveOn: asIsoDate('2026-02-01'),
      });
    await openFacility(
      keel,
      testAdmin,
      'scli-open',
      facilityInputSchema.parse({
        id: 'scli-loan',
        dealId: deal,
        terms: {
          commitment: '10,000,000.00',
          startsOn: '2026-01-01',
          availabilityEndsOn: '2099-12-30',
          maturityOn: '2099-12-31',
          amortisation: { kind: 'bullet' },
          interest: { kind: 'fixed', rate: '0.06' },
          dayCount: 'ACT/360',
          paymentFrequency: 'quarterly',
          businessDayRule: 'following',
          fees: { upfrontBps: 0, commitmentFeeBps: 0 },
          seniority: 'senior_unsecured',
          source: 'synthetic (test)',
        },
      }),
    );
    await assignGrade(keel, testAdmin, 'scli-grade', 'scli-0-co', { grade: 4, reason: 'BBB-equivalent' });
    await keel.closeConnection();
  });
  afterAll(async () => {
    keel = await keel.reopen();
    await keel.close();
  });

  it('--json prints what the use case answers; the table shows the downgrade and the EL change', async () => {
    const run = await runKeel(['credit', 'stress', '--scenario', SCENARIO, '--json'], keel.env);
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed.obligors[0]).toMatchObject({
      grade: 4,
      notches: 2,
      stressedGrade: 6,
      stressedEl: '11207250',
    });
    keel = await keel.reopen();
    const direct = await creditStress(keel, testAdmin, { scenario: SCENARIO, asOf: printed.asOf });
    expect(printed).toEqual(
      JSON.parse(JSON.stringify(direct, (_, v) => (typeof v === 'bigint' ? `${v}` : v))),
    );
    await keel.closeConnection();

    const text = await runKeel(['credit', 'stress', '--scenario', SCENARIO], keel.env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Synthetic scli-0');
    expect(text.stdout).toMatch(/EL \$5,355\.00 → \$112,072\.50 \(change \$106,717\.50\)/);
    expect(text.stdout).toContain("research team's setting for a lasting policy shock");
  });

  it('refuses an unknown scenario by name, and a missing one as a usage error', async () => {
    const unknown = await runKeel(['credit', 'stress', '--scenario', 'no-such'], keel.env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no scenario "no-such"/);
    const missing = await runKeel(['credit', 'stress'], keel.env);
    expect(missing.code, missing.stderr).toBe(2);
  });
});
