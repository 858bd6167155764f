/**
 * GET /api/audit/log and /api/audit/log.csv: the auditor's view of the hash chain, filtered by actor, action
 * prefix, subject prefix and days. Who may read it, what the filters select, and what absurd filters get.
 */

import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activityResponse, auditLogResponse } from '../../src/api/responses/audit.ts';
import { ACTOR_MATCH_MAX } from '../../src/app/audit-log.ts';
import { addUser, createApiToken } from '../../src/app/auth.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { asAttacker } from '../integration/tamper.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture, PASSWORD } from './helpers.ts';

describeOnBackends('audit log API', (backend) => {
  let f: ApiFixture;
  const get = (url: string, role: keyof ApiFixture['tokens'] = 'auditor') =>
    f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${f.tokens[role]}` } });
  const page = async (query: string) => {
    const response = await get(`/api/audit/log?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return auditLogResponse.parse(response.json());
  };
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());

  it('lists the log newest first, a page at a time, with the count it selects', async () => {
    const all = await page('limit=200');
    expect(Number(all.total)).toBeGreaterThan(10);
    const seqs = all.items.map((r) => BigInt(r.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    const first = await page('limit=3');
    const second = await page('limit=3&offset=3');
    expect(first.items.map((r) => r.seq)).toEqual(all.items.slice(0, 3).map((r) => r.seq));
    expect(second.items.map((r) => r.seq)).toEqual(all.items.slice(3, 6).map((r) => r.seq));
    expect(first.total).toBe(all.total);
  });

  it("names the page's actors and its deal, company and user subjects, keeping the ids in the rows", async () => {
    const all = await page('limit=200');
    const users = new Map(
      (
        await sql<{ id: string; name: string }>`SELECT id, name FROM users`.execute(f.keel.database.db)
      ).rows.map((u) => [u.id, u.name]),
    );
    const byUsers = all.items.filter((r) => users.has(r.actor));
    expect(byUsers.length).toBeGreaterThan(0);
    for (const r of byUsers) expect(all.people[r.actor], r.actor).toBe(users.get(r.actor));
    const dealRow = all.items.find((r) => r.subject === `deal:${f.sentinelDeal}`);
    expect(dealRow, 'a row about the sentinel deal').toBeDefined();
    const [deal] = (
      await sql<{ name: string }>`SELECT coalesce(d.name, c.name) AS name FROM deals d JOIN companies c
        ON c.id = d.company_id WHERE d.id = ${f.sentinelDeal}`.execute(f.keel.database.db)
    ).rows;
    expect(all.subjects[`deal:${f.sentinelDeal}`]).toBe(deal!.name);
    // Only subjects on the page are named.
    expect(Object.keys(all.subjects).every((s) => all.items.some((r) => r.subject === s))).toBe(true);
  });

  it('filters by actor, by action and subject prefixes, and by days', async () => {
    const crossings = await page('action=wall_crossing.');
    expect(crossings.items.length).toBeGreaterThanOrEqual(2);
    for (const r of crossings.items) expect(r.action.startsWith('wall_crossing.')).toBe(true);
    const byBanker = await page('actor=banker');
    expect(byBanker.items.length).toBeGreaterThan(0);
    for (const r of byBanker.items) expect(r.actor).toBe('banker');
    const subject = crossings.items[0]!.subject;
    const bySubject = await page(`subject=${encodeURIComponent(subject)}`);
    for (const r of bySubject.items) expect(r.subject.startsWith(subject)).toBe(true);
    const day = crossings.items[0]!.at.slice(0, 10);
    const thatDay = await page(`from=${day}&to=${day}&action=wall_crossing.`);
    expect(thatDay.total).toBe(crossings.total);
    const longAgo = await page('from=2000-01-01&to=2000-12-31');
    expect(longAgo).toMatchObject({ items: [], total: '0' });
    // % and _ are taken literally, not as LIKE wildcards.
    expect((await page('action=%25')).total).toBe('0');
    expect((await page('action=w_ll')).total).toBe('0'); // as a wildcard, _ would find wall_crossing.
  });

  it("filters by an actor's name or email as well as the id, ignoring case", async () => {
    const byId = await page('actor=banker');
    const [banker] = (
      await sql<{ name: string; email: string }>`SELECT name, email FROM users WHERE id = 'banker'`.execute(
        f.keel.database.db,
      )
    ).rows;
    const byName = await page(`actor=${encodeURIComponent(banker!.name.toUpperCase())}`);
    expect(byName.total).toBe(byId.total);
    expect(byName.items.map((r) => r.seq)).toEqual(byId.items.map((r) => r.seq));
    const byEmail = await page(`actor=${encodeURIComponent(banker!.email.toUpperCase())}`);
    expect(byEmail.total).toBe(byId.total);
    // A part of the name finds every user whose name holds it; % is a character, not a wildcard.
    const part = banker!.name.slice(1, 4);
    const byPart = await page(`actor=${encodeURIComponent(part)}`);
    expect(BigInt(byPart.total)).toBeGreaterThanOrEqual(BigInt(byId.total));
    expect((await page('actor=%25')).total).toBe('0');
    expect((await page('actor=nobody-by-that-name')).total).toBe('0');
    // The page says whom the text stood for.
    expect(byName.actors).toEqual([banker!.name.toUpperCase(), 'banker']);
  });

  // The three below were found by the fresh-eyes attack on the name filter.
  it('an exact user id means that user alone, not also those whose name holds it', async () => {
    for (const [id, name] of [
      ['ada', 'Ada Lovelace'],
      ['adam', 'Adam Smith'],
    ] as const) {
      await addUser(f.keel, testAdmin, {
        id,
        email: `${id}@example.org`,
        name,
        role: 'auditor',
        password: PASSWORD,
      });
      await createApiToken(f.keel, { id, role: 'auditor' }, { name: `${id}-token`, scope: 'read' });
    }
    const byId = await page('actor=ada');
    expect(byId.actors).toEqual(['ada']);
    expect(new Set(byId.items.map((r) => r.actor))).toEqual(new Set(['ada']));
    const csv = await get('/api/audit/log.csv?actor=ada');
    const actors = new Set(
      csv.body
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[2]),
    );
    expect(actors).toEqual(new Set(['ada']));
    // Text that is no id is a name search, which may stand for several people: the page names them all.
    expect((await page('actor=Lovelace')).actors).toEqual(['Lovelace', 'ada']);
    const byCapitalised = await page('actor=Ada');
    expect(byCapitalised.actors).toEqual(['Ada', 'ada', 'adam']);
    expect(new Set(byCapitalised.items.map((r) => r.actor))).toEqual(new Set(['ada', 'adam']));
  });

  it('finds a name typed as it is shown, whatever its capitals (İ)', async () => {
    await addUser(f.keel, testAdmin, {
      id: 'ilhan',
      email: 'ilhan@example.org',
      name: 'İlhan Yılmaz',
      role: 'auditor',
      password: PASSWORD,
    });
    await createApiToken(f.keel, { id: 'ilhan', role: 'auditor' }, { name: 'ilhan-token', scope: 'read' });
    const byId = await page('actor=ilhan');
    expect(Number(byId.total)).toBeGreaterThan(0);
    expect((await page(`actor=${encodeURIComponent('İlhan Yılmaz')}`)).total).toBe(byId.total);
  });

  it('refuses a name that matches more users than it may stand for, rather than leave some out unseen', async () => {
    await sql`INSERT INTO users (id, email, name, role, password_hash)
      SELECT 'okonkwo-' || lpad(g::text, 3, '0'), 'okonkwo-' || g || '@example.org', 'Okonkwo ' || g, 'auditor', 'x'
      FROM generate_series(1, ${ACTOR_MATCH_MAX + 1}::int) g`.execute(f.keel.database.db);
    for (const url of ['/api/audit/log?actor=okonkwo', '/api/audit/log.csv?actor=okonkwo']) {
      const refused = await get(url);
      expect(refused.statusCode, url).toBe(400);
      expect(refused.json().message).toContain(`matches more than ${ACTOR_MATCH_MAX} users by name`);
    }
    // The id still finds its user alone.
    expect((await get('/api/audit/log?actor=okonkwo-001')).statusCode).toBe(200);
  });

  it('exports the selection as CSV, oldest first', async () => {
    const response = await get('/api/audit/log.csv?action=wall_crossing.');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = response.body.trim().split('\n');
    expect(lines[0]).toBe(
      'seq,at,actor,role,action,subject,details (JSON as recorded; amounts in integer cents)',
    );
    const listed = await page('action=wall_crossing.');
    expect(lines).toHaveLength(listed.items.length + 1);
    expect(lines[1]!.split(',')[0]).toBe(listed.items.at(-1)!.seq);
  });

  it('answers only the roles that audit; the others are refused', async () => {
    for (const role of ['admin', 'risk_compliance', 'auditor'] as const) {
      expect((await get('/api/audit/log?limit=1', role)).statusCode, role).toBe(200);
    }
    for (const role of ['banker', 'portfolio_manager', 'council_member', 'research_analyst'] as const) {
      expect((await get('/api/audit/log?limit=1', role)).statusCode, role).toBe(403);
      expect((await get('/api/audit/log.csv', role)).statusCode, role).toBe(403);
    }
  });

  it('refuses absurd filters with a 400 that says what is wrong', async () => {
    for (const [query, message] of [
      ['limit=100000', 'limit'],
      ['limit=0', 'limit'],
      ['offset=-1', 'offset'],
      ['from=2026-02-30', 'from'],
      ['from=2026-05-01&to=2026-04-01', 'from must not be after to'],
      [`actor=${'x'.repeat(201)}`, 'actor is at most 200 characters'],
    ] as const) {
      const response = await get(`/api/audit/log?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.body, query).toContain(message);
    }
    expect((await get('/api/audit/log.csv?from=2026-05-01&to=2026-04-01')).statusCode).toBe(400);
  });

  it("a deal's and a company's timeline say who did what, without the write's full request", async () => {
    const response = await get(`/api/deals/${f.sentinelDeal}/activity`, 'banker');
    expect(response.statusCode, response.body).toBe(200);
    const { items } = activityResponse.parse(response.json());
    const actions = items.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['ledger.record', 'wall_crossing.request']));
    expect(items.find((r) => r.action === 'ledger.record')?.summary).toBe(
      'recorded a commitment of $12,345,678.00, effective 2026-02-01',
    );
    // The crossing's reason is for compliance and the audit log, not for every reader of the deal.
    expect(response.body).not.toContain('valuation work');
    expect(response.body).not.toContain('"details"');

    const company = await get(`/api/companies/${f.sentinelDeal}-co/activity`, 'portfolio_manager');
    expect(company.statusCode, company.body).toBe(200);
    const subjects = activityResponse.parse(company.json()).items.map((r) => r.subject);
    expect(subjects).toContain(`deal:${f.sentinelDeal}`);

    // An analyst brought over the wall for this deal sees its figures, not who on the deal team did what.
    for (const role of ['council_member', 'research_analyst', 'crossed_analyst'] as const) {
      expect((await get(`/api/deals/${f.sentinelDeal}/activity`, role)).statusCode, role).toBe(403);
      expect((await get(`/api/companies/${f.sentinelDeal}-co/activity`, role)).statusCode, role).toBe(403);
    }
    expect((await get('/api/deals/no-such-deal/activity', 'banker')).statusCode).toBe(404);
    expect((await get('/api/companies/no-such-co/activity', 'banker')).statusCode).toBe(404);
  });

  // Last: it breaks the log for the rest of the file.
  it('a body edited outside Keel into something not JSON is reported as such, not as a 500', async () => {
    await asAttacker(f.keel.database.db, (tx) =>
      sql`UPDATE audit_log SET body = 'forged' WHERE seq = (SELECT min(seq) FROM audit_log)`.execute(tx),
    );
    const response = await get('/api/audit/log?action=deal.');
    expect(response.statusCode, response.body).toBe(409);
    expect(response.body).toContain('keel audit verify');
  });
});
