/**
 * POST /api/credit/portfolio-risk and its stream: the lending book's simulated loss distribution. Who may
 * call it (the private side; not the council, not the public side, not a read-scoped token), absurd input,
 * the empty book, the same answer twice and on one or two threads, progress events, cancellation.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { portfolioRisk } from '../../src/app/credit/portfolio-risk.ts';
import { openDeals } from '../../src/app/deals.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { configureResources, defaultResourceLimits } from '../../src/app/resource-limits.ts';
import { workerPoolStats } from '../../src/app/worker-pool.ts';
import { corporateCorrelation } from '../../src/domain/credit/irb.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture, serverSentEvents } from './helpers.ts';

const BODY = { pd: 0.02, lgd: 0.4, scenarios: 4_000, seed: 9, confidence: [0.99, 0.999] };

describeOnBackends('portfolio credit risk API', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(async () => {
    configureResources(defaultResourceLimits());
    await f.close();
  });

  const post = (payload: unknown, role: keyof ApiFixture['tokens'] = 'risk_compliance', stream = false) =>
    f.app.inject({
      method: 'POST',
      url: `/api/credit/portfolio-risk${stream ? '/stream' : ''}`,
      headers: { authorization: `Bearer ${f.tokens[role]}` },
      payload: payload as object,
    });

  const commit = (dealId: string, amount: bigint, key: string) =>
    recordLedgerEntry(f.keel, testAdmin, {
      clientKey: key,
      dealId,
      kind: 'commitment',
      amount: cents(amount),
      effectiveOn: asIsoDate('2026-03-01'),
    });

  it('a book without lending exposures answers 422 saying so (the fixture holds one equity deal only)', async () => {
    const response = await post(BODY);
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().error).toBe('empty_portfolio');
    expect(response.json().message).toMatch(/no borrower to simulate: no term_loan.*net commitment/);
  });

  it('simulates the lending book: obligors by borrower, exact exposure, EL, VaR and ES by the stated rule', async () => {
    const minerals = await seedDeals(f.keel, { prefix: 'pr-min', count: 3, amount: 500_000_000n });
    const ships = await seedDeals(f.keel, {
      prefix: 'pr-ship',
      count: 2,
      instrument: 'project_finance',
      subAreaId: 'shipbuilding',
      amount: 300_000_000n,
    });
    const solar = await seedDeals(f.keel, {
      prefix: 'pr-solar',
      count: 2,
      instrument: 'revolving_credit',
      subAreaId: 'solar',
      amount: 200_000_000n,
    });
    for (const [i, id] of [...minerals, ...ships, ...solar].entries())
      await commit(id, 150_000_000n, `pr-${i}`);
    // Not lending: an equity deal's commitment stays out of the credit portfolio.
    const [equity] = await seedDeals(f.keel, { prefix: 'pr-eq', count: 1, instrument: 'direct_equity' });
    await commit(equity!, 90_000_000n, 'pr-eq');

    const response = await post(BODY);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.obligors).toBe(7);
    expect(body.exposure).toBe('1050000000'); // 7 × $1.5M in cents, exactly
    expect(body.expectedLoss).toBeCloseTo(0.02 * 0.4 * 10_500_000, 6);
    expect(body.factorLevel).toBe('sub_area');
    expect(body.factors.map((x: { key: string }) => x.key)).toEqual([
      'critical-minerals',
      'shipbuilding',
      'solar',
    ]);
    expect(body.factors[1]).toMatchObject({ name: expect.any(String), obligors: 2, exposure: '300000000' });
    expect(body.measures.map((m: { confidence: number }) => m.confidence)).toEqual([0.99, 0.999]);
    for (const m of body.measures) {
      // Losses come in whole obligors: $1.5M × 0.4 = $600,000 each.
      expect(m.valueAtRisk % 600_000).toBe(0);
      expect(m.expectedShortfall).toBeGreaterThanOrEqual(m.valueAtRisk);
    }
    expect(body.quantileDefinition).toContain('⌈q·S⌉-th smallest');
    expect(body.correlationRule).toContain('¶272');
    expect(body.factorCorrelationSource).toContain('not a published figure');
    expect(body.assumptions).toEqual({ pd: 0.02, lgd: 0.4, correlation: null });

    // The same request again: the same answer (seeded, and chunks have fixed seeds).
    expect((await post(BODY)).json()).toEqual(body);
    // Another seed, other losses; the core-area level has one factor per core area.
    expect((await post({ ...BODY, seed: 10 })).json().measures).not.toEqual(body.measures);
    const areas = (await post({ ...BODY, factorLevel: 'core_area' })).json();
    expect(areas.factors.map((x: { key: string }) => x.key)).toEqual([
      'energy-independence-resilience',
      'supply-chain-advanced-manufacturing',
    ]);
  });

  it('gives the same losses on one thread as on two (chunks have fixed sizes and seeds)', async () => {
    configureResources({ ...defaultResourceLimits(), monteCarloWorkers: 1 });
    const one = (await post({ ...BODY, scenarios: 12_000 })).json();
    configureResources({ ...defaultResourceLimits(), monteCarloWorkers: 2 });
    const two = (await post({ ...BODY, scenarios: 12_000 })).json();
    expect(two).toEqual(one);
    configureResources(defaultResourceLimits());
  });

  it('streams progress by chunk of scenarios, then the result the plain route gives', async () => {
    const stream = await post({ ...BODY, scenarios: 12_000 }, 'portfolio_manager', true);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    const events = serverSentEvents(stream.body);
    expect(events.filter((e) => e.event === 'progress').at(-1)?.data).toEqual({
      done: 12_000,
      total: 12_000,
    });
    expect(events.at(-1)?.event).toBe('result');
    expect(events.at(-1)?.data).toEqual((await post({ ...BODY, scenarios: 12_000 })).json());
    // A refusal comes before the stream starts, with its own status.
    const refused = await post(BODY, 'council_member', true);
    expect(refused.statusCode).toBe(403);
  });

  it('stops the simulation when cancelled: no thread stays busy', async () => {
    const controller = new AbortController();
    const run = portfolioRisk(
      f.keel,
      { id: 'risk-compliance', role: 'risk_compliance' },
      { ...BODY, scenarios: 1_000_000, factorLevel: 'sub_area' },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    const monteCarlo = () => workerPoolStats().find((p) => p.kind === 'monte-carlo')!;
    for (let i = 0; i < 200 && monteCarlo().busy > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(monteCarlo().busy).toBe(0);
    expect(monteCarlo().waiting).toBe(0);
  });

  it('the private side may run it; the council, the public side and anonymous callers may not', async () => {
    for (const role of ['admin', 'portfolio_manager', 'banker', 'investment_committee', 'auditor'] as const) {
      expect((await post(BODY, role)).statusCode, role).toBe(200);
    }
    for (const role of ['council_member', 'research_analyst', 'crossed_analyst'] as const) {
      const response = await post(BODY, role);
      expect(response.statusCode, role).toBe(403);
      expect(response.body).not.toContain('pr-min');
    }
    const anonymous = await f.app.inject({
      method: 'POST',
      url: '/api/credit/portfolio-risk',
      payload: BODY,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('a read-scoped token is refused like on every POST route', async () => {
    const created = await f.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { authorization: `Bearer ${f.tokens.risk_compliance}`, 'idempotency-key': 'pr-ro' },
      payload: { name: 'ro', scope: 'read' },
    });
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/credit/portfolio-risk',
      headers: { authorization: `Bearer ${created.json().result.token}` },
      payload: BODY,
    });
    expect(response.statusCode).toBe(403);
  });

  it('refuses absurd input with 400 naming the field, never a 5xx', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ ...BODY, scenarios: 0 }, /scenarios.*at least 1/],
      [{ ...BODY, scenarios: 1e9 }, /scenarios.*at most 1,000,000/],
      [{ ...BODY, scenarios: 2.5 }, /scenarios.*whole number/],
      [{ ...BODY, scenarios: 500 }, /scenarios.*at least 1000 for confidence 0.999/],
      [{ ...BODY, confidence: [1.5] }, /confidence.*less than 1/],
      [{ ...BODY, confidence: [0] }, /confidence.*greater than 0/],
      [{ ...BODY, confidence: [] }, /confidence.*at least one level/],
      [{ ...BODY, pd: 0 }, /pd.*greater than 0/],
      // Ungraded obligors and deals without a facility are in this book: their fallbacks are needed.
      [{ ...BODY, pd: undefined }, /pd is needed: .* has no grade with a PD; grade it, or give pd/],
      [{ ...BODY, lgd: undefined }, /lgd is needed: the lending deal .* has no facility/],
      [{ ...BODY, lgd: 1.2 }, /lgd.*from 0 to 1/],
      [{ ...BODY, correlation: 1 }, /correlation.*below 1/],
      [{ ...BODY, seed: -1 }, /seed/],
      [{ ...BODY, factorLevel: 'planet' }, /factorLevel/],
      [{ ...BODY, scenarios: '4000' }, /scenarios/],
    ];
    for (const [payload, message] of cases) {
      const response = await post(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().message, JSON.stringify(payload)).toMatch(message);
    }
  });

  it('uses the IRB corporate correlation by PD unless the request sets one', async () => {
    const irb = (await post(BODY)).json();
    const flat = (await post({ ...BODY, correlation: corporateCorrelation(0.02) })).json();
    expect(flat.measures).toEqual(irb.measures);
    expect(flat.correlationRule).toBe('one correlation set in the request');
  });

  it('counts a borrower once: its loans add up, and its sector is that of its largest exposure', async () => {
    await openDeals(f.keel, testAdmin, 'pr-second-loan', [
      {
        id: 'pr-min-0-robot',
        companyId: 'pr-min-0-co',
        subAreaId: 'robotics',
        instrument: 'term_loan',
        amount: cents(500_000_000n),
        stage: 'approved',
        historicalDecisionRef: 'synthetic decision (test pr-second-loan)',
        classification: 'incremental',
        openedOn: asIsoDate('2026-01-15'),
        team: [],
        source: 'synthetic (test)',
        synthetic: true,
      },
    ]);
    await commit('pr-min-0-robot', 400_000_000n, 'pr-robot');
    const body = (await post(BODY)).json();
    expect(body.obligors).toBe(7);
    expect(body.exposure).toBe('1450000000');
    const factors = Object.fromEntries(
      body.factors.map((x: { key: string; obligors: number; exposure: string }) => [x.key, x]),
    );
    expect(factors['critical-minerals']).toMatchObject({ obligors: 2, exposure: '300000000' });
    expect(factors.robotics).toMatchObject({ obligors: 1, exposure: '550000000' });
  });

  it("a graded obligor's PD and its facility's book EAD and LGD reach the simulation; the rest fall back, counted", async () => {
    const dealId = 'pr-min-1';
    const opened = await f.app.inject({
      method: 'POST',
      url: '/api/credit/facilities',
      headers: { authorization: `Bearer ${f.tokens.banker}`, 'idempotency-key': 'pr-facility' },
      payload: {
        id: 'pr-min-1-loan',
        dealId,
        terms: {
          commitment: '1,500,000.00',
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
      },
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const graded = await f.app.inject({
      method: 'POST',
      url: '/api/credit/obligors/pr-min-1-co/grades',
      headers: { authorization: `Bearer ${f.tokens.banker}`, 'idempotency-key': 'pr-grade' },
      payload: { grade: 4, reason: 'BBB-equivalent on the annual review' },
    });
    expect(graded.statusCode, graded.body).toBe(200);
    const body = (await post(BODY)).json();
    // By hand: nothing drawn, $1.5M undrawn → EAD = 75% × $1.5M = $1,125,000; grade 4 → PD 0.14%; senior
    // unsecured → LGD 45%. The other obligors: $13M of net commitments at the request's 2% × 40%.
    expect(body.exposure).toBe(String(1_125_000_00 + 13_000_000_00));
    expect(body.expectedLoss).toBeCloseTo(0.0014 * 0.45 * 1_125_000 + 0.02 * 0.4 * 13_000_000, 6);
    expect(body.fallbacks).toMatchObject({ obligorsWithRequestPd: 6, dealsWithoutFacility: 7 });
    // The simulation draws the graded PD: the mean simulated loss stays near the analytic EL.
    const many = (await post({ ...BODY, scenarios: 200_000 })).json();
    expect(Math.abs(many.simulatedExpectedLoss - body.expectedLoss) / body.expectedLoss).toBeLessThan(0.05);
  });
});
