/**
 * The credit book over the API: grades with who/when/why, EAD and EL from the ledger, arrears against the
 * schedule, concentration; and the attacks on the grade route (scope, role, public side, replays, absurd input).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

const M = 100_000_000n; // $1M in cents

const terms = (commitment: string, amortisation: 'bullet' | 'straight_line', maturityOn: string) => ({
  commitment,
  startsOn: '2026-01-01',
  availabilityEndsOn: '2026-12-31',
  maturityOn,
  amortisation: { kind: amortisation },
  interest: { kind: 'fixed', rate: '0.06' },
  dayCount: 'ACT/360',
  paymentFrequency: 'quarterly',
  businessDayRule: 'following',
  fees: { upfrontBps: 0, commitmentFeeBps: 0 },
  seniority: 'senior_unsecured',
  source: 'synthetic (test)',
});

describeOnBackends('credit book API', (backend) => {
  let f: ApiFixture;
  let bullet = '';
  let amortising = '';
  beforeAll(async () => {
    f = await apiFixture(backend);
    bullet = (await seedDeals(f.keel, { prefix: 'cb-bullet', count: 1, amount: 150n * M }))[0]!;
    amortising = (
      await seedDeals(f.keel, {
        prefix: 'cb-amort',
        count: 1,
        amount: 40n * M,
        subAreaId: 'semiconductors',
      })
    )[0]!;
    const book = async (
      key: string,
      dealId: string,
      kind: 'commitment' | 'draw' | 'repayment' | 'distribution',
      amount: bigint,
      on: string,
    ) =>
      recordLedgerEntry(f.keel, testAdmin, {
        clientKey: key,
        dealId,
        kind,
        amount: cents(amount),
        effectiveOn: asIsoDate(on),
      });
    await book('cb-1', bullet!, 'commitment', 150n * M, '2026-01-01');
    await book('cb-2', bullet!, 'draw', 100n * M, '2026-01-05');
    await book('cb-3', amortising!, 'commitment', 40n * M, '2026-01-01');
    await book('cb-4', amortising!, 'draw', 40n * M, '2026-01-02');
    await book('cb-5', amortising!, 'repayment', 10n * M, '2026-04-01');
    // April's coupon: $40M × 6% × 90 / 360 = $600,000, received as a distribution.
    await book('cb-6', amortising!, 'distribution', 600_000_00n, '2026-04-01');
    for (const [id, dealId, t] of [
      ['cb-bullet', bullet!, terms('150,000,000.00', 'bullet', '2031-01-01')],
      ['cb-amort', amortising!, terms('40,000,000.00', 'straight_line', '2027-01-01')],
    ] as const) {
      const opened = await post('/api/credit/facilities', `open-${id}`, { id, dealId, terms: t });
      expect(opened.statusCode, opened.body).toBe(200);
    }
  });
  afterAll(() => f.close());

  const get = (url: string, role: keyof ApiFixture['tokens'] = 'risk_compliance') =>
    f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${f.tokens[role]}` } });
  const post = (url: string, key: string, payload: object, token?: string) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token ?? f.tokens.banker}`, 'idempotency-key': key },
      payload,
    });
  const grades = (company: string) => `/api/credit/obligors/${company}/grades`;
  const historyLength = async (company: string) => (await get(grades(company))).json().history.length;

  it('an ungraded obligor shows EAD but no EL; a grade with a reason gives the hand-computed EL', async () => {
    const before = (await get('/api/credit/book?asOf=2026-11-30')).json();
    const row = before.facilities.find((x: { id: string }) => x.id === 'cb-bullet');
    // $100M drawn + 75% × $50M undrawn = $137.5M.
    expect(row.risk).toMatchObject({ drawn: '10000000000', undrawn: '5000000000', ead: '13750000000' });
    expect([row.risk.grade, row.risk.pd, row.risk.el]).toEqual([null, null, null]);
    expect(before.ungradedObligors.map((o: { key: string }) => o.key)).toContain('cb-bullet-0-co');

    const graded = await post(grades('cb-bullet-0-co'), 'grade-1', {
      grade: 4,
      reason: 'BBB-equivalent on the annual review of leverage and coverage',
    });
    expect(graded.statusCode, graded.body).toBe(200);
    expect(graded.json().result).toMatchObject({ grade: 4, category: 'BBB', pd: 0.0014 });

    const after = (await get('/api/credit/book?asOf=2026-11-30')).json();
    const risk = after.facilities.find((x: { id: string }) => x.id === 'cb-bullet').risk;
    // PD 0.14% × LGD 45% × $137,500,000 = $86,625.00.
    expect(risk).toMatchObject({ grade: 4, pd: 0.0014, lgd: 0.45, el: '8662500' });
    const obligor = after.totals.byObligor.find((o: { key: string }) => o.key === 'cb-bullet-0-co');
    expect(obligor).toMatchObject({ name: 'Synthetic cb-bullet-0', el: '8662500', ungradedEad: '0' });
    // The amortising facility's obligor is still ungraded: its EAD is counted apart from the EL.
    expect(after.totals.programme.ungradedEad).toBe(String(30n * M));
    expect(after.totals.programme.el).toBe('8662500');
    expect(after.totals.bySubArea.map((s: { name: string }) => s.name)).toContain('Semiconductors');
    // Concentration by EAD: $137.5M and $30M → shares 0.8209 and 0.1791.
    const total = 137.5 + 30;
    expect(after.concentration.hhiByObligor).toBeCloseTo((137.5 / total) ** 2 + (30 / total) ** 2, 12);
    expect(after.concentration.topObligors[0].name).toBe('Synthetic cb-bullet-0');
  });

  it('arrears: scheduled principal and interest fallen due against the ledger, and days past due', async () => {
    // $40M in four quarterly instalments of $10M (Apr 1, Jul 1, Oct 1, Jan 1); $10M repaid on Apr 1 with
    // April's coupon; July's instalment and its coupon ($30M × 6% × 91 / 360 = $455,000) are unpaid.
    const view = (await get('/api/credit/facilities/cb-amort?asOf=2026-08-15')).json();
    expect(view.book.arrears).toEqual({
      asOf: '2026-08-15',
      scheduledDue: String(20n * M),
      repaid: String(10n * M),
      arrears: String(10n * M),
      interestDue: String(1_055_000_00n),
      interestReceived: String(600_000_00n),
      interestArrears: String(455_000_00n),
      daysPastDue: 45,
      oldestUnpaidDueOn: '2026-07-01',
    });
    expect(view.book.companyName).toBe('Synthetic cb-amort-0');
    const list = (await get('/api/credit/facilities')).json();
    expect(list.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['cb-amort', 'cb-bullet']));
  });

  it('keeps the grade history with who, when and why, newest first', async () => {
    await post(
      grades('cb-bullet-0-co'),
      'grade-2',
      { grade: 5, reason: 'downgraded: the smelter restart slipped a year' },
      f.tokens.portfolio_manager,
    );
    const history = (await get(grades('cb-bullet-0-co'))).json();
    expect(history.current).toBe(5);
    expect(
      history.history.map((h: { grade: number; assignedBy: string }) => [h.grade, h.assignedBy]),
    ).toEqual([
      [5, 'portfolio-manager'],
      [4, 'banker'],
    ]);
    expect(history.history[0].reason).toBe('downgraded: the smelter restart slipped a year');
    expect(history.scale.pdFloor.sentence).toContain('0.03%');
  });

  it('the same request with the same key grades once; another person’s same key is their own', async () => {
    const company = 'cb-amort-0-co';
    const body = { grade: 3, reason: 'A-equivalent: strong contracted revenue' };
    const first = await post(grades(company), 'same-key', body);
    const again = await post(grades(company), 'same-key', body);
    expect([first.statusCode, again.statusCode]).toEqual([200, 200]);
    expect(again.json().replayed).toBe(true);
    expect(again.json().result.id).toBe(first.json().result.id);
    expect(await historyLength(company)).toBe(1);
    const other = await post(grades(company), 'same-key', body, f.tokens.admin);
    expect(other.statusCode).toBe(200);
    expect(other.json().replayed).toBe(false);
    expect(await historyLength(company)).toBe(2);
    // The same key with another request is refused and changes nothing.
    const changed = await post(grades(company), 'same-key', { ...body, grade: 7 });
    expect(changed.statusCode).toBeGreaterThanOrEqual(400);
    expect(changed.statusCode).toBeLessThan(500);
    expect(await historyLength(company)).toBe(2);
  });

  it('refuses a read token, a role without credit.write and the public side; they change nothing', async () => {
    const company = 'cb-amort-0-co';
    const before = await historyLength(company);
    const read = await post('/api/tokens', 'ro-credit', { name: 'read only', scope: 'read' });
    const readToken = read.json().result.token as string;
    const body = { grade: 8, reason: 'an attempt that must not be recorded' };
    expect((await post(grades(company), 'atk-1', body, readToken)).statusCode).toBe(403);
    for (const role of [
      'sector_specialist',
      'auditor',
      'risk_compliance',
      'research_analyst',
      'council_member',
    ] as const)
      expect((await post(grades(company), `atk-${role}`, body, f.tokens[role])).statusCode, role).toBe(403);
    expect(await historyLength(company)).toBe(before);
    for (const role of ['research_analyst', 'council_member', 'crossed_analyst'] as const)
      for (const url of [
        '/api/credit/book',
        '/api/credit/facilities',
        grades(company),
        '/api/credit/facilities/cb-amort',
      ])
        expect((await get(url, role)).statusCode, `${role} ${url}`).toBe(403);
  });

  it('absurd input is a 4xx naming the problem and changes nothing', async () => {
    const company = 'cb-amort-0-co';
    const before = await historyLength(company);
    const reason = 'a reason long enough to pass';
    const cases: Array<[string, object, number]> = [
      [company, { grade: 9, reason }, 400],
      [company, { grade: 0, reason }, 400],
      [company, { grade: 2.5, reason }, 400],
      [company, { grade: '4', reason }, 400],
      [company, { grade: 4, reason: '' }, 400],
      [company, { grade: 4, reason: '          ' }, 400],
      [company, { grade: 4, reason: 'x'.repeat(10_000) }, 400],
      [company, { grade: 4 }, 400],
      ['no-such-company', { grade: 4, reason }, 404],
      ['Not A Slug!', { grade: 4, reason }, 400],
    ];
    for (const [n, [who, body, status]] of cases.entries()) {
      const response = await post(grades(encodeURIComponent(who)), `absurd-${n}`, body);
      expect(
        response.statusCode,
        `${JSON.stringify(body).slice(0, 80)} → ${response.body.slice(0, 200)}`,
      ).toBe(status);
      expect(response.json().message).toBeTruthy();
    }
    expect(await historyLength(company)).toBe(before);
    expect((await get('/api/credit/book?asOf=2026-02-30')).statusCode).toBe(400);
  });

  it('the grade history is append-only in the database too', async () => {
    const db = f.keel.database.db;
    await expect(sql`UPDATE credit_obligor_grades SET grade = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM credit_obligor_grades`.execute(db)).rejects.toThrow(/append-only/);
    expect(await historyLength('cb-bullet-0-co')).toBe(2);
  });
});
