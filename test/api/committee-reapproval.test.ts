/**
 * An approval covers an amount (issue 15): commitments stop at the amount the committee approved, an amendment
 * that raises an approved deal's amount past it sends the question back to the committee (the deal keeps its
 * stage), and whoever raised it may not vote on it. The agenda takes only deals with a question for the
 * committee, drops an item once its deal is decided, and an item taken off stays on record for four eyes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dealHeadroomResponse } from '../../src/api/responses/deals.ts';
import { createApiToken } from '../../src/app/auth.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, addCommitteeMembers, apiFixture, SENTINEL } from './helpers.ts';

describeOnBackends('re-approval and agenda hygiene (HTTP)', (backend) => {
  let f: ApiFixture;
  const members: string[] = [];
  let n = 0;
  const send = (method: 'POST' | 'DELETE', token: string, url: string, payload?: object) =>
    f.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `ra-${n++}` },
      ...(payload ? { payload } : {}),
    });
  const post = (token: string, url: string, payload?: object) => send('POST', token, url, payload);
  const get = (token: string, url: string) =>
    f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const agenda = async () =>
    (await get(f.tokens.portfolio_manager, '/api/committee/agenda')).json().items as Array<{
      id: string;
      dealId: string;
      meetingOn: string;
      reapproval: boolean;
      approvedAmount: string | null;
      ballot: { requesters: string[] } | null;
    }>;
  const commit = (dealId: string, amount: string) =>
    post(f.tokens.portfolio_manager, '/api/ledger', {
      dealId,
      kind: 'commitment',
      amount,
      effectiveOn: '2026-06-30',
    });

  /** A deal opened by the banker and brought to the committee by the portfolio manager. */
  /** A deal opened by the banker, at `sourced`. */
  async function openDeal(dealId: string, amount: string) {
    const opened = await post(f.tokens.banker, '/api/deals', {
      id: dealId,
      companyId: `${SENTINEL}-0-co`,
      subAreaId: 'robotics',
      instrument: 'term_loan',
      amount,
      classification: 'baseline',
      openedOn: '2026-03-01',
      source: 'synthetic (test)',
      synthetic: true,
    });
    expect(opened.statusCode, opened.body).toBe(200);
  }

  async function dealBeforeCommittee(dealId: string, amount: string) {
    await openDeal(dealId, amount);
    for (const to of ['screening', 'diligence', 'committee'])
      expect((await post(f.tokens.portfolio_manager, `/api/deals/${dealId}/stage`, { to })).statusCode).toBe(
        200,
      );
  }

  async function decide(dealId: string, decision: 'approve' | 'decline', votes: string[]) {
    for (const [i, vote] of votes.entries()) {
      const cast = await post(members[i]!, `/api/committee/deals/${dealId}/votes`, { vote });
      expect(cast.statusCode, cast.body).toBe(200);
    }
    return post(f.tokens.admin, '/api/committee/decisions', { dealId, decision, decidedOn: '2026-11-15' });
  }

  beforeAll(async () => {
    f = await apiFixture(backend);
    members.push(...(await addCommitteeMembers(f.keel, ['ra-ic-1', 'ra-ic-2', 'ra-ic-3'])));
  });
  afterAll(() => f.close());

  it('stops commitments at the approved amount; a raised amount is re-approved in place and then committable', async () => {
    const dealId = `${SENTINEL}-ra`;
    await dealBeforeCommittee(dealId, '1000000.00');
    const approved = await decide(dealId, 'approve', ['for', 'for', 'for']);
    expect(approved.statusCode, approved.body).toBe(200);
    const approval = async () =>
      dealHeadroomResponse.parse(
        (await get(f.tokens.portfolio_manager, `/api/deals/${dealId}/headroom`)).json(),
      ).approval;
    // The ledger form's confirmation reads what the approval still allows before anything is committed.
    expect(await approval()).toEqual({ approvedAmount: '100000000', netCommitted: '0' });
    // An approval without conditions leaves none open.
    expect(
      (await get(f.tokens.portfolio_manager, `/api/deals/${dealId}/headroom`)).json().openConditions,
    ).toEqual([]);
    expect((await commit(dealId, '600000.00')).statusCode).toBe(200);
    expect(await approval()).toEqual({ approvedAmount: '100000000', netCommitted: '60000000' });
    // Beyond the approval: refused, and the message says by how much and why.
    const over = await commit(dealId, '400000.01');
    expect(over.statusCode, over.body).toBe(422);
    expect(over.json()).toMatchObject({ error: 'committee_approval_required' });
    expect(over.json().message).toMatch(/covers \$1,000,000\.00.*\$1,000,000\.01.*re-approval/);

    // The banker raises the amount (the ledger references the deal: a reason is needed).
    const raised = await post(f.tokens.banker, `/api/deals/${dealId}/amendments`, {
      amount: '1500000.00',
      reason: 'the borrower doubled the second phase',
    });
    expect(raised.statusCode, raised.body).toBe(200);
    expect(raised.json().result).toMatchObject({ awaitsReapproval: true, approvedAmount: '100000000' });
    // Still only up to the approved amount.
    expect((await commit(dealId, '400000.00')).statusCode).toBe(200);
    expect((await commit(dealId, '0.01')).json().error).toBe('committee_approval_required');

    // The re-approval goes on the agenda; the deal stays approved, and the item says what the question is.
    expect(
      (
        await post(f.tokens.portfolio_manager, '/api/committee/agenda', {
          dealIds: [dealId],
          meetingOn: '2026-12-01',
        })
      ).statusCode,
    ).toBe(200);
    const item = (await agenda()).find((i) => i.dealId === dealId)!;
    expect(item).toMatchObject({ reapproval: true, approvedAmount: '100000000' });
    // Whoever raised the amount asked the question: the banker is among the requesters (four eyes).
    expect(item.ballot?.requesters).toEqual(expect.arrayContaining(['banker', 'portfolio-manager']));

    const reapproved = await decide(dealId, 'approve', ['for', 'for', 'abstain']);
    expect(reapproved.statusCode, reapproved.body).toBe(200);
    expect(reapproved.json().result).toMatchObject({ decision: 'approve', stage: 'approved' });
    const decisions = (await get(f.tokens.banker, `/api/deals/${dealId}/decisions`)).json().items;
    expect(decisions.map((d: { approvedAmount: string }) => d.approvedAmount)).toEqual([
      '100000000',
      '150000000',
    ]);
    // Decided: it left the agenda, and the raised amount can now be committed (and no more).
    expect((await agenda()).some((i) => i.dealId === dealId)).toBe(false);
    expect((await commit(dealId, '500000.00')).statusCode).toBe(200);
    expect((await commit(dealId, '0.01')).json().error).toBe('committee_approval_required');
    expect(await approval()).toEqual({ approvedAmount: '150000000', netCommitted: '150000000' });
    // With nothing to re-approve, no vote is taken.
    const idle = await post(members[0]!, `/api/committee/deals/${dealId}/votes`, { vote: 'for' });
    expect(idle.statusCode).toBe(422);
    expect(idle.json().message).toMatch(/within its approval of \$1,500,000\.00/);
  });

  it('a declined increase leaves the earlier approval standing and the deal where it was', async () => {
    const dealId = `${SENTINEL}-rd`;
    await dealBeforeCommittee(dealId, '2000000.00');
    expect((await decide(dealId, 'approve', ['for', 'for', 'for'])).statusCode).toBe(200);
    expect((await commit(dealId, '2000000.00')).statusCode).toBe(200);
    expect(
      (
        await post(f.tokens.banker, `/api/deals/${dealId}/amendments`, {
          amount: '2500000.00',
          reason: 'cost overrun',
        })
      ).statusCode,
    ).toBe(200);
    // The amount raiser may not vote on the question their amendment asked (four eyes).
    const self = await post(f.tokens.admin, `/api/deals/${dealId}/amendments`, {
      amount: '2600000.00',
      reason: 'the admin raises it again',
    });
    expect(self.statusCode).toBe(200);
    const declined = await decide(dealId, 'decline', ['against', 'against', 'for']);
    // The admin raised the amount: it may not record the decision either.
    expect(declined.statusCode, declined.body).toBe(403);
    expect(declined.json().message).toMatch(/admin put deal .* before the committee/);
    const byChair = await post(members[2]!, '/api/committee/decisions', {
      dealId,
      decision: 'decline',
      decidedOn: '2026-11-15',
    });
    // ra-ic-3 voted: a member may vote and record; the decline stands on more votes against.
    expect(byChair.statusCode, byChair.body).toBe(200);
    expect(byChair.json().result).toMatchObject({ decision: 'decline', stage: 'approved' });
    expect((await commit(dealId, '0.01')).json().message).toMatch(/covers \$2,000,000\.00/);
  });

  it('votes answer the amount they were cast on: an amendment of the amount withdraws the open votes', async () => {
    // Votes cast on $1M, then the amount becomes $100M: the chair cannot approve $100M on them.
    const dealId = `${SENTINEL}-rv`;
    await dealBeforeCommittee(dealId, '1000000.00');
    for (const member of members) await post(member, `/api/committee/deals/${dealId}/votes`, { vote: 'for' });
    const raised = await post(f.tokens.banker, `/api/deals/${dealId}/amendments`, { amount: '100000000.00' });
    expect(raised.statusCode, raised.body).toBe(200);
    expect(raised.json().result).toMatchObject({ votesWithdrawn: 3, awaitsReapproval: false });
    const early = await post(f.tokens.admin, '/api/committee/decisions', {
      dealId,
      decision: 'approve',
      decidedOn: '2026-11-15',
    });
    expect(early.statusCode, early.body).toBe(422);
    expect(early.json()).toMatchObject({ error: 'quorum_not_met', details: { present: 0 } });
    // The members vote again, on $100M; a member who now opposes it can say so.
    const approved = await decide(dealId, 'approve', ['for', 'for', 'against']);
    expect(approved.statusCode, approved.body).toBe(200);
    const [decision] = (await get(f.tokens.banker, `/api/deals/${dealId}/decisions`)).json().items;
    expect(decision).toMatchObject({ approvedAmount: '10000000000', tally: { for: 2, against: 1 } });

    // A re-approval's votes go too when the amount moves again before the decision.
    expect(
      (await post(f.tokens.banker, `/api/deals/${dealId}/amendments`, { amount: '110000000.00' })).statusCode,
    ).toBe(200);
    for (const member of members) await post(member, `/api/committee/deals/${dealId}/votes`, { vote: 'for' });
    expect(
      (await post(f.tokens.banker, `/api/deals/${dealId}/amendments`, { amount: '5000000000.00' })).json()
        .result.votesWithdrawn,
    ).toBe(3);
    const stale = await post(f.tokens.admin, '/api/committee/decisions', {
      dealId,
      decision: 'approve',
      decidedOn: '2026-11-15',
    });
    expect(stale.json()).toMatchObject({ error: 'quorum_not_met' });
  });

  it('no capital is arranged under a parent whose raised amount awaits re-approval', async () => {
    const dealId = `${SENTINEL}-stack`;
    await dealBeforeCommittee(dealId, '1000.00');
    expect((await decide(dealId, 'approve', ['for', 'for', 'for'])).statusCode).toBe(200);
    expect(
      (await post(f.tokens.banker, `/api/deals/${dealId}/amendments`, { amount: '2000.00' })).json().result
        .awaitsReapproval,
    ).toBe(true);
    const org = await post(f.tokens.banker, '/api/network/organisations', {
      organisations: [
        { id: 'org-ra', name: 'Re-approval Fund', kind: 'fund', country: 'US', source: 'synthetic (test)' },
      ],
    });
    expect(org.statusCode, org.body).toBe(200);
    const part = await post(f.tokens.banker, '/api/participations', {
      dealId,
      organisationId: 'org-ra',
      role: 'syndicate_member',
      instrument: 'syndicated_loan',
      amount: '5000000.00',
      arrangedByBank: true,
      source: 'synthetic (test)',
    });
    expect(part.statusCode, part.body).toBe(200);
    const committed = await post(
      f.tokens.portfolio_manager,
      `/api/participations/${part.json().result.id}/status`,
      {
        status: 'committed',
        effectiveOn: '2026-06-30',
      },
    );
    expect(committed.statusCode, committed.body).toBe(422);
    expect(committed.json().message).toMatch(/awaits the committee's re-approval/);
  });

  it('whoever put the deal on the agenda before it entered the committee still may not vote on it', async () => {
    const dealId = `${SENTINEL}-early`;
    await openDeal(dealId, '1000.00');
    expect(
      (await post(members[0]!, '/api/committee/agenda', { dealIds: [dealId], meetingOn: '2026-12-04' }))
        .statusCode,
    ).toBe(200);
    for (const to of ['screening', 'diligence', 'committee'])
      expect((await post(f.tokens.portfolio_manager, `/api/deals/${dealId}/stage`, { to })).statusCode).toBe(
        200,
      );
    const item = (await agenda()).find((i) => i.dealId === dealId)!;
    expect(item.ballot?.requesters).toContain('ra-ic-1');
    const vote = await post(members[0]!, `/api/committee/deals/${dealId}/votes`, { vote: 'for' });
    expect(vote.statusCode, vote.body).toBe(403);
  });

  it('takes only deals with a question for the committee; an item taken off is gone, kept for four eyes', async () => {
    // An exited deal has no question for the committee.
    const ended = `${SENTINEL}-ended`;
    await dealBeforeCommittee(ended, '1000.00');
    expect(
      (await post(f.tokens.portfolio_manager, `/api/deals/${ended}/stage`, { to: 'withdrawn' })).statusCode,
    ).toBe(200);
    const refused = await post(f.tokens.portfolio_manager, '/api/committee/agenda', {
      dealIds: [ended],
      meetingOn: '2026-12-02',
    });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ error: 'not_before_committee' });
    expect(refused.json().message).toMatch(/is withdrawn and has no question for the committee/);

    // The investment committee member ra-ic-1 puts a deal on, then takes it off.
    const dealId = `${SENTINEL}-off`;
    await dealBeforeCommittee(dealId, '1000.00');
    expect(
      (await post(members[0]!, '/api/committee/agenda', { dealIds: [dealId], meetingOn: '2026-12-03' }))
        .statusCode,
    ).toBe(200);
    const item = (await agenda()).find((i) => i.dealId === dealId)!;
    // Another principal's key cannot replay the removal, and a read token cannot remove.
    const read = (
      await createApiToken(
        f.keel,
        { id: 'ra-ic-1', role: 'investment_committee' },
        { name: 'r', scope: 'read' },
      )
    ).token;
    expect((await send('DELETE', read, `/api/committee/agenda/${item.id}`)).statusCode).toBe(403);
    expect((await send('DELETE', f.tokens.banker, `/api/committee/agenda/${item.id}`)).statusCode).toBe(403);
    const off = await send('DELETE', members[1]!, `/api/committee/agenda/${item.id}`);
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().result).toEqual({ id: item.id, dealId, meetingOn: '2026-12-03' });
    expect((await agenda()).some((i) => i.id === item.id)).toBe(false);
    const again = await send('DELETE', members[1]!, `/api/committee/agenda/${item.id}`);
    expect(again.statusCode).toBe(404);
    for (const bad of ['0', '-1', 'x', '99999999999999999999'])
      expect((await send('DELETE', members[1]!, `/api/committee/agenda/${bad}`)).statusCode, bad).toBe(400);
    // Taking the item off did not forget who put the deal on: ra-ic-1 still may not vote on it.
    const vote = await post(members[0]!, `/api/committee/deals/${dealId}/votes`, { vote: 'for' });
    expect(vote.statusCode, vote.body).toBe(403);
    // It can go back on the same meeting, as a new item.
    expect(
      (await post(members[1]!, '/api/committee/agenda', { dealIds: [dealId], meetingOn: '2026-12-03' }))
        .statusCode,
    ).toBe(200);
    expect((await agenda()).filter((i) => i.dealId === dealId)).toHaveLength(1);
    // Withdrawn after it was put on: it leaves the agenda.
    expect(
      (await post(f.tokens.portfolio_manager, `/api/deals/${dealId}/stage`, { to: 'withdrawn' })).statusCode,
    ).toBe(200);
    expect((await agenda()).some((i) => i.dealId === dealId)).toBe(false);
  });
});
