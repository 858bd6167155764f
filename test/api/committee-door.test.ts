/**
 * The committee is the only door (issue 13, defect 6), through HTTP: a banker cannot open a deal at a
 * decided stage (API or CSV), the ledger refuses commitments without an approval of the deal's current
 * committee cycle, votes are cast by signed-in members (one each), conflicts and quorum hold, the requester
 * cannot approve, and the decision moves the deal.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, addCommitteeMembers, apiFixture, multipartCsv, SENTINEL } from './helpers.ts';

describeOnBackends('the committee is the only door (HTTP)', (backend) => {
  let f: ApiFixture;
  /** Write tokens of four committee members: the fixture's one and three more. */
  const members: Record<string, string> = {};
  let n = 0;
  const post = (token: string, url: string, payload: object) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `door-${n++}` },
      payload,
    });
  const deal = (id: string, more: object = {}) => ({
    id,
    companyId: `${SENTINEL}-0-co`,
    subAreaId: 'robotics',
    instrument: 'term_loan',
    amount: '5000000.00',
    classification: 'baseline',
    openedOn: '2026-03-01',
    source: 'synthetic (test)',
    synthetic: true,
    ...more,
  });
  const commit = (dealId: string) =>
    post(f.tokens.portfolio_manager, '/api/ledger', {
      dealId,
      kind: 'commitment',
      amount: '1000000.00',
      effectiveOn: '2026-12-20',
    });
  const stageOf = async (dealId: string) =>
    (
      await f.app.inject({
        method: 'GET',
        url: `/api/deals/${dealId}`,
        headers: { authorization: `Bearer ${f.tokens.admin}` },
      })
    ).json().deal.stage;
  const vote = (member: string, dealId: string, v: string) =>
    post(members[member]!, `/api/committee/deals/${dealId}/votes`, { vote: v });
  const decide = (token: string, dealId: string, decision: string, more: object = {}) =>
    post(token, '/api/committee/decisions', { dealId, decision, decidedOn: '2026-11-15', ...more });
  /** A deal opened by a banker at sourced and walked to the committee by the portfolio manager. */
  const throughPipeline = async (id: string) => {
    expect((await post(f.tokens.banker, '/api/deals', deal(id))).statusCode).toBe(200);
    for (const to of ['screening', 'diligence', 'committee'])
      expect((await post(f.tokens.portfolio_manager, `/api/deals/${id}/stage`, { to })).statusCode).toBe(200);
  };

  beforeAll(async () => {
    f = await apiFixture(backend);
    members['investment-committee'] = f.tokens.investment_committee;
    const ids = ['ic-2', 'ic-3', 'ic-4'];
    for (const [i, token] of (await addCommitteeMembers(f.keel, ids)).entries()) members[ids[i]!] = token;
  });
  afterAll(() => f.close());

  it('a banker cannot open a deal at approved, closed or monitoring; an admin brings one in as a flagged historical import', async () => {
    for (const stage of ['approved', 'closed', 'monitoring']) {
      const direct = await post(f.tokens.banker, '/api/deals', deal(`bypass-${stage}`, { stage }));
      expect(direct.statusCode, direct.body).toBe(422);
      expect(direct.json().error).toBe('historical_import_required');
    }
    const flagged = await post(
      f.tokens.banker,
      '/api/deals',
      deal('bypass-flagged', { stage: 'approved', historicalDecisionRef: 'IC minutes 2025-09-01' }),
    );
    expect(flagged.statusCode).toBe(403);
    expect((await commit('bypass-approved')).statusCode).not.toBe(200); // no such deal was opened

    const admin = await post(
      f.tokens.admin,
      '/api/deals',
      deal('historical-1', { stage: 'monitoring', historicalDecisionRef: 'IC minutes 2025-09-01, item 4' }),
    );
    expect(admin.statusCode, admin.body).toBe(200);
    const shown = await f.app.inject({
      method: 'GET',
      url: '/api/deals/historical-1',
      headers: { authorization: `Bearer ${f.tokens.banker}` },
    });
    expect(shown.json().deal).toMatchObject({
      stage: 'monitoring',
      historicalDecisionRef: 'IC minutes 2025-09-01, item 4',
    });
    const audited = await f.keel.database.db
      .selectFrom('audit_log')
      .select('body')
      .where('body', 'like', '%IC minutes 2025-09-01, item 4%')
      .execute();
    expect(audited).toHaveLength(1);
    expect((await commit('historical-1')).statusCode).toBe(200);
  });

  it('a deals CSV with a decided stage is refused unless an admin imports it with the decision reference', async () => {
    const header = 'id,company_id,sub_area_id,instrument,amount_usd,stage,classification,opened_on,source';
    const row = `csv-bypass,${SENTINEL}-0-co,robotics,term_loan,1000000.00,approved,baseline,2026-03-01,synthetic (test)`;
    const run = async (token: string, csv: string) => {
      const upload = multipartCsv(csv);
      const started = await f.app.inject({
        method: 'POST',
        url: '/api/imports/deals',
        headers: {
          authorization: `Bearer ${token}`,
          ...upload.headers,
          'idempotency-key': `door-csv-${n++}`,
        },
        payload: upload.payload,
      });
      let job = started.json();
      for (let i = 0; i < 200 && job.status === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        job = (
          await f.app.inject({
            method: 'GET',
            url: `/api/import-jobs/${job.id}`,
            headers: { authorization: `Bearer ${token}` },
          })
        ).json();
      }
      return job;
    };
    const plain = await run(f.tokens.portfolio_manager, `${header}\n${row}\n`);
    expect(plain).toMatchObject({ status: 'failed' });
    expect(plain.error).toMatch(/line 2: deal csv-bypass cannot open at approved/);
    const flaggedByPm = await run(
      f.tokens.portfolio_manager,
      `${header},historical_decision_ref\n${row},IC minutes 2025-09-01\n`,
    );
    expect(flaggedByPm.error).toMatch(/only an admin may bring in a deal at a later stage/);
    const byAdmin = await run(
      f.tokens.admin,
      `${header},historical_decision_ref\n${row},IC minutes 2025-09-01\n`,
    );
    expect(byAdmin).toMatchObject({ status: 'done' });
  });

  it('votes are cast by members, one each; free-text names are ignored; quorum and conflicts hold', async () => {
    await throughPipeline('door-votes');
    // Hand-moving out of committee, or typing names as votes, does not decide anything.
    expect(
      (await post(f.tokens.investment_committee, '/api/deals/door-votes/stage', { to: 'approved' }))
        .statusCode,
    ).toBe(422);
    const typed = await decide(f.tokens.investment_committee, 'door-votes', 'approve', {
      votes: [
        { member: 'Alice', vote: 'for' },
        { member: 'alice', vote: 'for' },
        { member: 'Bob', vote: 'for' },
      ],
    });
    expect(typed.statusCode).toBe(422);
    expect(typed.json()).toMatchObject({ error: 'quorum_not_met', details: { quorum: 3, present: 0 } });
    expect((await commit('door-votes')).statusCode).toBe(422);

    expect((await vote('ic-2', 'door-votes', 'for')).statusCode).toBe(200);
    const twice = await vote('ic-2', 'door-votes', 'for');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toBe('already_voted');
    expect((await vote('ic-2', 'door-votes', 'against')).statusCode).toBe(409);
    const banker = await post(f.tokens.banker, '/api/committee/deals/door-votes/votes', { vote: 'for' });
    expect(banker.statusCode).toBe(403);
    for (const who of ['ic-3', 'ic-4']) {
      const conflict = await post(members[who]!, '/api/committee/deals/door-votes/conflicts', {
        note: 'board seat at the company',
      });
      expect(conflict.statusCode).toBe(200);
      const refused = await vote(who, 'door-votes', 'for');
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error).toBe('conflict_of_interest');
    }
    expect((await vote('investment-committee', 'door-votes', 'for')).statusCode).toBe(200);
    const short = await decide(f.tokens.admin, 'door-votes', 'approve');
    expect(short.json()).toMatchObject({ error: 'quorum_not_met', details: { present: 2 } });
    expect(await stageOf('door-votes')).toBe('committee');
  });

  it('the requester cannot approve; the decision moves the deal; only then the ledger takes a commitment', async () => {
    await throughPipeline('door-decide');
    const agenda = await post(members['ic-4']!, '/api/committee/agenda', {
      dealIds: ['door-decide'],
      meetingOn: '2026-12-15',
    });
    expect(agenda.statusCode).toBe(200);
    const ownVote = await vote('ic-4', 'door-decide', 'for');
    expect(ownVote.statusCode).toBe(403);
    expect(ownVote.json().error).toBe('separation_of_duties');
    for (const who of ['investment-committee', 'ic-2', 'ic-3'])
      expect((await vote(who, 'door-decide', 'for')).statusCode).toBe(200);
    const byRequester = await decide(members['ic-4']!, 'door-decide', 'approve');
    expect(byRequester.statusCode).toBe(403);
    expect(byRequester.json().error).toBe('separation_of_duties');
    expect((await commit('door-decide')).statusCode).toBe(422); // still before the committee: no money

    const listed = await f.app.inject({
      method: 'GET',
      url: '/api/committee/agenda',
      headers: { authorization: `Bearer ${f.tokens.admin}` },
    });
    expect(
      listed.json().items.find((i: { dealId: string }) => i.dealId === 'door-decide').ballot,
    ).toMatchObject({
      votes: [
        { member: 'investment-committee', vote: 'for' },
        { member: 'ic-2', vote: 'for' },
        { member: 'ic-3', vote: 'for' },
      ],
      requesters: ['ic-4', 'portfolio-manager'],
    });
    const decided = await decide(f.tokens.admin, 'door-decide', 'approve');
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json().result).toMatchObject({
      stage: 'approved',
      tally: { for: 3, against: 0, present: 3 },
    });
    expect(await stageOf('door-decide')).toBe('approved');
    // The approval cannot be carried back through diligence to be used again.
    expect(
      (await post(f.tokens.portfolio_manager, '/api/deals/door-decide/stage', { to: 'diligence' }))
        .statusCode,
    ).toBe(422);
    expect((await commit('door-decide')).statusCode).toBe(200);
  });

  it('an approval of an earlier committee cycle is not reused after the deal goes back to diligence and returns', async () => {
    await throughPipeline('door-cycle');
    for (const who of ['investment-committee', 'ic-2', 'ic-3'])
      expect((await vote(who, 'door-cycle', 'for')).statusCode).toBe(200);
    const deferred = await decide(f.tokens.admin, 'door-cycle', 'defer');
    expect(deferred.json().result).toMatchObject({ stage: 'committee' });
    for (const to of ['diligence', 'committee'])
      expect((await post(f.tokens.portfolio_manager, '/api/deals/door-cycle/stage', { to })).statusCode).toBe(
        200,
      );
    // The votes of the earlier cycle count for nothing in this one.
    expect((await decide(f.tokens.admin, 'door-cycle', 'approve')).json()).toMatchObject({
      error: 'quorum_not_met',
      details: { present: 0 },
    });
    // And the ledger looks for an approval of the current cycle: one from an earlier cycle does not count.
    await f.keel.database.db
      .updateTable('deals')
      .set({ stage: 'approved' })
      .where('id', '=', 'door-cycle')
      .execute();
    await f.keel.database.db
      .insertInto('committee_decisions')
      .values({
        deal_id: 'door-cycle',
        decision: 'approve',
        votes: '[]',
        conflicts: '[]',
        conditions: '[]',
        decided_on: '2026-12-01',
        recorded_by: 'admin',
        approved_amount_cents: 100_000_000_000n,
        cycle_move_id: (
          await f.keel.database.db
            .selectFrom('deal_stage_moves')
            .select((eb) => eb.fn.min('id').as('id'))
            .where('deal_id', '=', 'door-cycle')
            .where('to_stage', '=', 'committee')
            .executeTakeFirstOrThrow()
        ).id as bigint,
      })
      .execute();
    const refused = await commit('door-cycle');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toBe('committee_approval_required');
  });
});
