/**
 * Idempotency keys belong to a principal, on every write route: for each route in the route table that takes
 * an Idempotency-Key, one principal sends a valid request with key K, then another principal allowed to call
 * the route sends the same request with the same K. The second must be executed for the second principal (a
 * new audit entry in their name) or refused on its own merits, never answered with the first's stored
 * response and never refused as a reused key. And a key another principal used for another action is never
 * refused as reused, nor is that action named to the caller.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROUTE_TABLE, type RouteSpec } from '../../src/api/route.ts';
import { disableUser } from '../../src/app/accounts.ts';
import { addUser, createApiToken } from '../../src/app/auth.ts';
import { can, PRIVATE_SIDE, ROLES, type Role } from '../../src/domain/roles.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import {
  type ApiFixture,
  apiFixture,
  decidedCreditQuestion,
  EXAMPLE_FACILITY_TERMS,
  exampleBody,
  multipartDocument,
  PASSWORD,
  SENTINEL,
} from './helpers.ts';

interface Caller {
  id: string;
  token: string;
}

const userId = (role: Role) => role.replaceAll('_', '-');

/** Whether a message names a word (`admin`, not the `administrator` of a rule). */
const names = (message: unknown, word: string) =>
  new RegExp(`(^|[^a-z0-9._-])${word.replaceAll('.', '\\.')}($|[^a-z0-9_-])`).test(String(message));

/** Roles that may call a route, in ROLES order. */
function allowedRoles(route: RouteSpec): Role[] {
  return ROLES.filter(
    (role) => route.access === 'authenticated' || can({ id: 'x', role }, route.access as never),
  );
}

