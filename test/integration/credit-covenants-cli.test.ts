/** `keel credit financials`, `covenants` and `watchlist` through the real `keel` child process. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addCovenant, covenantInputSchema } from '../../src/app/credit/covenants.ts';
import { castCreditVote, putCreditQuestion } from '../../src/app/credit/credit-questions.ts';
import { facilityInputSchema, openFacility } from '../../src/app/credit/facilities.ts';
import { questionInputSchema } from '../../src/domain/credit/questions.ts';
import { EXAMPLE_FACILITY_TERMS } from '../fixtures/facility-terms.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';
import { seedDeals } from './fixtures.ts';

describeOnBackends('keel credit financials / covenants / watchlist', (backend) => {
  let keel: TestKeel;
  const dir = mkdtempSync(join(tmpdir(), 'keel-cov-'));
  beforeAll(async () => {
    keel = await freshKeel(backend);
    const [deal] = await seedDeals(keel, { prefix: 'cli-cov', count: 1, instrument: 'term_loan' });
    await openFacility(
      keel,
      testAdmin,
      'open',
      facilityInputSchema.parse({ id: 'cli-cov-tl', dealId: deal, terms: EXAMPLE_FACILITY_TERMS }),
    );
    await addCovenant(
      keel,
      testAdmin,
      'cov',
      'cli-cov-tl',
      covenantInputSchema.parse({
        kind: 'min_dscr',
        threshold: '1.25',
        firstTestOn: '2026-03-31',
        everyMonths: 3,
      }),
    );
    await keel.closeConnection();
  });
  afterAll(async () => {
    keel = await keel.reopen();
    await keel.close();
  });

  it('imports financials from CSV once per key, tests the covenant and lists the breach', async () => {
    const file = join(dir, 'fin.csv');
    writeFileSync(
      file,
      'company_id,period_end,ebitda,net_debt,cfads,debt_service,liquidity\n' +
        'cli-cov-0-co,2026-03-31,1000000.00,2000000.00,1250000.00,1000000.00,50000.00\n' +
        'cli-cov-0-co,2026-06-30,1000000.00,2000000.00,1249999.99,1000000.00,50000.00\n',
    );
    const first = await runKeel(['credit', 'financials', file, '--key', 'k1'], keel.env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/2 period\(s\) of financials recorded/);
    const again = await runKeel(['credit', 'financials', file, '--key', 'k1'], keel.env);
    expect(again.stdout).toMatch(/replayed; nothing changed/);
    const tests = await runKeel(['credit', 'covenants', 'cli-cov-tl', '--as-of', '2026-09-30'], keel.env);
    expect(tests.code, tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/2026-03-31.*pass.*1\.25×/);
    expect(tests.stdout).toMatch(/2026-06-30.*BREACH/);
    expect(tests.stdout).toMatch(/2026-09-30.*not tested/);
    const list = await runKeel(['credit', 'watchlist', '--as-of', '2026-09-30', '--json'], keel.env);
    expect(list.code, list.stderr).toBe(0);
    const parsed = JSON.parse(list.stdout);
    expect(parsed.count).toBe(1);
    expect(parsed.obligors[0].breaches[0].testOn).toBe('2026-06-30');
  });

  it('puts a breach to the committee, decides it (not by whoever put it) and applies it once', async () => {
    const put = await runKeel(
      [
        'credit',
        'question',
        'cli-cov-tl',
        '--kind',
        'waiver',
        '--covenant',
        '1',
        '--test-on',
        '2026-06-30',
      ].concat(['--reason', 'waive the June DSCR test', '--date', '2026-07-15']),
      keel.env,
    );
    expect(put.code, put.stderr).toBe(0);
    expect(put.stdout).toMatch(/credit question 1: waiver of cli-cov-tl/);
    // A second question, put by a banker, and the members' votes on both (cast signed in, not from the CLI).
    keel = await keel.reopen();
    const banker = { id: 'cli-banker', role: 'banker' } as const;
    await putCreditQuestion(
      keel,
      banker,
      'q2',
      questionInputSchema.parse({
        facilityId: 'cli-cov-tl',
        kind: 'waiver',
        covenantId: 1,
        testOn: '2026-06-30',
        summary: 'waive the June DSCR test, as the banker asks',
        meetingOn: '2026-07-15',
      }),
    );
    for (const question of [1n, 2n])
      for (const member of ['cli-ic-1', 'cli-ic-2', 'cli-ic-3'])
        await castCreditVote(keel, { id: member, role: 'investment_committee' }, `${question}-${member}`, {
          questionId: question,
          vote: 'for',
        });
    await keel.closeConnection();
    const own = await runKeel(['credit', 'decide', '1', 'approve', '--date', '2026-07-15'], keel.env);
    expect(own.code).not.toBe(0);
    expect(own.stderr).toMatch(/four eyes/);
    const decided = await runKeel(['credit', 'decide', '2', 'approve', '--date', '2026-07-15'], keel.env);
    expect(decided.code, decided.stderr).toBe(0);
    expect(decided.stdout).toMatch(/credit question 2: approve \(for 3, against 0, abstain 0\)/);
    const applied = await runKeel(['credit', 'apply', '2', '--key', 'apply-2'], keel.env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/covenant 1 at 2026-06-30: waiver, as credit question 2 approved/);
    expect((await runKeel(['credit', 'apply', '2', '--key', 'apply-2'], keel.env)).stdout).toMatch(
      /replayed/,
    );
    const twice = await runKeel(['credit', 'apply', '2'], keel.env);
    expect(twice.code).not.toBe(0);
    expect(twice.stderr).toMatch(/already/);
    const list = await runKeel(['credit', 'questions', 'cli-cov-tl'], keel.env);
    expect(list.stdout).toMatch(
      /2 .*waiver of covenant 1 at 2026-06-30.*3\/0\/0.*approve \(2026-07-15\).*yes/,
    );
  });

  it('refuses a file with a bad header or a negative debt service, recording nothing', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'company_id,period_end,ebitda,net_debt,cfads,debt_service,liquidity\ncli-cov-0-co,2026-12-31,1.00,1.00,1.00,-1.00,1.00\n',
    );
    const refused = await runKeel(['credit', 'financials', bad], keel.env);
    expect(refused.code).toBe(2);
    const header = join(dir, 'header.csv');
    writeFileSync(header, 'company,period\n');
    expect((await runKeel(['credit', 'financials', header], keel.env)).code).toBe(2);
    const list = await runKeel(
      ['credit', 'covenants', 'cli-cov-tl', '--as-of', '2026-12-31', '--json'],
      keel.env,
    );
    expect(JSON.parse(list.stdout).covenants[0].tests.at(-1).status).toBe('not_tested');
  });
});
