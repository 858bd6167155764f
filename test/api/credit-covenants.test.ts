import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { watchlistAsOf } from '../../src/app/credit/covenants.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import {
  type ApiFixture,
  addCommitteeMembers,
  apiFixture,
  decidedCreditQuestion,
  EXAMPLE_FACILITY_TERMS,
} from './helpers.ts';

describeOnBackends('credit covenants and watchlist API', (backend) => {
  let f: ApiFixture;
  let loan = '';
  let company = '';
  beforeAll(async () => {
    f = await apiFixture(backend);
    [loan] = (await seedDeals(f.keel, {
      prefix: 'cov-loan',
      count: 1,
      instrument: 'term_loan',
      stage: 'committee',
    })) as [string];
    company = `${loan}-co`;
  });
  afterAll(() => f.close());

  const get = (url: string, role: keyof ApiFixture['tokens'] = 'risk_compliance') =>
    f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${f.tokens[role]}` } });
  const postAs = (token: string, url: string, key: string, payload: object) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
      payload,
    });
  const post = (url: string, key: string, payload: object, role: keyof ApiFixture['tokens'] = 'banker') =>
    postAs(f.tokens[role], url, key, payload);
  const count = async (table: string) =>
    Number(
      (
        await sql<{ n: bigint }>`SELECT count(*)::bigint AS n FROM ${sql.table(table)}`.execute(
          f.keel.database.db,
        )
      ).rows[0]!.n,
    );
  const period = (periodEnd: string, over: Record<string, string> = {}) => ({
    companyId: company,
    periodEnd,
    ebitda: '10000000.00',
    netDebt: '30000000.00',
    cfads: '6000000.00',
    debtService: '5000000.00',
    liquidity: '2000000.00',
    ...over,
  });

  it("tests covenants exactly, lists a breach on the watchlist, and clears it only with the committee's approval of that action", async () => {
    expect(
      (
        await post('/api/credit/facilities', 'cov-fac', {
          id: 'cov-tl',
          dealId: loan,
          terms: EXAMPLE_FACILITY_TERMS,
        })
      ).statusCode,
    ).toBe(200);
    const added = await post('/api/credit/facilities/cov-tl/covenants', 'cov-add-1', {
      kind: 'max_leverage',
      threshold: '3.5',
      firstTestOn: '2026-03-31',
      everyMonths: 3,
    });
    expect(added.statusCode, added.body).toBe(200);
    const covenantId = added.json().result.id as string;
    // The same key twice inserts once.
    const replay = await post('/api/credit/facilities/cov-tl/covenants', 'cov-add-1', {
      kind: 'max_leverage',
      threshold: '3.5',
      firstTestOn: '2026-03-31',
      everyMonths: 3,
    });
    expect(replay.json().replayed).toBe(true);
    expect(await count('credit_covenants')).toBe(1);

    // March passes at exactly 3.0×; June breaches (4.0×); September has no financials.
    const recorded = await post('/api/credit/financials', 'cov-fin-1', {
      rows: [period('2026-03-31'), period('2026-06-30', { netDebt: '40000000.00' })],
    });
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json().result.recorded).toBe(2);

    const tests = (await get('/api/credit/facilities/cov-tl/covenants?asOf=2026-09-30')).json();
    expect(tests.covenants[0].tests.map((t: { status: string }) => t.status)).toEqual([
      'pass',
      'breach',
      'not_tested',
    ]);
    expect(tests.covenants[0].tests[1].actual).toBe('4.00');

    const listed = (await get('/api/credit/watchlist?asOf=2026-09-30')).json();
    expect(listed.count).toBe(1);
    expect(listed.obligors[0].companyName).toBeTruthy();
    expect(listed.obligors[0].breaches[0]).toMatchObject({ testOn: '2026-06-30', facilityId: 'cov-tl' });

    const action = {
      covenantId,
      testOn: '2026-06-30',
      action: 'waiver',
      note: 'waived for one quarter by the committee',
    };
    // Without a question, or with one that does not exist: refused, nothing recorded.
    expect(
      (await post('/api/credit/watchlist/actions', 'cov-act-0', { ...action, committeeDecisionId: 1 }))
        .statusCode,
    ).toBe(400);
    expect(
      (await post('/api/credit/watchlist/actions', 'cov-act-00', { ...action, questionId: 999 })).statusCode,
    ).toBe(404);
    // A test date that passed is not a breach to act on.
    expect(
      (
        await post('/api/credit/watchlist/actions', 'cov-act-p', {
          ...action,
          testOn: '2026-03-31',
          questionId: 1,
        })
      ).statusCode,
    ).toBe(400);

    const members = await addCommitteeMembers(f.keel, ['cov-ic-1', 'cov-ic-2', 'cov-ic-3']);
    const question = await decidedCreditQuestion(f, members, 'cov-question', {
      facilityId: 'cov-tl',
      kind: 'waiver',
      covenantId,
      testOn: '2026-06-30',
      summary: 'waive the June leverage test for one quarter',
      meetingOn: '2026-07-15',
    });
    const ok = await post('/api/credit/watchlist/actions', 'cov-act-1', { ...action, questionId: question });
    expect(ok.statusCode, ok.body).toBe(200);
    const twice = await post('/api/credit/watchlist/actions', 'cov-act-2', {
      ...action,
      questionId: question,
    });
    expect(twice.statusCode).toBe(409);
    expect(await count('credit_watchlist_actions')).toBe(1);
    expect((await get('/api/credit/watchlist?asOf=2026-09-30')).json().count).toBe(0);
    const after = (await get('/api/credit/facilities/cov-tl/covenants?asOf=2026-09-30')).json();
    expect(after.covenants[0].tests[1].action.action).toBe('waiver');
  });

  it("a quarter's report counts the watchlist as it stood: a waiver recorded after the quarter end does not clear it", async () => {
    // The waiver above was recorded today, after 30 September 2026.
    expect((await watchlistAsOf(f.keel.database.db, '2026-09-30')).count).toBe(0);
    const asItStood = await watchlistAsOf(f.keel.database.db, '2026-09-30', {
      actionsRecordedBy: '2026-09-30',
    });
    expect(asItStood.count).toBe(1);
    expect(asItStood.obligors[0]!.breaches[0]).toMatchObject({ testOn: '2026-06-30', action: null });
  });

  it('a correction is a new version with its reason: the covenant test reads it, the first version is kept', async () => {
    const correction = {
      ...period('2026-06-30'),
      replacesVersion: 1,
      reason: 'net debt restated: a lease was counted twice',
    };
    // The deal team that entered the figures may not correct them: a correction can clear a breach.
    const byBanker = await post('/api/credit/financials/corrections', 'cov-correct-0', correction);
    expect(byBanker.statusCode).toBe(403);
    const corrected = await post(
      '/api/credit/financials/corrections',
      'cov-correct-1',
      correction,
      'risk_compliance',
    );
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json().result).toEqual({ companyId: company, periodEnd: '2026-06-30', version: 2 });
    const tests = (await get('/api/credit/facilities/cov-tl/covenants?asOf=2026-09-30')).json();
    // Net debt $30M / EBITDA $10M = 3.00×: June passes now.
    expect(tests.covenants[0].tests[1]).toMatchObject({ status: 'pass', actual: '3.00' });
    // The committee's waiver of the June breach stays recorded.
    expect(tests.covenants[0].tests[1].action.action).toBe('waiver');
    const versions = await sql<{ version: number; correction_reason: string | null; net_debt_cents: string }>`
      SELECT version, correction_reason, net_debt_cents::text FROM credit_borrower_financials
      WHERE company_id = ${company} AND period_end = '2026-06-30' ORDER BY version`.execute(
      f.keel.database.db,
    );
    expect(versions.rows).toEqual([
      { version: 1, correction_reason: null, net_debt_cents: '4000000000' },
      {
        version: 2,
        correction_reason: 'net debt restated: a lease was counted twice',
        net_debt_cents: '3000000000',
      },
    ]);
    // Without a reason, or for a period never recorded, nothing is written.
    const rows = await count('credit_borrower_financials');
    const noReason = await post(
      '/api/credit/financials/corrections',
      'cov-correct-2',
      { ...period('2026-06-30'), replacesVersion: 2 },
      'risk_compliance',
    );
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toMatch(/reason/);
    const never = await post(
      '/api/credit/financials/corrections',
      'cov-correct-3',
      { ...period('2031-03-31'), replacesVersion: 1, reason: 'a period that was never entered' },
      'risk_compliance',
    );
    expect(never.statusCode).toBe(404);
    expect(never.json().message).toMatch(/record them first/);
    // A correction of a version already corrected is refused (not silently overtaken), and whoever made the
    // latest version does not correct it again.
    const stale = await post(
      '/api/credit/financials/corrections',
      'cov-correct-4',
      correction,
      'risk_compliance',
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toMatch(/version 2 of these financials is the latest, not 1/);
    const own = await post(
      '/api/credit/financials/corrections',
      'cov-correct-5',
      { ...correction, replacesVersion: 2 },
      'risk_compliance',
    );
    expect(own.json().message).toMatch(/four eyes: you recorded these figures/);
    // A second entry of a recorded period points to the correction.
    const again = await post('/api/credit/financials', 'cov-fin-again', { rows: [period('2026-06-30')] });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/correct them/);
    expect(await count('credit_borrower_financials')).toBe(rows);
  });

  it('records financials all or nothing, once per company and period; a second person gets a 409, not a replay', async () => {
    const before = await count('credit_borrower_financials');
    const mixed = await post('/api/credit/financials', 'cov-fin-mixed', {
      rows: [period('2026-12-31'), period('2026-12-31', { companyId: 'no-such-company' })],
    });
    expect(mixed.statusCode).toBe(422);
    expect(await count('credit_borrower_financials')).toBe(before);
    const first = await post('/api/credit/financials', 'same-key', { rows: [period('2027-03-31')] });
    expect(first.statusCode).toBe(200);
    const other = await post(
      '/api/credit/financials',
      'same-key',
      { rows: [period('2027-03-31')] },
      'portfolio_manager',
    );
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toBe('duplicate_id');
    expect(await count('credit_borrower_financials')).toBe(before + 1);
  });

  it('refuses absurd input with 4xx and changes nothing', async () => {
    const covenants = await count('credit_covenants');
    const financials = await count('credit_borrower_financials');
    const bad: Array<[string, object]> = [
      ['/api/credit/financials', { rows: [period('2027-06-30', { debtService: '-1.00' })] }],
      ['/api/credit/financials', { rows: [period('2027-06-30', { ebitda: '1e30' })] }],
      ['/api/credit/financials', { rows: [period('2027-06-30', { liquidity: `${'9'.repeat(31)}.00` })] }],
      ['/api/credit/financials', { rows: [] }],
      ['/api/credit/financials', { rows: [period('2027-02-30')] }],
      [
        '/api/credit/facilities/cov-tl/covenants',
        { kind: 'max_leverage', threshold: `1${'0'.repeat(30)}`, firstTestOn: '2026-03-31', everyMonths: 3 },
      ],
      [
        '/api/credit/facilities/cov-tl/covenants',
        {
          kind: 'min_liquidity',
          threshold: `1${'0'.repeat(30)}.00`,
          firstTestOn: '2026-03-31',
          everyMonths: 3,
        },
      ],
      [
        '/api/credit/facilities/cov-tl/covenants',
        { kind: 'min_dscr', threshold: '1.2', firstTestOn: '2026-03-31', everyMonths: 5 },
      ],
      [
        '/api/credit/facilities/cov-tl/covenants',
        { kind: 'max_leverage', threshold: 3.5, firstTestOn: '2026-03-31', everyMonths: 3 },
      ],
      [
        '/api/credit/facilities/cov-tl/covenants',
        { kind: 'max_equity', threshold: '3.5', firstTestOn: '2026-03-31', everyMonths: 3 },
      ],
    ];
    for (const [n, [url, body]] of bad.entries()) {
      const response = await post(url, `absurd-${n}`, body);
      expect(response.statusCode, `${url} ${JSON.stringify(body)}`).toBe(400);
    }
    const unknown = await post('/api/credit/facilities/no-such-facility/covenants', 'absurd-unknown', {
      kind: 'min_dscr',
      threshold: '1.2',
      firstTestOn: '2026-03-31',
      everyMonths: 3,
    });
    expect(unknown.statusCode).toBe(404);
    expect((await get('/api/credit/facilities/no-such-facility/covenants')).statusCode).toBe(404);
    expect(await count('credit_covenants')).toBe(covenants);
    expect(await count('credit_borrower_financials')).toBe(financials);
  });

  it('a read token may not write; the council and the public side are refused', async () => {
    const created = await post('/api/tokens', 'cov-ro-token', { name: 'ro', scope: 'read' });
    const readOnly = created.json().result.token as string;
    expect(
      (
        await f.app.inject({
          method: 'GET',
          url: '/api/credit/watchlist',
          headers: { authorization: `Bearer ${readOnly}` },
        })
      ).statusCode,
    ).toBe(200);
    const write = await postAs(readOnly, '/api/credit/financials', 'cov-ro-1', {
      rows: [period('2028-03-31')],
    });
    expect(write.statusCode).toBe(403);
    for (const role of ['council_member', 'research_analyst'] as const) {
      expect((await get('/api/credit/watchlist', role)).statusCode).toBe(403);
      expect((await get('/api/credit/facilities/cov-tl/covenants', role)).statusCode).toBe(403);
      expect(
        (await post('/api/credit/financials', `cov-${role}`, { rows: [period('2028-06-30')] }, role))
          .statusCode,
      ).toBe(403);
    }
    // Risk and compliance reads the credit book but does not write it.
    expect(
      (await post('/api/credit/financials', 'cov-rc', { rows: [period('2028-09-30')] }, 'risk_compliance'))
        .statusCode,
    ).toBe(403);
  });
});