describeOnBackends('cross-principal replay of every write route', (backend) => {
  let f: ApiFixture;
  /** A second user of each role, for routes that only one role may call. */
  const twins = {} as Record<Role, Caller>;
  /** Path ids of records made for the routes that act on one. */
  const ids: Record<string, string> = {};
  let stageDeal = '';
  let committeeDeal = '';
  /** A deal in committee with the quorum's votes cast, for the decision route itself. */
  let decidableDeal = '';
  /** A term loan with a facility, for the credit routes, and credit questions the committee approved. */
  let loanDeal = '';
  /** A loan without a facility: a deal holds one facility, so the opening route needs its own. */
  let openLoanDeal = '';
  let breachedCovenant = '';
  let termsQuestion = '';
  let waiverQuestion = '';

  const post = async (token: string, url: string, key: string, payload: object) => {
    const response = await f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
      payload,
    });
    if (response.statusCode !== 200) throw new Error(`setup ${url}: ${response.statusCode} ${response.body}`);
    return String(response.json().result.id);
  };

  beforeAll(async () => {
    f = await apiFixture(backend);
    for (const role of ROLES) {
      const id = `twin-${userId(role)}`;
      await addUser(f.keel, testAdmin, {
        id,
        email: `${id}@example.org`,
        name: id,
        role,
        password: PASSWORD,
      });
      twins[role] = {
        id,
        token: (await createApiToken(f.keel, { id, role }, { name: 'twin', scope: 'write' })).token,
      };
    }
    stageDeal = (await seedDeals(f.keel, { prefix: 'xp-stage', count: 1, stage: 'monitoring' }))[0]!;
    committeeDeal = (await seedDeals(f.keel, { prefix: 'xp-committee', count: 1, stage: 'committee' }))[0]!;
    const route = (method: string, url: string) => ({ method, url });
    const admin = f.tokens.admin;
    // The organisations the example participation and relationship name.
    const organisations = await f.app.inject({
      method: 'POST',
      url: '/api/network/organisations',
      headers: { authorization: `Bearer ${admin}`, 'idempotency-key': 'setup-organisations' },
      payload: {
        organisations: ['agnico-eagle-mines', 'perpetua-resources-org'].map((id) => ({
          id,
          name: id,
          kind: 'company',
          country: 'US',
          source: 'synthetic (test)',
        })),
      },
    });
    if (organisations.statusCode !== 200) throw new Error(`setup organisations: ${organisations.body}`);
    ids['/api/wall-crossings/:id/decision'] = await post(
      f.tokens.banker,
      '/api/wall-crossings',
      'setup-crossing',
      exampleBody(route('POST', '/api/wall-crossings'), f, 'setup')!,
    );
    // Admin's own view: deleted by admin first; another user asking to delete that id is told they have none.
    ids['/api/saved-views/:id'] = await post(admin, '/api/saved-views', 'setup-view', {
      page: 'deals',
      name: 'replayed view',
      query: 'stage=sourced',
    });
    ids['/api/research/notes/:id'] = await post(
      admin,
      '/api/research/notes',
      'setup-note',
      exampleBody(route('POST', '/api/research/notes'), f, 'setup')!,
    );
    ids['/api/participations/:id/status'] = await post(
      admin,
      '/api/participations',
      'setup-participation',
      exampleBody(route('POST', '/api/participations'), f, 'setup')!,
    );
    ids['/api/permits/:id/stage'] = await post(
      admin,
      '/api/permits',
      'setup-permit',
      exampleBody(route('POST', '/api/permits'), f, 'setup')!,
    );
    const meeting = await post(
      admin,
      '/api/council/meetings',
      'setup-meeting',
      exampleBody(route('POST', '/api/council/meetings'), f, 'setup')!,
    );
    ids['/api/council/recommendations/:id/status'] = await post(
      admin,
      '/api/council/recommendations',
      'setup-recommendation',
      { ...exampleBody(route('POST', '/api/council/recommendations'), f, 'setup')!, meetingId: meeting },
    );
    // A decision needs the quorum's votes, cast by signed-in members (three: the programme's default quorum).
    const thirdMember = 'third-ic-member';
    await addUser(f.keel, testAdmin, {
      id: thirdMember,
      email: `${thirdMember}@example.org`,
      name: thirdMember,
      role: 'investment_committee',
      password: PASSWORD,
    });
    const third = (
      await createApiToken(
        f.keel,
        { id: thirdMember, role: 'investment_committee' },
        { name: 'third', scope: 'write' },
      )
    ).token;
    decidableDeal = (await seedDeals(f.keel, { prefix: 'xp-decidable', count: 1, stage: 'committee' }))[0]!;
    const members = [f.tokens.investment_committee, twins.investment_committee.token, third];
    for (const deal of [committeeDeal, decidableDeal])
      for (const [n, member] of members.entries())
        await post(member, `/api/committee/deals/${deal}/votes`, `setup-vote-${deal}-${n}`, { vote: 'for' });
    // A loan with a facility open on it, for the credit routes.
    [loanDeal, openLoanDeal] = (await seedDeals(f.keel, {
      prefix: 'xp-loan',
      count: 2,
      instrument: 'term_loan',
      stage: 'committee',
    })) as [string, string];
    ids['/api/credit/facilities/:id/terms'] = await post(admin, '/api/credit/facilities', 'setup-facility', {
      id: 'xp-facility',
      dealId: loanDeal,
      terms: EXAMPLE_FACILITY_TERMS,
    });
    // A covenant on that facility, breached at its first test, for the watchlist's action.
    ids['/api/credit/facilities/:id/covenants'] = ids['/api/credit/facilities/:id/terms'];
    breachedCovenant = await post(admin, '/api/credit/facilities/xp-facility/covenants', 'setup-covenant', {
      kind: 'min_liquidity',
      threshold: '1000000.00',
      firstTestOn: '2026-03-31',
      everyMonths: 3,
    });
    await post(admin, '/api/credit/financials', 'setup-financials', {
      rows: [
        {
          companyId: `${loanDeal}-co`,
          periodEnd: '2026-03-31',
          ebitda: '1.00',
          netDebt: '1.00',
          cfads: '1.00',
          debtService: '1.00',
          liquidity: '0.00',
        },
      ],
    });
    // Credit questions the committee approved (new terms; a waiver of the breach), each applied once: the
    // second caller is refused on the merits (already applied).
    termsQuestion = await decidedCreditQuestion(f, members, 'setup-terms-question', {
      facilityId: 'xp-facility',
      kind: 'terms_amendment',
      terms: { ...EXAMPLE_FACILITY_TERMS, interest: { kind: 'fixed', rate: '0.065' } },
      summary: 'a fixed rate of 6.5% from the next period',
      meetingOn: '2026-11-15',
    });
    waiverQuestion = await decidedCreditQuestion(f, members, 'setup-waiver-question', {
      facilityId: 'xp-facility',
      kind: 'waiver',
      covenantId: breachedCovenant,
      testOn: '2026-03-31',
      summary: 'waive the March liquidity test',
      meetingOn: '2026-11-15',
    });
    // Open questions to vote on and to declare a conflict on; one with the quorum's votes to decide.
    const openQuestion = (key: string) =>
      post(f.tokens.banker, '/api/credit/questions', key, {
        ...exampleBody(route('POST', '/api/credit/questions'), f, key)!,
        facilityId: 'xp-facility',
      });
    ids['/api/credit/questions/:id/votes'] = await openQuestion('setup-question-vote');
    ids['/api/credit/questions/:id/conflicts'] = await openQuestion('setup-question-conflict');
    ids['/api/credit/questions/:id/decision'] = await openQuestion('setup-question-decide');
    for (const [n, member] of members.entries())
      await post(
        member,
        `/api/credit/questions/${ids['/api/credit/questions/:id/decision']}/votes`,
        `setup-question-decide-vote-${n}`,
        { vote: 'for' },
      );
    // Grades are assigned to a company: the sentinel deal's.
    ids['/api/credit/obligors/:id/grades'] = `${SENTINEL}-0-co`;
    // Members vote on one deal in committee and declare a conflict on another.
    ids['/api/committee/deals/:id/votes'] = (
      await seedDeals(f.keel, { prefix: 'xp-vote', count: 1, stage: 'committee' })
    )[0]!;
    ids['/api/committee/deals/:id/conflicts'] = (
      await seedDeals(f.keel, { prefix: 'xp-conflict', count: 1, stage: 'committee' })
    )[0]!;
    // Users to disable, to enable again and to change the role of; a role change requested by another
    // admin to decide.
    for (const id of ['xp-disable-me', 'xp-enable-me', 'xp-role-me', 'xp-role-decided'])
      await addUser(f.keel, testAdmin, {
        id,
        email: `${id}@example.org`,
        name: id,
        role: 'banker',
        password: PASSWORD,
      });
    ids['/api/users/:id/disable'] = 'xp-disable-me';
    await disableUser(f.keel, testAdmin, 'setup-disable', 'xp-enable-me');
    ids['/api/users/:id/enable'] = 'xp-enable-me';
    ids['/api/users/:id/role'] = 'xp-role-me';
    ids['/api/role-changes/:id/decision'] = await post(
      twins.admin.token,
      '/api/users/xp-role-decided/role',
      'setup-role-change',
      { role: 'portfolio_manager', reason: 'moves to the portfolio team' },
    );
    // A notification of the admin's own to mark read: put on a deal's team by the banker.
    await post(f.tokens.banker, `/api/deals/${stageDeal}/amendments`, 'setup-team', { team: ['admin'] });
    const notices = await f.app.inject({
      method: 'GET',
      url: '/api/notifications',
      headers: { authorization: `Bearer ${admin}` },
    });
    ids['/api/notifications/:id/read'] = notices.json().items[0].id;
    // An agenda item taken off by the first caller; the second is told it is no longer on the agenda.
    await post(admin, '/api/committee/agenda', 'setup-agenda', {
      dealIds: [f.sentinelDeal],
      meetingOn: '2027-02-02',
    });
    const agenda = await f.app.inject({
      method: 'GET',
      url: '/api/committee/agenda',
      headers: { authorization: `Bearer ${admin}` },
    });
    ids['/api/committee/agenda/:id'] = agenda
      .json()
      .items.find((i: { meetingOn: string }) => i.meetingOn === '2027-02-02').id;
    ids['/api/committee/decisions/:id/conditions/:index'] = await post(
      admin,
      '/api/committee/decisions',
      'setup-decision',
      {
        ...exampleBody(route('POST', '/api/committee/decisions'), f, 'setup')!,
        dealId: committeeDeal,
        decision: 'approve_with_conditions',
        conditions: ['Board seat confirmed'],
      },
    );
  });
  afterAll(() => f.close());

  // A second factor is set up by a signed-in person, never with an API token (refused before any key is read),
  // and each of its requests takes a server key of its own: test/api/totp.test.ts covers those two routes.
  const SESSION_ONLY = new Set(['/api/me/totp', '/api/me/totp/confirm']);
  /** Done: 200, or 202 for a write that queues a job (a scenario run). */
  const ok = (status: number) => status === 200 || status === 202;
  const writeRoutes = () => ROUTE_TABLE.filter((route) => route.write && !SESSION_ONLY.has(route.url));

  /** The same valid request for whoever sends it. */
  function requestFor(route: RouteSpec, tag: string) {
    const id =
      ids[route.url] ??
      (route.url.startsWith('/api/deals/')
        ? stageDeal
        : route.url.startsWith('/api/research/scenarios/')
          ? 'antimony-export-ban'
          : '');
    const url = route.url.replace(':id', id).replace(':index', '0');
    let body = exampleBody(route, f, tag);
    if (route.url === '/api/committee/decisions') body = { ...body, dealId: decidableDeal };
    if (route.url === '/api/credit/facilities') body = { ...body, dealId: openLoanDeal };
    if (route.url === '/api/credit/facilities/:id/terms') body = { ...body, questionId: termsQuestion };
    if (route.url === '/api/credit/watchlist/actions')
      body = { ...body, covenantId: breachedCovenant, questionId: waiverQuestion };
    if (route.url === '/api/credit/questions') body = { ...body, facilityId: 'xp-facility' };
    // A file upload: the same fields and the same file for whoever sends it.
    if (route.multipart)
      return {
        url,
        multipart: multipartDocument(
          { subjectKind: 'company', subjectId: `${SENTINEL}-0-co`, title: `replay ${tag}` },
          { filename: 'replay.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') },
        ),
      };
    return { url, body };
  }

  /** The first caller, and another principal allowed on the route: a public-side role where one is allowed. */
  function callers(route: RouteSpec): [Caller, Caller] {
    const allowed = allowedRoles(route);
    const firstRole = allowed[0]!;
    const first = { id: userId(firstRole), token: f.tokens[firstRole] };
    const others = allowed.filter((role) => role !== firstRole);
    const otherRole = others.find((role) => !PRIVATE_SIDE.has(role)) ?? others.at(-1);
    return [first, otherRole ? { id: userId(otherRole), token: f.tokens[otherRole] } : twins[firstRole]];
  }

  const send = (
    caller: Caller,
    route: RouteSpec,
    key: string,
    request: { url: string; body?: object; multipart?: ReturnType<typeof multipartDocument> },
  ) =>
    f.app.inject({
      method: route.method,
      url: request.url,
      headers: {
        authorization: `Bearer ${caller.token}`,
        'idempotency-key': key,
        ...request.multipart?.headers,
      },
      ...(request.multipart
        ? { payload: request.multipart.payload }
        : request.body === undefined
          ? {}
          : { payload: request.body }),
    });

  const auditedFor = async (actor: string) =>
    (
      await sql<{
        n: bigint;
      }>`SELECT count(*)::bigint AS n FROM audit_log WHERE body::jsonb ->> 'actor' = ${actor}`.execute(
        f.keel.database.db,
      )
    ).rows[0]!.n;

  it('the same key from another principal is another key, on every write route', async () => {
    const routes = writeRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(25);
    const failures: string[] = [];
    for (const [n, route] of routes.entries()) {
      const name = `${route.method} ${route.url}`;
      const [first, second] = callers(route);
      const key = `shared-key-${n}`;
      const request = requestFor(route, `xp-${n}`);
      const one = await send(first, route, key, request);
      if (!ok(one.statusCode)) {
        failures.push(
          `${name}: the first request (as ${first.id}) is not valid: ${one.statusCode} ${one.body}`,
        );
        continue;
      }
      const auditedBefore = await auditedFor(second.id);
      const two = await send(second, route, key, request);
      const cell = `${name}: ${first.id} then ${second.id} → ${two.statusCode}`;
      if (two.statusCode >= 500) failures.push(`${cell}: server error ${two.body}`);
      if (ok(two.statusCode)) {
        if ((await auditedFor(second.id)) <= auditedBefore)
          failures.push(`${cell}: nothing was done for ${second.id} (a replay of ${first.id}'s request)`);
        if (two.json().replayed === true) failures.push(`${cell}: reported as a replay`);
      } else {
        const error = two.json();
        if (error.error === 'idempotency_key_reused')
          failures.push(`${cell}: refused as a reused key: ${error.message}`);
        if (names(error.message, first.id)) failures.push(`${cell}: names ${first.id}: ${error.message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("another principal's key for another action is never refused as reused, nor is that action named", async () => {
    const failures: string[] = [];
    for (const [n, route] of writeRoutes().entries()) {
      const name = `${route.method} ${route.url}`;
      const [, caller] = callers(route);
      // Someone else first uses the key for an action of their own.
      const key = `claimed-key-${n}`;
      const claim = route.url.startsWith('/api/research/scenarios/:id/runs')
        ? { url: '/api/tokens', body: { name: 'claim', scope: 'read' }, action: 'token.create' }
        : {
            url: '/api/research/scenarios/antimony-export-ban/runs',
            body: undefined,
            action: 'research.scenario.run',
          };
      const claimer = caller.id === twins.admin.id ? { id: 'admin', token: f.tokens.admin } : twins.admin;
      const claimed = await f.app.inject({
        method: 'POST',
        url: claim.url,
        headers: { authorization: `Bearer ${claimer.token}`, 'idempotency-key': key },
        ...(claim.body ? { payload: claim.body } : {}),
      });
      expect(claimed.statusCode, claimed.body).toBe(200);
      const response = await send(caller, route, key, requestFor(route, `claimed-${n}`));
      const cell = `${name} as ${caller.id} → ${response.statusCode}`;
      if (response.statusCode >= 500) failures.push(`${cell}: server error ${response.body}`);
      if (!ok(response.statusCode)) {
        const error = response.json();
        if (error.error === 'idempotency_key_reused')
          failures.push(`${cell}: refused as reused: ${error.message}`);
        if (names(error.message, claim.action)) failures.push(`${cell}: names ${claim.action}`);
        if (names(error.message, claimer.id)) failures.push(`${cell}: names ${claimer.id}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
