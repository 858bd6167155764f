/**
 * POST /api/credit/stress: a shipped research scenario downgrades a known borrower and its EL moves by the
 * hand-computed amount (issue 16, "What must be shown"); the base EL does not move; VaR/ES base and stressed
 * from the same seed; who may call it; unknown scenario; absurd input.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

const M = 100_000_000n; // $1M in cents
const SCENARIO = 'gallium-germanium-export-ban';

const terms = {
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
};

describeOnBackends('credit stress API', (backend) => {
  let f: ApiFixture;
  const post = (payload: unknown, role: keyof ApiFixture['tokens'] = 'banker', token?: string) =>
    f.app.inject({
      method: 'POST',
      url: '/api/credit/stress',
      headers: { authorization: `Bearer ${token ?? f.tokens[role]}` },
      payload: payload as object,
    });
  const write = (url: string, key: string, payload: object) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${f.tokens.banker}`, 'idempotency-key': key },
      payload,
    });

  beforeAll(async () => {
    f = await apiFixture(backend);
    // A borrower in Secure communications, which the gallium/germanium ban hits through the graph, and one in
    // Shipbuilding, which it does not.
    const [hit] = await seedDeals(f.keel, {
      prefix: 'st-comms',
      count: 1,
      subAreaId: 'secure-communications',
      amount: 10n * M,
    });
    const [spared] = await seedDeals(f.keel, {
      prefix: 'st-ship',
      count: 1,
      subAreaId: 'shipbuilding',
      amount: 10n * M,
    });
    for (const [i, dealId] of [hit!, spared!].entries()) {
      for (const [kind, amount] of [
        ['commitment', 10n * M],
        ['draw', 4n * M],
      ] as const)
        await recordLedgerEntry(f.keel, testAdmin, {
          clientKey: `st-${i}-${kind}`,
          dealId,
          kind,
          amount: cents(amount),
          effectiveOn: asIsoDate('2026-02-01'),
        });
      const opened = await write('/api/credit/facilities', `st-open-${i}`, {
        id: `${dealId}-loan`,
        dealId,
        terms,
      });
      expect(opened.statusCode, opened.body).toBe(200);
      const graded = await write(`/api/credit/obligors/${dealId}-co/grades`, `st-grade-${i}`, {
        grade: 4,
        reason: 'BBB-equivalent at origination',
      });
      expect(graded.statusCode, graded.body).toBe(200);
    }
  });
  afterAll(() => f.close());

  it('a shipped scenario downgrades the known borrower by 2 notches and its EL moves by the hand-computed amount', async () => {
    const response = await post({ scenario: SCENARIO });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    const comms = body.obligors.find((o: { companyId: string }) => o.companyId === 'st-comms-0-co');
    // The research engine's shortfall for the borrower, through its sub-area: between 25% and 50% → 2 notches.
    expect(comms.shortfall).toBeGreaterThanOrEqual(0.25);
    expect(comms.shortfall).toBeLessThan(0.5);
    expect(comms.path).toContain('secure-communications');
    // By hand: EAD = $4M drawn + 75% × $6M undrawn = $8.5M; LGD 45% (senior unsecured).
    // Base: grade 4 (BBB), PD 0.14% → 0.0014 × 0.45 × $8,500,000 = $5,355.00.
    // Stressed: grade 4 + 2 = 6 (B), PD 2.93% → 0.0293 × 0.45 × $8,500,000 = $112,072.50.
    expect(comms).toMatchObject({
      grade: 4,
      notches: 2,
      stressedGrade: 6,
      ead: '850000000',
      baseEl: '535500',
      stressedEl: '11207250',
    });
    // The spared borrower keeps its grade and EL.
    const ship = body.obligors.find((o: { companyId: string }) => o.companyId === 'st-ship-0-co');
    expect(ship).toMatchObject({
      notches: 0,
      grade: 4,
      stressedGrade: 4,
      baseEl: '535500',
      stressedEl: '535500',
    });
    expect(body.totals).toMatchObject({
      baseEl: '1071000',
      stressedEl: String(11207250 + 535500),
      change: String(11207250 - 535500),
    });
    // The scenario carries its own mapping (data/research/scenarios.json), the default's thresholds.
    expect(body.mapping).toMatchObject({ from: 'scenario', version: 'scenario' });
    expect(body.mapping.assumption).toContain("research team's setting");
    expect(body.scenario.name).toContain('Gallium');
    // The base EL is the credit book's, unchanged by the stress.
    const book = await f.app.inject({
      method: 'GET',
      url: `/api/credit/book?asOf=${body.asOf}`,
      headers: { authorization: `Bearer ${f.tokens.banker}` },
    });
    expect(book.json().totals.programme.el).toBe('1071000');
  });

  it('with `simulate`: base and stressed VaR/ES from the same seed; the base is the portfolio-risk answer', async () => {
    const simulate = { pd: 0.02, lgd: 0.45, scenarios: 4_000, seed: 3, confidence: [0.99] };
    const body = (await post({ scenario: SCENARIO, simulate })).json();
    const risk = await f.app.inject({
      method: 'POST',
      url: '/api/credit/portfolio-risk',
      headers: { authorization: `Bearer ${f.tokens.banker}` },
      payload: simulate,
    });
    const { assumptions: _a, fallbacks: _f, ...plain } = risk.json();
    expect(body.simulation.base).toEqual(plain);
    // Analytic EL moves by the same amount as the exact one (in dollars).
    expect(body.simulation.stressed.expectedLoss - body.simulation.base.expectedLoss).toBeCloseTo(
      (11207250 - 535500) / 100,
      6,
    );
    expect(body.simulation.stressed.seed).toBe(3);
    expect(body.simulation.note).toContain('float dollars');
  });

  it('a book whose obligors are all graded, with a facility each, needs no fallback PD or LGD', async () => {
    const response = await f.app.inject({
      method: 'POST',
      url: '/api/credit/portfolio-risk',
      headers: { authorization: `Bearer ${f.tokens.risk_compliance}` },
      payload: { scenarios: 1_000, seed: 2, confidence: [0.99] },
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.assumptions).toEqual({ pd: null, lgd: null, correlation: null });
    expect(body.fallbacks).toMatchObject({ obligorsWithRequestPd: 0, dealsWithoutFacility: 0 });
    // Both borrowers: grade 4 (PD 0.14%), EAD $8.5M, LGD 45% → EL 2 × $5,355.
    expect(body.expectedLoss).toBeCloseTo(10_710, 6);
  });

  it('lists the shipped scenarios and the mapping', async () => {
    const list = await f.app.inject({
      method: 'GET',
      url: '/api/credit/stress/scenarios',
      headers: { authorization: `Bearer ${f.tokens.portfolio_manager}` },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().scenarios.map((s: { id: string }) => s.id)).toContain(SCENARIO);
    expect(list.json().mapping.thresholds).toHaveLength(3);
  });

  it('the private side may run it; the council and the public side may not; a read token is refused as on portfolio-risk', async () => {
    for (const role of ['admin', 'portfolio_manager', 'risk_compliance', 'auditor'] as const)
      expect((await post({ scenario: SCENARIO }, role)).statusCode, role).toBe(200);
    for (const role of ['council_member', 'research_analyst', 'crossed_analyst'] as const) {
      const response = await post({ scenario: SCENARIO }, role);
      expect(response.statusCode, role).toBe(403);
      expect(response.body).not.toContain('st-comms');
      const list = await f.app.inject({
        method: 'GET',
        url: '/api/credit/stress/scenarios',
        headers: { authorization: `Bearer ${f.tokens[role]}` },
      });
      expect(list.statusCode, role).toBe(403);
    }
    const created = await write('/api/tokens', 'st-ro', { name: 'ro', scope: 'read' });
    expect((await post({ scenario: SCENARIO }, 'banker', created.json().result.token)).statusCode).toBe(403);
    expect(
      (await f.app.inject({ method: 'POST', url: '/api/credit/stress', payload: { scenario: SCENARIO } }))
        .statusCode,
    ).toBe(401);
  });

  it("an analyst's scenario is stressed by its own notch mapping, or by the programme's default without one", async () => {
    const shocks = [
      {
        kind: 'export_restriction',
        country: 'CN',
        materials: ['gallium', 'germanium'],
        fraction: 1,
        months: 12,
      },
    ];
    const own = { assumption: 'analyst test: harsh', thresholds: [{ minShortfall: 0.05, notches: 4 }] };
    const saves = [
      ['st-harsh', { id: 'st-harsh', name: 'Harsh test', horizonMonths: 12, shocks, creditNotches: own }],
      ['st-plain', { id: 'st-plain', name: 'Plain test', horizonMonths: 12, shocks }],
    ] as const;
    for (const [key, scenario] of saves) {
      const saved = await f.app.inject({
        method: 'POST',
        url: '/api/research/scenarios',
        headers: { authorization: `Bearer ${f.tokens.research_analyst}`, 'idempotency-key': key },
        payload: scenario,
      });
      expect(saved.statusCode, saved.body).toBe(200);
    }
    const harsh = (await post({ scenario: 'st-harsh' })).json();
    expect(harsh.mapping).toMatchObject({ from: 'scenario', thresholds: own.thresholds });
    const comms = harsh.obligors.find((o: { companyId: string }) => o.companyId === 'st-comms-0-co');
    expect(comms.shortfall).toBeGreaterThanOrEqual(0.05);
    // 4 notches from grade 4 is 8, default: capped at 7 (CCC/C), PD 26.12% → 0.2612 × 0.45 × $8.5M = $999,090.
    expect(comms).toMatchObject({ notches: 4, stressedGrade: 7, stressedEl: '99909000' });
    const plain = (await post({ scenario: 'st-plain' })).json();
    expect(plain.mapping).toMatchObject({ from: 'programme', version: '2026-11-30' });
    expect(plain.mapping.assumption).toContain("programme's own assumption");
    const list = (
      await f.app.inject({
        method: 'GET',
        url: '/api/credit/stress/scenarios',
        headers: { authorization: `Bearer ${f.tokens.banker}` },
      })
    ).json();
    const ids = (own: boolean) =>
      list.scenarios
        .filter((s: { ownMapping: boolean }) => s.ownMapping === own)
        .map((s: { id: string }) => s.id);
    expect(ids(true)).toEqual(expect.arrayContaining(['st-harsh', SCENARIO]));
    expect(ids(false)).toContain('st-plain');
    // A mapping that does not rise in both is refused when the scenario is saved, naming the field.
    const bad = await f.app.inject({
      method: 'POST',
      url: '/api/research/scenarios',
      headers: { authorization: `Bearer ${f.tokens.research_analyst}`, 'idempotency-key': 'st-bad' },
      payload: {
        id: 'st-bad',
        name: 'Bad',
        horizonMonths: 12,
        shocks,
        creditNotches: {
          assumption: 'falls back',
          thresholds: [
            { minShortfall: 0.5, notches: 2 },
            { minShortfall: 0.2, notches: 3 },
          ],
        },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/creditNotches.*rise in both/);
  });

  it('an unknown scenario is a 404; absurd input a 400 naming the field', async () => {
    const unknown = await post({ scenario: 'no-such-scenario' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/no scenario "no-such-scenario"/);
    const cases: Array<[object, RegExp]> = [
      [{}, /scenario/],
      [{ scenario: '' }, /scenario/],
      [{ scenario: 'Robert"); DROP TABLE deals;--' }, /scenario/],
      [{ scenario: SCENARIO, asOf: 'yesterday' }, /asOf/],
      [{ scenario: SCENARIO, simulate: { pd: 0.02, lgd: 0.4, scenarios: 0 } }, /scenarios/],
      [{ scenario: SCENARIO, simulate: { pd: 2, lgd: 0.4 } }, /pd/],
      [{ scenario: SCENARIO, simulate: { pd: 'high', lgd: 0.4 } }, /pd/],
    ];
    for (const [payload, message] of cases) {
      const response = await post(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().message, JSON.stringify(payload)).toMatch(message);
    }
  });
});
