import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import {
  type ApiFixture,
  addCommitteeMembers,
  apiFixture,
  decidedCreditQuestion,
  EXAMPLE_FACILITY_TERMS,
} from './helpers.ts';

// The scipy-made fixture of the unit test (test/fixtures/irb-reference.py).
const reference = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'irb-reference.json'), 'utf8'),
) as { irb: Array<Record<string, number>> };

describeOnBackends('credit API', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());
  const get = (url: string, role: keyof ApiFixture['tokens'] = 'risk_compliance') =>
    f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${f.tokens[role]}` } });

  it('GET /api/credit/irb answers the IRB figures, equal to scipy to 1e-9', async () => {
    const c = reference.irb.find((r) => r.sales === 3 && r.pd === 0.005)!;
    const response = await get(`/api/credit/irb?pd=${c.pd}&lgd=${c.lgd}&maturity=${c.maturity}&sales=3`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    for (const key of ['correlation', 'maturityAdjustment', 'capitalK', 'riskWeight']) {
      expect(Math.abs(body[key] - c[key]!), key).toBeLessThan(1e-9);
    }
  });

  it('refuses bad figures with 400 naming the field, never a 5xx', async () => {
    for (const query of [
      'pd=1&lgd=0.45&maturity=2.5',
      'pd=0&lgd=0.45&maturity=2.5',
      'pd=0.01&lgd=2&maturity=2.5',
      'pd=0.01&lgd=0.45&maturity=0',
      'pd=0.01&lgd=0.45',
      'pd=1e-3&lgd=0.45&maturity=2.5',
      'pd=NaN&lgd=0.45&maturity=2.5',
      'pd=0.01&lgd=0.45&maturity=2.5&sales=-5',
      `pd=0.${'0'.repeat(400)}1&lgd=0.45&maturity=2.5`,
    ]) {
      const response = await get(`/api/credit/irb?${query}`);
      expect(response.statusCode, query).toBe(400);
    }
  });

  const post = (url: string, key: string, payload: object, role: keyof ApiFixture['tokens'] = 'banker') =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${f.tokens[role]}`, 'idempotency-key': key },
      payload,
    });

  it('opens a facility on a loan, shows its schedule in exact cents, and amends it only by a committee approval of the new terms', async () => {
    const [loan] = await seedDeals(f.keel, {
      prefix: 'credit-loan',
      count: 1,
      instrument: 'term_loan',
      stage: 'committee',
    });
    const opened = await post('/api/credit/facilities', 'fac-open-1', {
      id: 'tl-one',
      dealId: loan,
      terms: EXAMPLE_FACILITY_TERMS,
    });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().result).toEqual({ id: 'tl-one', dealId: loan, version: 1 });

    const view = await get('/api/credit/facilities/tl-one?referenceRate=0.043');
    expect(view.statusCode, view.body).toBe(200);
    const body = view.json();
    expect(body.terms.commitment).toBe('25000000000');
    expect(body.schedule.periods).toHaveLength(28);
    const principal = body.schedule.periods.reduce(
      (sum: bigint, p: { principal: string }) => sum + BigInt(p.principal),
      0n,
    );
    expect(principal).toBe(25_000_000_000n);
    expect(body.schedule.upfrontFee).toBe('250000000');
    // Never drawn: nothing falls due, however far on (the schedule assumes the commitment drawn).
    const later = (await get('/api/credit/facilities/tl-one?asOf=2030-01-01')).json();
    expect(later.book.arrears).toMatchObject({ scheduledDue: '0', interestDue: '0', daysPastDue: 0 });

    const again = await post('/api/credit/facilities', 'fac-open-2', {
      id: 'tl-one',
      dealId: loan,
      terms: EXAMPLE_FACILITY_TERMS,
    });
    expect(again.statusCode).toBe(409);
    // A second facility on the same deal would open new terms past the committee (and count the deal's
    // ledger twice): refused, pointing to the amendment.
    const second = await post('/api/credit/facilities', 'fac-open-3', {
      id: 'tl-two',
      dealId: loan,
      terms: { ...EXAMPLE_FACILITY_TERMS, commitment: '900,000,000.00' },
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toMatch(/already has facility "tl-one": new terms are an amendment/);

    const amended = { ...EXAMPLE_FACILITY_TERMS, interest: { kind: 'fixed', rate: '0.065' } };
    // Terms typed in with a committee decision are no longer an amendment; nor is a question not approved.
    const typed = await post('/api/credit/facilities/tl-one/terms', 'fac-amend-1', {
      terms: amended,
      committeeDecisionId: 999,
    });
    expect(typed.statusCode).toBe(400);
    const question = {
      facilityId: 'tl-one',
      kind: 'terms_amendment',
      terms: amended,
      summary: 'a fixed rate of 6.5% from the next period',
      meetingOn: '2026-06-01',
    };
    const put = await post('/api/credit/questions', 'fac-question-open', question);
    const undecided = await post('/api/credit/facilities/tl-one/terms', 'fac-amend-undecided', {
      questionId: put.json().result.id,
    });
    expect(undecided.statusCode).toBe(422);
    expect(undecided.json().error).toBe('committee_decision_required');

    // The committee's quorum votes on the question, then a chair other than whoever put it records.
    const members = await addCommitteeMembers(f.keel, ['ic-one', 'ic-two', 'ic-three']);
    const approved = await decidedCreditQuestion(f, members, 'fac-question', question);
    const ok = await post('/api/credit/facilities/tl-one/terms', 'fac-amend-2', { questionId: approved });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().result.version).toBe(2);
    const after = (await get('/api/credit/facilities/tl-one')).json();
    expect(after.version).toBe(2);
    expect(after.terms.interest).toEqual({ kind: 'fixed', rate: '0.065' });
    expect(after.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
  });

  it('refuses a facility on an equity deal (422) and hides facilities from the public side (403)', async () => {
    const equity = await post('/api/credit/facilities', 'fac-eq', {
      id: 'eq-fac',
      dealId: f.sentinelDeal,
      terms: EXAMPLE_FACILITY_TERMS,
    });
    expect(equity.statusCode).toBe(422);
    expect(equity.json().error).toBe('not_a_lending_deal');
    expect((await get('/api/credit/facilities/tl-one', 'research_analyst')).statusCode).toBe(403);
    expect((await get('/api/credit/facilities/nothing-here')).statusCode).toBe(404);
    const analyst = await post(
      '/api/credit/facilities',
      'fac-an',
      { id: 'an-fac', dealId: f.sentinelDeal, terms: EXAMPLE_FACILITY_TERMS },
      'research_analyst',
    );
    expect(analyst.statusCode).toBe(403);
  });

  it('is private side: a research analyst is refused', async () => {
    const response = await get('/api/credit/irb?pd=0.01&lgd=0.45&maturity=2.5', 'research_analyst');
    expect(response.statusCode).toBe(403);
  });
});
