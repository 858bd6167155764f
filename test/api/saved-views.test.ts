/**
 * Saved views (issue 15): each user's own named filters for a list page. The attacks: another user's view
 * (list, replace, delete), a read-only token, the same request twice, absurd input, and the per-page limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/auth.ts';
import { MAX_VIEWS_PER_PAGE } from '../../src/domain/saved-views.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

describeOnBackends('saved views', (backend) => {
  let f: ApiFixture;
  let readOnly: string;
  let n = 0;
  const call = async (
    who: keyof ApiFixture['tokens'] | { token: string },
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: object,
    key = `views-${++n}`,
  ) => {
    const token = typeof who === 'string' ? f.tokens[who] : who.token;
    const response = await f.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(method === 'GET' ? {} : { 'idempotency-key': key }) },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, body: response.json() };
  };
  const views = async (who: keyof ApiFixture['tokens'], page = 'deals') =>
    (await call(who, 'GET', `/api/saved-views?page=${page}`)).body.items as Array<{
      id: string;
      name: string;
      query: string;
    }>;

  beforeAll(async () => {
    f = await apiFixture(backend);
    readOnly = (
      await createApiToken(f.keel, { id: 'banker', role: 'banker' }, { name: 'read only', scope: 'read' })
    ).token;
  });
  afterAll(() => f?.close());

  it('a user saves a view, sees it, and saving the name again replaces its query', async () => {
    const first = await call('banker', 'POST', '/api/saved-views', {
      page: 'deals',
      name: 'My sourced',
      query: 'stage=sourced&sort=name&q=',
    });
    expect(first.status).toBe(200);
    expect(first.body.result.replaced).toBe(false);
    // The empty `q` is dropped: one text per view, as the page writes its URL.
    expect(await views('banker')).toEqual([
      expect.objectContaining({ name: 'My sourced', query: 'stage=sourced&sort=name' }),
    ]);
    const again = await call('banker', 'POST', '/api/saved-views', {
      page: 'deals',
      name: 'My sourced',
      query: 'stage=screening',
    });
    expect(again.body.result).toEqual({ id: first.body.result.id, replaced: true });
    expect((await views('banker')).map((v) => v.query)).toEqual(['stage=screening']);
    expect(await views('banker', 'audit')).toEqual([]);
  });

  it("nobody sees, replaces or deletes another user's view", async () => {
    const [mine] = await views('banker');
    expect(await views('portfolio_manager')).toEqual([]);
    // The same name saved by another user is theirs: the banker's query is untouched.
    await call('portfolio_manager', 'POST', '/api/saved-views', {
      page: 'deals',
      name: 'My sourced',
      query: 'stage=closed',
    });
    expect((await views('banker')).map((v) => v.query)).toEqual(['stage=screening']);
    const theft = await call('portfolio_manager', 'DELETE', `/api/saved-views/${mine!.id}`);
    expect(theft.status).toBe(404);
    expect(theft.body.message).toContain('you have no saved view');
    expect(await views('banker')).toHaveLength(1);
  });

  it("nobody keeps a view of a page they may not open (the public side keeps none of the ledger's or deals')", async () => {
    for (const [who, page] of [
      ['research_analyst', 'ledger'],
      ['council_member', 'deals'],
      ['crossed_analyst', 'companies'],
      ['banker', 'audit'],
    ] as const) {
      const saved = await call(who, 'POST', '/api/saved-views', { page, name: 'mine', query: 'sort=amount' });
      expect(saved.status, `${who} ${page}`).toBe(403);
    }
    expect(await views('research_analyst', 'ledger')).toEqual([]);
    const allowed = await call('banker', 'POST', '/api/saved-views', {
      page: 'ledger',
      name: 'mine',
      query: 'kind=draw',
    });
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);
    expect((await call('banker', 'DELETE', `/api/saved-views/${allowed.body.result.id}`)).status).toBe(200);
  });

  it('a read-only token changes nothing; the same request twice deletes once', async () => {
    const [mine] = await views('banker');
    const refused = await call({ token: readOnly }, 'POST', '/api/saved-views', {
      page: 'deals',
      name: 'Read only',
      query: '',
    });
    expect(refused.status).toBe(403);
    expect((await call({ token: readOnly }, 'DELETE', `/api/saved-views/${mine!.id}`)).status).toBe(403);
    const once = await call('banker', 'DELETE', `/api/saved-views/${mine!.id}`, undefined, 'delete-once');
    const twice = await call('banker', 'DELETE', `/api/saved-views/${mine!.id}`, undefined, 'delete-once');
    expect([once.status, twice.status]).toEqual([200, 200]);
    expect(twice.body.replayed).toBe(true);
    expect(await views('banker')).toEqual([]);
    expect((await call('banker', 'DELETE', `/api/saved-views/${mine!.id}`)).status).toBe(404);
  });

  describe('absurd input is refused with the reason, and stores nothing', () => {
    for (const [what, body, reason] of [
      ['an unknown page', { page: 'treasury', name: 'x', query: '' }, 'page'],
      ['a name of 81 characters', { page: 'deals', name: 'n'.repeat(81), query: '' }, '80 characters'],
      ['a blank name', { page: 'deals', name: '   ', query: '' }, 'name'],
      ['a fragment in the query', { page: 'deals', name: 'x', query: 'stage=sourced#/admin' }, 'no "#"'],
      ['a parameter name with symbols', { page: 'deals', name: 'x', query: 'a%3Cb=1' }, 'letters only'],
      ['a query of 2,001 characters', { page: 'deals', name: 'x', query: `q=${'a'.repeat(1999)}` }, '2,000'],
    ] as const)
      it(what, async () => {
        const { status, body: answer } = await call('auditor', 'POST', '/api/saved-views', body);
        expect(status).toBe(400);
        expect(answer.message).toContain(reason);
        expect(await views('auditor', 'audit')).toEqual([]);
      });
    it('an id that is not a number', async () => {
      expect((await call('auditor', 'DELETE', '/api/saved-views/abc')).status).toBe(400);
    });
  });

  it(`a user keeps at most ${MAX_VIEWS_PER_PAGE} views of a page; replacing one at the limit still works`, async () => {
    for (let i = 0; i < MAX_VIEWS_PER_PAGE; i++)
      expect(
        (
          await call('auditor', 'POST', '/api/saved-views', {
            page: 'audit',
            name: `v${i}`,
            query: `actor=u${i}`,
          })
        ).status,
      ).toBe(200);
    const over = await call('auditor', 'POST', '/api/saved-views', {
      page: 'audit',
      name: 'one more',
      query: '',
    });
    expect(over.status).toBe(422);
    expect(over.body.message).toContain('delete one first');
    expect(
      (await call('auditor', 'POST', '/api/saved-views', { page: 'audit', name: 'v0', query: 'actor=x' }))
        .status,
    ).toBe(200);
    expect(await views('auditor', 'audit')).toHaveLength(MAX_VIEWS_PER_PAGE);
  });
});
