/**
 * GET and POST /api/notes (issue 15): notes on deals and companies are private side. Who may write and read
 * them, a read token refused, absurd input, replays, and the public side learning nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addPipelineNoteResponse, listPipelineNotesResponse } from '../../src/api/responses/deals.ts';
import { createApiToken } from '../../src/app/auth.ts';
import { ROLES } from '../../src/domain/roles.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture, SENTINEL } from './helpers.ts';

const WRITERS = new Set(['admin', 'portfolio_manager', 'banker']);
const PUBLIC_SIDE = new Set(['research_analyst', 'council_member', 'crossed_analyst']);

describeOnBackends('notes on deals and companies API', (backend) => {
  let f: ApiFixture;
  let n = 0;
  const post = (payload: object, role: keyof ApiFixture['tokens'] = 'banker', key?: string) =>
    f.app.inject({
      method: 'POST',
      url: '/api/notes',
      headers: { authorization: `Bearer ${f.tokens[role]}`, 'idempotency-key': key ?? `note-${++n}` },
      payload,
    });
  const list = (role: keyof ApiFixture['tokens'], query = `subjectKind=deal&subjectId=${f.sentinelDeal}`) =>
    f.app.inject({
      method: 'GET',
      url: `/api/notes?${query}`,
      headers: { authorization: `Bearer ${f.tokens[role]}` },
    });

  beforeAll(async () => {
    f = await apiFixture(backend);
  }, 120_000);
  afterAll(() => f.close());

  it('lets the deal team write notes and every private-side role read them; the public side neither', async () => {
    for (const role of [...ROLES, 'crossed_analyst'] as const) {
      const written = await post(
        { subjectKind: 'deal', subjectId: f.sentinelDeal, bodyMarkdown: `**${role}** was here` },
        role,
      );
      expect(written.statusCode, `${role}: ${written.body}`).toBe(WRITERS.has(role) ? 200 : 403);
      const read = await list(role);
      expect(read.statusCode, `${role}: ${read.body}`).toBe(PUBLIC_SIDE.has(role) ? 403 : 200);
      if (PUBLIC_SIDE.has(role)) {
        expect(written.body).not.toContain(SENTINEL);
        expect(read.body).not.toContain('was here');
      }
    }
    const items = listPipelineNotesResponse.parse((await list('auditor')).json()).items;
    expect(items.map((i) => i.author)).toEqual(['banker', 'portfolio-manager', 'admin']);
    // The screen shows the author's name (the fixture names each user by its id).
    expect(items.map((i) => i.authorName)).toEqual(['banker', 'portfolio-manager', 'admin']);
    expect(items[0]).toMatchObject({ subjectKind: 'deal', bodyMd: '**banker** was here' });
  });

  it('notes a company too, and keeps notes apart by subject', async () => {
    const co = `${SENTINEL}-0-co`;
    expect(
      (await post({ subjectKind: 'company', subjectId: co, bodyMarkdown: 'board met' })).statusCode,
    ).toBe(200);
    const items = listPipelineNotesResponse.parse(
      (await list('sector_specialist', `subjectKind=company&subjectId=${co}`)).json(),
    ).items;
    expect(items.map((i) => i.bodyMd)).toEqual(['board met']);
  });

  it('refuses a read-scoped token', async () => {
    const token = await createApiToken(
      f.keel,
      { id: 'banker', role: 'banker' },
      { name: 'ro', scope: 'read' },
    );
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/notes',
      headers: { authorization: `Bearer ${token.token}`, 'idempotency-key': 'ro-note' },
      payload: { subjectKind: 'deal', subjectId: f.sentinelDeal, bodyMarkdown: 'read token' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('refuses absurd input with a message', async () => {
    const cases: Array<[object, number]> = [
      [{ subjectKind: 'deal', subjectId: f.sentinelDeal, bodyMarkdown: '' }, 400],
      [{ subjectKind: 'deal', subjectId: f.sentinelDeal, bodyMarkdown: '   ' }, 400],
      [{ subjectKind: 'deal', subjectId: f.sentinelDeal, bodyMarkdown: 'x'.repeat(20_001) }, 400],
      [{ subjectKind: 'deal', subjectId: f.sentinelDeal, bodyMarkdown: 42 }, 400],
      [{ subjectKind: 'scenario', subjectId: f.sentinelDeal, bodyMarkdown: 'x' }, 400],
      [{ subjectKind: 'deal', subjectId: 'Not A Slug', bodyMarkdown: 'x' }, 400],
      [{ subjectKind: 'deal', subjectId: 'no-such-deal', bodyMarkdown: 'x' }, 404],
      [{ subjectKind: 'company', subjectId: f.sentinelDeal, bodyMarkdown: 'x' }, 404],
    ];
    for (const [payload, status] of cases) {
      const res = await post(payload);
      expect(res.statusCode, `${JSON.stringify(payload).slice(0, 80)}: ${res.body.slice(0, 200)}`).toBe(
        status,
      );
      expect(res.json().message.length).toBeGreaterThan(5);
    }
    expect((await list('banker', 'subjectKind=deal')).statusCode).toBe(400);
  });

  it('answers a replay with the stored result and adds the note once', async () => {
    const body = { subjectKind: 'deal', subjectId: f.sentinelDeal, bodyMarkdown: 'once only' };
    const first = addPipelineNoteResponse.parse((await post(body, 'banker', 'note-replay')).json());
    const again = addPipelineNoteResponse.parse((await post(body, 'banker', 'note-replay')).json());
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ ...first, replayed: true });
    const items = listPipelineNotesResponse.parse((await list('banker')).json()).items;
    expect(items.filter((i) => i.bodyMd === 'once only')).toHaveLength(1);
  });
});
