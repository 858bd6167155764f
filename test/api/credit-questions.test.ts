/**
 * Credit questions: an amendment of a facility's terms, or an action on a covenant breach, rests on the
 * committee's approval of that very question, taken under the deal rules (four eyes, conflicts, quorum), and
 * used once. The attacks: citing the deal's old approval, another facility's or another breach's question,
 * a waiver used to accelerate, an unapproved question, a question used twice.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { castCreditVote } from '../../src/app/credit/credit-questions.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import {
  type ApiFixture,
  addCommitteeMembers,
  apiFixture,
  decidedCreditQuestion,
  EXAMPLE_FACILITY_TERMS,
} from './helpers.ts';

describeOnBackends('credit questions before the committee', (backend) => {
  let f: ApiFixture;
  let members: string[] = [];
  let dealApproval = '';
  let covenantId = '';
  const amended = { ...EXAMPLE_FACILITY_TERMS, interest: { kind: 'fixed', rate: '0.065' } };

  const postAs = (token: string, url: string, key: string, payload: object) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
      payload,
    });
  const post = (url: string, key: string, payload: object) => postAs(f.tokens.banker, url, key, payload);
  const get = (url: string) =>
    f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${f.tokens.risk_compliance}` } });
  const count = async (table: string) =>
    Number(
      (
        await sql<{ n: bigint }>`SELECT count(*)::bigint AS n FROM ${sql.table(table)}`.execute(
          f.keel.database.db,
        )
      ).rows[0]!.n,
    );
  const termsQuestion = (facilityId: string, summary = 'a fixed rate of 6.5% for the rest of the term') => ({
    facilityId,
    kind: 'terms_amendment',
    terms: amended,
    summary,
    meetingOn: '2026-07-15',
  });
  const breachQuestion = (kind: string, testOn = '2026-06-30') => ({
    facilityId: 'cq-a',
    kind,
    covenantId,
    testOn,
    summary: `the committee's ${kind} of the leverage breach`,
    meetingOn: '2026-07-15',
  });
  const decided = (key: string, question: object, decision: 'approve' | 'decline' | 'defer' = 'approve') =>
    decidedCreditQuestion(f, members, key, question, decision);

  beforeAll(async () => {
    f = await apiFixture(backend);
    members = await addCommitteeMembers(f.keel, ['cq-ic-1', 'cq-ic-2', 'cq-ic-3', 'cq-ic-4']);
    const [loanA, loanB] = await seedDeals(f.keel, {
      prefix: 'cq-loan',
      count: 2,
      instrument: 'term_loan',
      stage: 'committee',
    });
    // Deal A's own approval, from before: the decision the old hole let anyone cite.
    for (const [n, member] of members.slice(0, 3).entries())
      await postAs(member, `/api/committee/deals/${loanA}/votes`, `cq-deal-vote-${n}`, { vote: 'for' });
    const approval = await postAs(f.tokens.admin, '/api/committee/decisions', 'cq-deal-decision', {
      dealId: loanA,
      decision: 'approve',
      decidedOn: '2026-01-15',
    });
    expect(approval.statusCode, approval.body).toBe(200);
    dealApproval = String(approval.json().result.id);
    for (const [id, dealId] of [
      ['cq-a', loanA],
      ['cq-b', loanB],
    ] as const)
      expect(
        (await post('/api/credit/facilities', `cq-open-${id}`, { id, dealId, terms: EXAMPLE_FACILITY_TERMS }))
          .statusCode,
      ).toBe(200);
    const covenant = await post('/api/credit/facilities/cq-a/covenants', 'cq-cov', {
      kind: 'max_leverage',
      threshold: '3.5',
      firstTestOn: '2026-03-31',
      everyMonths: 3,
    });
    covenantId = covenant.json().result.id;
    // March passes (3.0×); June and September breach (4.0×).
    const period = (periodEnd: string, netDebt: string) => ({
      companyId: `${loanA}-co`,
      periodEnd,
      ebitda: '10000000.00',
      netDebt,
      cfads: '6000000.00',
      debtService: '5000000.00',
      liquidity: '2000000.00',
    });
    const financials = await post('/api/credit/financials', 'cq-fin', {
      rows: [
        period('2026-03-31', '30000000.00'),
        period('2026-06-30', '40000000.00'),
        period('2026-09-30', '40000000.00'),
      ],
    });
    expect(financials.statusCode, financials.body).toBe(200);
  });
  afterAll(() => f.close());

  it('the old citation is gone: a committee decision id, even the deal approval, is a 400 and nothing changes', async () => {
    const terms = await count('credit_facility_terms');
    for (const body of [
      { terms: amended, committeeDecisionId: dealApproval },
      { committeeDecisionId: dealApproval },
    ]) {
      const refused = await post(
        '/api/credit/facilities/cq-a/terms',
        `cq-old-${body.committeeDecisionId}-${'terms' in body}`,
        body,
      );
      expect(refused.statusCode, refused.body).toBe(400);
    }
    const waiver = await post('/api/credit/watchlist/actions', 'cq-old-waiver', {
      covenantId,
      testOn: '2026-06-30',
      action: 'waiver',
      committeeDecisionId: dealApproval,
      note: 'waived on the strength of the original approval',
    });
    expect(waiver.statusCode).toBe(400);
    // A decision id passed as a question id names no question.
    const asQuestion = await post('/api/credit/facilities/cq-a/terms', 'cq-old-as-q', { questionId: 999 });
    expect(asQuestion.statusCode).toBe(404);
    expect(await count('credit_facility_terms')).toBe(terms);
    expect(await count('credit_watchlist_actions')).toBe(0);
  });

  it('applies exactly the approved terms, to its own facility only, once; the same key replays', async () => {
    const question = await decided('cq-terms', termsQuestion('cq-a'));
    // Members were told of the question, and whoever put it of the decision.
    const notices = async (token: string) =>
      (
        await f.app.inject({
          method: 'GET',
          url: '/api/notifications',
          headers: { authorization: `Bearer ${token}` },
        })
      )
        .json()
        .items.map((n: { text: string }) => n.text)
        .join('\n');
    expect(await notices(members[0]!)).toMatch(
      new RegExp(
        `put new terms on facility cq-a .* to the committee for 2026-07-15: credit question ${question}`,
      ),
    );
    expect(await notices(f.tokens.banker)).toMatch(
      new RegExp(`The committee approved credit question ${question}`),
    );
    // The question approved for facility A does not amend B.
    const other = await post('/api/credit/facilities/cq-b/terms', 'cq-apply-b', { questionId: question });
    expect(other.statusCode).toBe(422);
    expect(other.json().message).toContain('cq-a');
    // Terms in the body are not taken: the committee's terms are the question's.
    const retyped = await post('/api/credit/facilities/cq-a/terms', 'cq-apply-typed', {
      questionId: question,
      terms: EXAMPLE_FACILITY_TERMS,
    });
    expect(retyped.statusCode).toBe(400);
    const applied = await post('/api/credit/facilities/cq-a/terms', 'cq-apply-a', { questionId: question });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().result).toEqual({ id: 'cq-a', version: 2, questionId: question });
    const view = (await get('/api/credit/facilities/cq-a')).json();
    expect(view.version).toBe(2);
    expect(view.questionId).toBe(question);
    expect(view.terms.interest).toEqual({ kind: 'fixed', rate: '0.065' });
    expect(view.terms.commitment).toBe('25000000000');
    const replay = await post('/api/credit/facilities/cq-a/terms', 'cq-apply-a', { questionId: question });
    expect(replay.json()).toEqual({ ...applied.json(), replayed: true });
    const again = await post('/api/credit/facilities/cq-a/terms', 'cq-apply-a-2', { questionId: question });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('already been applied');
    expect((await get('/api/credit/facilities/cq-a')).json().version).toBe(2);
    const listed = (await get('/api/credit/questions?facilityId=cq-a')).json();
    expect(listed.items.find((q: { id: string }) => q.id === question)).toMatchObject({
      decision: 'approve',
      used: true,
      tally: { for: 4, against: 0, abstain: 0 },
    });
    // The credit question's approval is not a deal decision: the deal's list is as it was.
    const decisions = await f.app.inject({
      method: 'GET',
      url: `/api/deals/${view.dealId}/decisions`,
      headers: { authorization: `Bearer ${f.tokens.admin}` },
    });
    expect(decisions.json().items ?? decisions.json()).toHaveLength(1);
  });

  it('a waiver question waives that breach only: not an acceleration, not another test date', async () => {
    const waiver = await decided('cq-waiver', breachQuestion('waiver'));
    const action = (over: object) => ({
      covenantId,
      testOn: '2026-06-30',
      action: 'waiver',
      questionId: waiver,
      note: 'waived for one quarter by the committee',
      ...over,
    });
    const accelerate = await post(
      '/api/credit/watchlist/actions',
      'cq-w-acc',
      action({ action: 'acceleration' }),
    );
    expect(accelerate.statusCode).toBe(422);
    expect(accelerate.json().message).toContain('waiver');
    const september = await post(
      '/api/credit/watchlist/actions',
      'cq-w-sep',
      action({ testOn: '2026-09-30' }),
    );
    expect(september.statusCode).toBe(422);
    expect(september.json().message).toContain('2026-06-30');
    expect(await count('credit_watchlist_actions')).toBe(0);
    const ok = await post('/api/credit/watchlist/actions', 'cq-w-ok', action({}));
    expect(ok.statusCode, ok.body).toBe(200);
    const twice = await post('/api/credit/watchlist/actions', 'cq-w-twice', action({}));
    expect(twice.statusCode).toBe(409);
    expect(await count('credit_watchlist_actions')).toBe(1);
    const tests = (await get('/api/credit/facilities/cq-a/covenants?asOf=2026-09-30')).json();
    expect(tests.covenants[0].tests[1].action).toMatchObject({ action: 'waiver', questionId: waiver });
    // A terms question cannot waive, and a breach already acted on takes no new question.
    const late = await post('/api/credit/questions', 'cq-w-late', breachQuestion('acceleration'));
    expect(late.statusCode).toBe(409);
  });

  it('a declined, deferred or undecided question cannot be applied', async () => {
    const declined = await decided('cq-declined', termsQuestion('cq-b'), 'decline');
    const deferred = await decided('cq-deferred', termsQuestion('cq-b'), 'defer');
    const open = await post('/api/credit/questions', 'cq-open-q', termsQuestion('cq-b'));
    expect(open.statusCode).toBe(200);
    for (const [id, why] of [
      [declined, 'decline'],
      [deferred, 'defer'],
      [open.json().result.id, 'no decision'],
    ]) {
      const refused = await post('/api/credit/facilities/cq-b/terms', `cq-unapproved-${id}`, {
        questionId: id,
      });
      expect(refused.statusCode, why).toBe(422);
      expect(refused.json().message).toContain(why);
    }
    // A decided question takes no more votes, and no second decision.
    const vote = await postAs(members[3]!, `/api/credit/questions/${declined}/votes`, 'cq-late-vote', {
      vote: 'for',
    });
    expect(vote.statusCode).toBe(422);
    const redecide = await postAs(
      f.tokens.admin,
      `/api/credit/questions/${deferred}/decision`,
      'cq-redecide',
      {
        decision: 'approve',
        decidedOn: '2026-07-16',
      },
    );
    expect(redecide.statusCode).toBe(422);
    expect((await get('/api/credit/facilities/cq-b')).json().version).toBe(1);
  });

  it('four eyes, conflicts and quorum: as for deal decisions', async () => {
    // The admin puts the question, so the admin cannot record its decision.
    const put = await postAs(f.tokens.admin, '/api/credit/questions', 'cq-admin-put', termsQuestion('cq-b'));
    const id = put.json().result.id as string;
    // Whoever put it cannot vote on it, whatever role they hold later.
    await expect(
      castCreditVote(f.keel, { id: 'admin', role: 'investment_committee' }, 'cq-self-vote', {
        questionId: BigInt(id),
        vote: 'for',
      }),
    ).rejects.toMatchObject({ code: 'separation_of_duties' });
    // A conflicted member cannot vote; a vote cast before the declaration is not counted.
    const conflict = await postAs(members[0]!, `/api/credit/questions/${id}/conflicts`, 'cq-conflict', {
      note: 'board seat at the borrower',
    });
    expect(conflict.statusCode, conflict.body).toBe(200);
    const conflicted = await postAs(members[0]!, `/api/credit/questions/${id}/votes`, 'cq-conflicted-vote', {
      vote: 'for',
    });
    expect(conflicted.statusCode).toBe(422);
    expect(conflicted.json().error).toBe('conflict_of_interest');
    for (const [n, member] of members.slice(1, 3).entries())
      expect(
        (await postAs(member, `/api/credit/questions/${id}/votes`, `cq-q-vote-${n}`, { vote: 'for' }))
          .statusCode,
      ).toBe(200);
    const twice = await postAs(members[1]!, `/api/credit/questions/${id}/votes`, 'cq-q-vote-again', {
      vote: 'against',
    });
    expect(twice.statusCode).toBe(409);
    // Two votes, quorum three: an approval is refused (by another chair too), a deferral is not.
    const decide = (token: string, key: string, decision: string) =>
      postAs(token, `/api/credit/questions/${id}/decision`, key, { decision, decidedOn: '2026-07-15' });
    const self = await decide(f.tokens.admin, 'cq-self-decide', 'approve');
    expect(self.statusCode).toBe(403);
    expect(self.json().error).toBe('separation_of_duties');
    const short = await decide(members[3]!, 'cq-short', 'approve');
    expect(short.statusCode).toBe(422);
    expect(short.json().error).toBe('quorum_not_met');
    const listed = (await get('/api/credit/questions?status=open')).json();
    const ballot = listed.items.find((q: { id: string }) => q.id === id);
    expect(ballot.tally).toEqual({ for: 2, against: 0, abstain: 0 });
    expect(ballot.conflicts.map((c: { member: string }) => c.member)).toEqual(['cq-ic-1']);
    expect(ballot.decision).toBeNull();
    const future = await decide(members[3]!, 'cq-future', 'defer');
    expect(future.statusCode).toBe(200);
  });

  it('refuses a question on what is not a breach, or on another facility; and read tokens and other roles', async () => {
    const passed = await post('/api/credit/questions', 'cq-pass', breachQuestion('waiver', '2026-03-31'));
    expect(passed.statusCode).toBe(400);
    const elsewhere = await post('/api/credit/questions', 'cq-elsewhere', {
      ...breachQuestion('acceleration', '2026-09-30'),
      facilityId: 'cq-b',
    });
    expect(elsewhere.statusCode).toBe(400);
    const absurd = await post('/api/credit/questions', 'cq-absurd', {
      ...termsQuestion('cq-b'),
      kind: 'forgiveness',
    });
    expect(absurd.statusCode).toBe(400);
    const noTerms = await post('/api/credit/questions', 'cq-no-terms', {
      ...termsQuestion('cq-b'),
      terms: undefined,
    });
    expect(noTerms.statusCode).toBe(400);
    const before = await count('credit_questions');
    const token = await postAs(members[3]!, '/api/tokens', 'cq-ro', { name: 'ro', scope: 'read' });
    const readOnly = token.json().result.token as string;
    const open = await post('/api/credit/questions', 'cq-ro-target', termsQuestion('cq-b'));
    const id = open.json().result.id as string;
    for (const [url, body] of [
      ['/api/credit/questions', termsQuestion('cq-b')],
      [`/api/credit/questions/${id}/votes`, { vote: 'for' }],
      [`/api/credit/questions/${id}/conflicts`, { note: 'a conflict of mine' }],
      [`/api/credit/questions/${id}/decision`, { decision: 'defer', decidedOn: '2026-07-15' }],
    ] as const)
      expect((await postAs(readOnly, url, `cq-ro-${url}`, body)).statusCode, url).toBe(403);
    // Members vote, they do not put credit questions; the public side sees none of it.
    expect(
      (await postAs(members[3]!, '/api/credit/questions', 'cq-ic-put', termsQuestion('cq-b'))).statusCode,
    ).toBe(403);
    const analyst = await f.app.inject({
      method: 'GET',
      url: '/api/credit/questions',
      headers: { authorization: `Bearer ${f.tokens.research_analyst}` },
    });
    expect(analyst.statusCode).toBe(403);
    expect(await count('credit_questions')).toBe(before + 1);
  });

  it('an approved change from terms no longer in force is stale: put them to the committee again', async () => {
    const first = await decided(
      'cq-stale-1',
      termsQuestion('cq-b', 'a fixed rate of 6.5%, as the borrower asks'),
    );
    const second = await decided('cq-stale-2', {
      ...termsQuestion('cq-b', 'a longer maturity, as the borrower asks'),
      terms: { ...EXAMPLE_FACILITY_TERMS, maturityOn: '2035-01-15' },
    });
    const applied = await post('/api/credit/facilities/cq-b/terms', 'cq-stale-apply-1', {
      questionId: first,
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const stale = await post('/api/credit/facilities/cq-b/terms', 'cq-stale-apply-2', { questionId: second });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toBe('stale_version');
    const view = (await get('/api/credit/facilities/cq-b')).json();
    expect(view.version).toBe(2);
    expect(view.terms.maturityOn).toBe('2034-01-15');
  });
});
