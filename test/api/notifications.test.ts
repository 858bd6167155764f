/**
 * Notifications (issue 15 item 4) through HTTP: each audited action tells the right people and nobody else,
 * never across the information barrier, once per write (a replay tells no one again), and a user reads and
 * marks only their own.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/app/auth.ts';
import { jobSettled } from '../../src/app/jobs/use-cases.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture, multipartCsv, PASSWORD, SENTINEL } from './helpers.ts';

interface Notice {
  id: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  text: string;
  readAt: string | null;
}

describeOnBackends('notifications (HTTP)', (backend) => {
  let f: ApiFixture;
  const extra: Record<string, string> = {};
  let n = 0;
  const post = (token: string, url: string, payload?: object, key = `note-${n++}`) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
      ...(payload ? { payload } : {}),
    });
  const get = (token: string, url: string) =>
    f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const noticesOf = async (token: string): Promise<Notice[]> => {
    const res = await get(token, '/api/notifications?limit=100');
    expect(res.statusCode).toBe(200);
    return res.json().items;
  };
  /** Every user's notices of one kind, by user id. */
  const everyone = () => ({ ...tokensById(), ...extra });
  const tokensById = () =>
    Object.fromEntries(Object.entries(f.tokens).map(([role, token]) => [role.replaceAll('_', '-'), token]));
  const whoGot = async (kind: string, about?: string) => {
    const got: string[] = [];
    for (const [id, token] of Object.entries(everyone())) {
      const notices = await noticesOf(token);
      if (notices.some((x) => x.kind === kind && (!about || x.subjectId === about))) got.push(id);
    }
    return got.sort();
  };
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

  beforeAll(async () => {
    f = await apiFixture(backend);
    for (const id of ['ic-2', 'ic-3']) {
      await addUser(f.keel, testAdmin, {
        id,
        email: `${id}@example.org`,
        name: `Member ${id}`,
        role: 'investment_committee',
        password: PASSWORD,
      });
      extra[id] = (
        await createApiToken(f.keel, { id, role: 'investment_committee' }, { name: 't', scope: 'write' })
      ).token;
    }
  });
  afterAll(() => f.close());

  it('a wall-crossing request tells risk & compliance; its approval the requester and the analyst', async () => {
    // The fixture's crossing: the banker asked, risk & compliance approved.
    const compliance = await noticesOf(f.tokens.risk_compliance);
    expect(compliance.filter((x) => x.kind === 'wall_crossing')).toHaveLength(1);
    expect(compliance[0]!.text).toMatch(/^banker asks to bring crossed-analyst over the wall for /);
    const banker = (await noticesOf(f.tokens.banker)).filter((x) => x.kind === 'wall_crossing');
    expect(banker.map((x) => x.text)).toEqual([expect.stringMatching(/^risk-compliance approved bringing/)]);
    const analyst = await noticesOf(f.tokens.crossed_analyst);
    expect(analyst.map((x) => x.text)).toEqual([
      expect.stringMatching(/^You were brought over the wall for /),
    ]);
    // The analyst's notice opens the deal they may now read (found by a new user's pass: it opened nothing).
    expect(analyst[0]).toMatchObject({ subjectType: 'deal', subjectId: f.sentinelDeal });
    expect(await whoGot('wall_crossing')).toEqual(['banker', 'crossed-analyst', 'risk-compliance']);
  });

  it('a refused crossing tells the analyst without naming the deal', async () => {
    const asked = await post(f.tokens.portfolio_manager, '/api/wall-crossings', {
      userId: 'research-analyst',
      dealId: f.sentinelDeal,
      reason: 'sector note on hypersonics',
    });
    expect(asked.statusCode).toBe(200);
    const id = asked.json().result.id;
    expect(
      (await post(f.tokens.risk_compliance, `/api/wall-crossings/${id}/decision`, { decision: 'deny' }))
        .statusCode,
    ).toBe(200);
    const analyst = await noticesOf(f.tokens.research_analyst);
    expect(analyst.map((x) => x.text)).toEqual([
      'A request to bring you over the wall was declined (by risk-compliance)',
    ]);
    expect(JSON.stringify(analyst)).not.toContain(SENTINEL);
    expect((await noticesOf(f.tokens.portfolio_manager)).map((x) => x.text)).toEqual([
      expect.stringMatching(/^risk-compliance declined bringing research-analyst over the wall for /),
    ]);
  });

  it('an agenda tells the committee members only, once however often the write is replayed', async () => {
    const body = { dealIds: [f.sentinelDeal], meetingOn: '2026-12-15' };
    for (let i = 0; i < 2; i++)
      expect(
        (await post(f.tokens.portfolio_manager, '/api/committee/agenda', body, 'agenda-once')).statusCode,
      ).toBe(200);
    expect(await whoGot('agenda')).toEqual(['ic-2', 'ic-3', 'investment-committee']);
    const [notice] = await noticesOf(extra['ic-2']!);
    expect(notice).toMatchObject({ kind: 'agenda', subjectType: 'deal', subjectId: f.sentinelDeal });
    expect(notice!.text).toMatch(/^portfolio-manager put .+ on the committee agenda for 2026-12-15$/);
    // A committee member who puts it there is not told of their own act.
    await post(f.tokens.investment_committee, '/api/committee/agenda', { ...body, meetingOn: '2027-01-12' });
    const own = await noticesOf(f.tokens.investment_committee);
    expect(own.filter((x) => x.text.endsWith('2027-01-12'))).toHaveLength(0);
    expect((await noticesOf(extra['ic-3']!)).filter((x) => x.text.endsWith('2027-01-12'))).toHaveLength(1);
  });

  it('a decision tells the deal team (else its originator) and the committee, nobody on the public side', async () => {
    expect((await post(f.tokens.banker, '/api/deals', deal('notice-decide'))).statusCode).toBe(200);
    for (const to of ['screening', 'diligence', 'committee'])
      expect(
        (await post(f.tokens.portfolio_manager, '/api/deals/notice-decide/stage', { to })).statusCode,
      ).toBe(200);
    for (const token of [f.tokens.investment_committee, extra['ic-2']!, extra['ic-3']!])
      expect(
        (await post(token, '/api/committee/deals/notice-decide/votes', { vote: 'for' })).statusCode,
      ).toBe(200);
    const decided = await post(f.tokens.admin, '/api/committee/decisions', {
      dealId: 'notice-decide',
      decision: 'approve',
      decidedOn: '2026-11-15',
    });
    expect(decided.statusCode).toBe(200);
    expect(await whoGot('decision', 'notice-decide')).toEqual([
      'banker',
      'ic-2',
      'ic-3',
      'investment-committee',
    ]);
    const [notice] = (await noticesOf(f.tokens.banker)).filter((x) => x.kind === 'decision');
    expect(notice!.text).toMatch(/^The committee approved .+ \(recorded by admin\)$/);
  });

  it('putting users on a deal team tells each newly named user, not those already on it', async () => {
    expect(
      (
        await post(
          f.tokens.banker,
          '/api/deals',
          deal('notice-team', { team: ['banker', 'Someone Outside'] }),
        )
      ).statusCode,
    ).toBe(200);
    expect(await whoGot('assignment', 'notice-team')).toEqual([]);
    const amend = await post(f.tokens.banker, '/api/deals/notice-team/amendments', {
      team: ['banker', 'Sector-Specialist@example.org', 'research-analyst', 'council-member'],
    });
    expect(amend.statusCode).toBe(200);
    // The analyst and the council member are named, but are on the public side: they hear nothing.
    expect(await whoGot('assignment', 'notice-team')).toEqual(['sector-specialist']);
    const [notice] = await noticesOf(f.tokens.sector_specialist);
    expect(notice!.text).toMatch(/^banker put you on the deal team of /);
  });

  it('an import job tells whoever started it when it finishes', async () => {
    const upload = multipartCsv('id,name,us_based,source\nnotice-co,Notice Co,yes,synthetic (test)\n');
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/imports/companies',
      headers: {
        authorization: `Bearer ${f.tokens.portfolio_manager}`,
        'idempotency-key': 'notice-imp',
        ...upload.headers,
      },
      payload: upload.payload,
    });
    expect(res.statusCode).toBe(202);
    await jobSettled(res.json().id);
    const notices = (await noticesOf(f.tokens.portfolio_manager)).filter((x) => x.kind === 'import');
    expect(notices.map((x) => x.text)).toEqual(['Your import of companies finished: 1 rows']);
    expect(await whoGot('import')).toEqual(['portfolio-manager']);
  });

  it('the public side is never told anything about the sentinel deal but its own crossing', async () => {
    for (const token of [f.tokens.council_member, f.tokens.research_analyst, f.tokens.crossed_analyst]) {
      for (const x of await noticesOf(token))
        if (x.subjectType === 'deal' || x.text.includes(SENTINEL)) expect(x.kind).toBe('wall_crossing');
    }
    expect(await noticesOf(f.tokens.council_member)).toEqual([]);
  });

  it('a user reads, counts and marks only their own; a read token cannot mark', async () => {
    const mine = await noticesOf(f.tokens.investment_committee);
    const theirs = await noticesOf(f.tokens.banker);
    expect(mine.length).toBeGreaterThan(0);
    const count = async (token: string) =>
      (await get(token, '/api/notifications/unread-count')).json().unread;
    expect(await count(f.tokens.investment_committee)).toBe(mine.length);
    // Another user's notification: the same answer as one that does not exist, and it stays unread.
    const other = await post(f.tokens.investment_committee, `/api/notifications/${theirs[0]!.id}/read`);
    expect(other.statusCode).toBe(404);
    expect((await post(f.tokens.investment_committee, '/api/notifications/999999/read')).json().message).toBe(
      'no notification 999999',
    );
    expect(await count(f.tokens.banker)).toBe(theirs.length);
    const { token: readOnly } = await createApiToken(
      f.keel,
      { id: 'investment-committee', role: 'investment_committee' },
      { name: 'ro', scope: 'read' },
    );
    expect((await get(readOnly, '/api/notifications')).statusCode).toBe(200);
    expect((await post(readOnly, `/api/notifications/${mine[0]!.id}/read`)).statusCode).toBe(403);
    expect((await post(readOnly, '/api/notifications/read-all')).statusCode).toBe(403);
    expect(await count(f.tokens.investment_committee)).toBe(mine.length);
    const one = await post(f.tokens.investment_committee, `/api/notifications/${mine[0]!.id}/read`);
    expect(one.json()).toEqual({ result: { id: mine[0]!.id, read: true }, replayed: false });
    expect(await count(f.tokens.investment_committee)).toBe(mine.length - 1);
    const unreadPage = await get(f.tokens.investment_committee, '/api/notifications?unread=true');
    expect(unreadPage.json().items.map((x: Notice) => x.id)).not.toContain(mine[0]!.id);
    const all = await post(f.tokens.investment_committee, '/api/notifications/read-all');
    expect(all.json().result.marked).toBe(mine.length - 1);
    expect(await count(f.tokens.investment_committee)).toBe(0);
    expect(await count(f.tokens.banker)).toBe(theirs.length);
  });

  it('pages newest first and refuses absurd paging', async () => {
    const page = await get(extra['ic-2']!, '/api/notifications?limit=1&offset=1');
    expect(page.json().items).toHaveLength(1);
    expect(page.json().total).toBeGreaterThan(1);
    expect((await get(extra['ic-2']!, '/api/notifications?limit=0')).statusCode).toBe(400);
    expect((await get(extra['ic-2']!, '/api/notifications?limit=101')).statusCode).toBe(400);
    expect((await post(extra['ic-2']!, '/api/notifications/99999999999999999999/read')).statusCode).toBe(400);
  });
});
