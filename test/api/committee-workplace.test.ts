/**
 * The committee as the web app uses it (issue 15): the agenda is built deal by deal with no memo URL (the memo
 * is a document of the meeting, linked from each agenda item), a deal's decisions are read with their tally
 * and conditions behind the information barrier, and a wall-crossing is asked for and approved for a chosen
 * number of days.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, addCommitteeMembers, apiFixture, multipartDocument, SENTINEL } from './helpers.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');

describeOnBackends('committee in the workplace (HTTP)', (backend) => {
  let f: ApiFixture;
  const members: string[] = [];
  let n = 0;
  const post = (token: string, url: string, payload?: object) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `cw-${n++}` },
      ...(payload ? { payload } : {}),
    });
  const get = (token: string, url: string) =>
    f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    f = await apiFixture(backend);
    members.push(...(await addCommitteeMembers(f.keel, ['cw-ic-1', 'cw-ic-2', 'cw-ic-3'])));
  });
  afterAll(() => f.close());

  it('puts one deal on a meeting without a memo URL; the agenda item links to the meeting memo documents', async () => {
    const meetingOn = '2027-01-12';
    const added = await post(f.tokens.portfolio_manager, '/api/committee/agenda', {
      dealIds: [f.sentinelDeal],
      meetingOn,
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().result).toEqual({ meetingOn, deals: [f.sentinelDeal] });
    for (const version of [1, 2]) {
      const upload = multipartDocument(
        { subjectKind: 'committee_meeting', subjectId: meetingOn, title: 'Committee memo' },
        { filename: `memo-v${version}.pdf`, content: Buffer.concat([PDF, Buffer.from(`${version}`)]) },
      );
      const stored = await f.app.inject({
        method: 'POST',
        url: '/api/documents',
        headers: {
          authorization: `Bearer ${f.tokens.investment_committee}`,
          'idempotency-key': `memo-${version}`,
          ...upload.headers,
        },
        payload: upload.payload,
      });
      expect(stored.statusCode, stored.body).toBe(200);
    }
    const agenda = await get(f.tokens.portfolio_manager, '/api/committee/agenda');
    const item = agenda.json().items.find((i: { meetingOn: string }) => i.meetingOn === meetingOn);
    expect(item).not.toHaveProperty('memoUrl');
    expect(item.papers).toEqual([
      { id: expect.any(String), title: 'Committee memo', filename: 'memo-v2.pdf', version: 2 },
    ]);
    const content = await get(f.tokens.portfolio_manager, `/api/documents/${item.papers[0].id}/content`);
    expect(content.statusCode).toBe(200);
    // The memo URL is gone from the input: sent anyway, it is not stored anywhere.
    const legacy = await post(f.tokens.portfolio_manager, '/api/committee/agenda', {
      dealIds: [f.sentinelDeal],
      meetingOn: '2027-01-13',
      memoUrl: 'https://example.org/memo',
    });
    expect(legacy.body).not.toContain('example.org/memo');
  });

  it("reads a deal's decisions with tally and conditions; the public side, a crossed analyst included, never", async () => {
    const dealId = `${SENTINEL}-cw`;
    const opened = await post(f.tokens.banker, '/api/deals', {
      id: dealId,
      companyId: `${SENTINEL}-0-co`,
      subAreaId: 'robotics',
      instrument: 'term_loan',
      amount: '5000000.00',
      classification: 'baseline',
      openedOn: '2026-03-01',
      source: 'synthetic (test)',
      synthetic: true,
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const none = await get(f.tokens.portfolio_manager, `/api/deals/${dealId}/decisions`);
    expect(none.json()).toEqual({ items: [] });
    for (const to of ['screening', 'diligence', 'committee'])
      expect((await post(f.tokens.portfolio_manager, `/api/deals/${dealId}/stage`, { to })).statusCode).toBe(
        200,
      );
    for (const [i, vote] of ['for', 'for', 'against'].entries())
      expect((await post(members[i]!, `/api/committee/deals/${dealId}/votes`, { vote })).statusCode).toBe(
        200,
      );
    // A decision dated after today is refused: it cannot have been taken yet.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const future = await post(f.tokens.admin, '/api/committee/decisions', {
      dealId,
      decision: 'approve',
      decidedOn: tomorrow,
    });
    expect(future.statusCode, future.body).toBe(422);
    expect(future.json().message).toMatch(/is in the future/);
    const decided = await post(f.tokens.admin, '/api/committee/decisions', {
      dealId,
      decision: 'approve_with_conditions',
      decidedOn: '2026-01-12',
      conditions: ['Security review of the supplier', 'Board seat agreed'],
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const read = await get(f.tokens.banker, `/api/deals/${dealId}/decisions`);
    expect(read.statusCode, read.body).toBe(200);
    const [decision] = read.json().items;
    expect(decision).toMatchObject({
      decision: 'approve_with_conditions',
      decidedOn: '2026-01-12',
      recordedBy: 'admin',
      reference: null,
      tally: { for: 2, against: 1, abstain: 0 },
      conditions: [
        { text: 'Security review of the supplier', status: 'open' },
        { text: 'Board seat agreed', status: 'open' },
      ],
    });
    expect(decision.votes).toHaveLength(3);
    // A banker reads it but may not mark a condition; the committee's manager may.
    const byBanker = await post(f.tokens.banker, `/api/committee/decisions/${decision.id}/conditions/0`, {
      status: 'met',
    });
    expect(byBanker.statusCode).toBe(403);
    const met = await post(
      f.tokens.investment_committee,
      `/api/committee/decisions/${decision.id}/conditions/0`,
      {
        status: 'met',
      },
    );
    expect(met.statusCode, met.body).toBe(200);
    const after = (await get(f.tokens.auditor, `/api/deals/${dealId}/decisions`)).json().items[0];
    expect(after.conditions.map((c: { status: string }) => c.status)).toEqual(['met', 'open']);
    // The ledger form's review lists the conditions still open before a draw or a commitment.
    const headroom = await get(f.tokens.portfolio_manager, `/api/deals/${dealId}/headroom`);
    expect(headroom.statusCode, headroom.body).toBe(200);
    expect(headroom.json().openConditions).toEqual(['Board seat agreed']);
    // The wall-crossed analyst sees the sentinel's figures, not how each member voted on it.
    expect((await get(f.tokens.crossed_analyst, `/api/deals/${f.sentinelDeal}`)).statusCode).toBe(200);
    for (const who of ['crossed_analyst', 'research_analyst', 'council_member'] as const) {
      for (const id of [dealId, f.sentinelDeal, 'no-such-deal']) {
        const refused = await get(f.tokens[who], `/api/deals/${id}/decisions`);
        expect(refused.statusCode, `${who} ${id}`).toBe(403);
        expect(refused.body).not.toContain(SENTINEL);
      }
    }
    expect((await get(f.tokens.portfolio_manager, '/api/deals/no-such-deal/decisions')).statusCode).toBe(404);
  });

  it('the wall-crossing request does not tell who exists or what their role is', async () => {
    const answers = [];
    for (const userId of ['nobody-at-all', 'banker', 'portfolio-manager', 'admin']) {
      const asked = await post(f.tokens.banker, '/api/wall-crossings', {
        userId,
        dealId: f.sentinelDeal,
        reason: 'probing the user list',
      });
      answers.push([asked.statusCode, asked.json().message.replace(userId, 'X')]);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size, JSON.stringify(answers)).toBe(1);
    expect(answers[0]![0]).toBe(422);
  });

  it('a wall-crossing is asked for a number of days and approved for the same or a chosen number', async () => {
    const ask = (days?: number) =>
      post(f.tokens.banker, '/api/wall-crossings', {
        userId: 'research-analyst',
        dealId: f.sentinelDeal,
        reason: 'sector note on hypersonics needs the deal',
        ...(days === undefined ? {} : { days }),
      });
    for (const days of [0, 31, 2.5]) {
      const absurd = await ask(days);
      expect(absurd.statusCode, `${days}`).toBe(400);
    }
    const twelve = await ask(12);
    expect(twelve.statusCode, twelve.body).toBe(200);
    const list = (await get(f.tokens.risk_compliance, '/api/wall-crossings')).json().items;
    const row = list.find((c: { id: string }) => c.id === twelve.json().result.id);
    expect(row).toMatchObject({ requestedDays: 12, dealName: null, status: 'requested' });
    const days = (expiresAt: string) => Math.round((Date.parse(expiresAt) - Date.now()) / 86_400_000);
    const asked = await post(
      f.tokens.risk_compliance,
      `/api/wall-crossings/${twelve.json().result.id}/decision`,
      {
        decision: 'approve',
      },
    );
    expect(asked.statusCode, asked.body).toBe(200);
    expect(days(asked.json().result.expiresAt)).toBe(12);
    const other = await ask(12);
    const tooLong = await post(
      f.tokens.risk_compliance,
      `/api/wall-crossings/${other.json().result.id}/decision`,
      {
        decision: 'approve',
        days: 45,
      },
    );
    expect(tooLong.statusCode).toBe(400);
    const three = await post(
      f.tokens.risk_compliance,
      `/api/wall-crossings/${other.json().result.id}/decision`,
      {
        decision: 'approve',
        days: 3,
      },
    );
    expect(three.statusCode, three.body).toBe(200);
    expect(days(three.json().result.expiresAt)).toBe(3);
    // Four eyes: the officer who asked cannot approve their own request, whatever the length.
    const own = await post(f.tokens.risk_compliance, '/api/wall-crossings', {
      userId: 'research-analyst',
      dealId: f.sentinelDeal,
      reason: 'compliance review of the analyst note',
      days: 5,
    });
    const self = await post(
      f.tokens.risk_compliance,
      `/api/wall-crossings/${own.json().result.id}/decision`,
      {
        decision: 'approve',
        days: 5,
      },
    );
    expect(self.json().error).toBe('separation_of_duties');
  });
});
