/**
 * The full role × route matrix, built from the route table: every route, every role (plus an analyst who was
 * brought over the wall for one deal, plus no credentials). Allowed cells must not answer 401/403; denied
 * cells must answer exactly 403 (401 without credentials). In no response to a public-side principal, allowed
 * or denied (lists, exports, aggregates, error messages), may the private-side sentinel deal appear.
 */

import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Access, ROUTE_TABLE } from '../../src/api/route.ts';
import { can, PRIVATE_SIDE, ROLES, type Role } from '../../src/domain/roles.ts';
import { SAVED_VIEW_READS } from '../../src/domain/saved-views.ts';
import { describeOnBackends } from '../integration/backends.ts';
import {
  type ApiFixture,
  apiFixture,
  EXAMPLE_QUERIES,
  exampleBody,
  multipartCsv,
  SENTINEL,
} from './helpers.ts';

type Who = Role | 'crossed_analyst' | 'anonymous';
const WHO: Who[] = [...ROLES, 'crossed_analyst', 'anonymous'];

/** The path id each route is exercised with: real private-side records where the route reads one. */
function idFor(url: string, f: ApiFixture): string {
  if (url.startsWith('/api/deals') || url.startsWith('/api/committee/deals')) return f.sentinelDeal;
  if (url.startsWith('/api/companies') || url.startsWith('/api/credit/obligors')) return `${SENTINEL}-0-co`;
  if (url.startsWith('/api/credit/facilities')) return 'no-such-facility';
  if (
    url.includes('wall-crossings') ||
    url.startsWith('/api/credit/questions') ||
    url.includes('committee/decisions') ||
    url.includes('committee/agenda')
  )
    return '1';
  if (url.includes('tokens')) return 'tok_doesnotexist';
  if (url.startsWith('/api/research/scenarios')) return 'antimony-export-ban';
  if (url.startsWith('/api/network/organisations')) return 'agnico-eagle-mines';
  if (
    [
      '/api/research/notes',
      '/api/participations',
      '/api/permits',
      '/api/council',
      '/api/documents',
      '/api/saved-views',
      '/api/notifications',
    ].some((p) => url.startsWith(p))
  )
    return '1';
  return 'imp_doesnotexist';
}

/** A valid request for every route, so that a refusal can only come from authorisation. */
function requestFor(route: { method: string; url: string }, f: ApiFixture, who: Who, n: number) {
  const key = `matrix-${who.replaceAll('_', '-')}-${n}`;
  const path = route.url
    .replace(':id', idFor(route.url, f))
    .replace(':kind', route.url.includes('exports') ? 'deals' : 'companies')
    .replace(':index', '0');
  const url = `${path}${EXAMPLE_QUERIES[route.url] ?? ''}`;
  const headers: Record<string, string> =
    who === 'anonymous' ? {} : { authorization: `Bearer ${f.tokens[who]}` };
  if (route.method === 'POST' || route.method === 'DELETE') headers['idempotency-key'] = key;
  if (route.url === '/api/imports/:kind') {
    const upload = multipartCsv(
      `id,name,us_based,source\nimp-${n}-${who.replaceAll('_', '-')},Imported Co,yes,synthetic (test)\n`,
    );
    return { method: route.method, url, headers: { ...headers, ...upload.headers }, payload: upload.payload };
  }
  const body = exampleBody(route, f, key);
  return { method: route.method, url, headers, ...(body === undefined ? {} : { payload: body as object }) };
}

function expectedAllowed(access: Access, who: Who, url: string, method: string): boolean {
  if (access === 'public') return true;
  if (who === 'anonymous') return false;
  // A saved view needs the read permission of its page: the example body keeps a view of the deals list.
  if (method === 'POST' && url === '/api/saved-views')
    return who !== 'crossed_analyst' && can({ id: 'x', role: who }, SAVED_VIEW_READS.deals);
  if (access === 'authenticated') return true;
  if (who === 'crossed_analyst')
    return url === '/api/deals/:id' || can({ id: 'x', role: 'research_analyst' }, access);
  return can({ id: 'x', role: who }, access);
}

/**
 * Routes that answer success only on records this matrix does not make (a decision to amend, a job to poll):
 * the test files named call them successfully, under the same strict response check.
 */
const CHECKED_ELSEWHERE: Record<string, string> = {
  'POST /api/deals/:id/stage': 'committee-door',
  // A one-time link and a second factor change who may sign in: each needs its own fresh state.
  'POST /api/setup': 'setup-link',
  'POST /api/setup/password': 'password-reset',
  // Each success ends a user's sessions: password-reset issues links on users of its own.
  'POST /api/users/:id/password-reset': 'password-reset',
  'POST /api/me/totp': 'totp',
  // Browser redirects: this fixture has no provider, so both send the browser back to the login page (303).
  'GET /api/auth/oidc/login': 'sso, e2e/sso',
  'GET /api/auth/oidc/callback': 'sso, e2e/sso',
  'POST /api/me/totp/confirm': 'totp',
  'GET /api/import-jobs/:id': 'api, resources',
  'DELETE /api/import-jobs/:id': 'api, import-jobs',
  'GET /api/import-jobs/:id/events': 'import-jobs, integration/several-servers',
  'GET /api/jobs/:id': 'jobs',
  'GET /api/jobs/:id/events': 'jobs, integration/several-servers',
  'GET /api/jobs/:id/result': 'jobs',
  'DELETE /api/jobs/:id': 'jobs',
  'POST /api/users/:id/disable': 'accounts',
  'POST /api/users/:id/enable': 'accounts',
  // Each success signs the head anew: the matrix's second allowed role would only add checkpoints.
  'POST /api/audit/checkpoints': 'audit-checkpoint, cross-principal-replay',
  'POST /api/users/:id/role': 'separation-of-duties',
  'POST /api/role-changes/:id/decision': 'separation-of-duties',
  'DELETE /api/tokens/:id': 'idempotency-keys, token-scope',
  'DELETE /api/saved-views/:id': 'saved-views',
  'POST /api/wall-crossings/:id/decision': 'helpers (every API fixture)',
  'POST /api/committee/deals/:id/votes': 'committee-door',
  'POST /api/committee/deals/:id/conflicts': 'committee-door',
  'POST /api/committee/decisions': 'committee-door',
  'POST /api/committee/decisions/:id/conditions/:index': 'cross-principal-replay',
  'DELETE /api/committee/agenda/:id': 'committee-reapproval',
  'POST /api/participations': 'idempotency-keys, cross-principal-replay',
  'POST /api/participations/:id/status': 'idempotency-keys, cross-principal-replay',
  'POST /api/credit/facilities': 'credit',
  'POST /api/credit/facilities/:id/terms': 'credit, credit-questions',
  'POST /api/credit/questions': 'credit-questions, cross-principal-replay',
  'POST /api/credit/questions/:id/votes': 'credit-questions, cross-principal-replay',
  'POST /api/credit/questions/:id/conflicts': 'credit-questions, cross-principal-replay',
  'POST /api/credit/questions/:id/decision': 'credit-questions, cross-principal-replay',
  'GET /api/credit/facilities/:id': 'credit',
  'POST /api/credit/facilities/:id/covenants': 'credit-covenants, cross-principal-replay',
  'GET /api/credit/facilities/:id/covenants': 'credit-covenants',
  'POST /api/credit/watchlist/actions': 'credit-covenants, cross-principal-replay',
  // The fixture holds no loan (its one deal is equity): the simulation answers 422 empty_portfolio here.
  'POST /api/credit/portfolio-risk': 'credit-portfolio-risk',
  'POST /api/credit/portfolio-risk/stream': 'credit-portfolio-risk',
  // The fixture imports no prices and no organisations.
  'GET /api/event-studies': 'event-studies',
  'POST /api/network/relationships': 'network',
  'GET /api/network/organisations/:id': 'network',
  // The fixture loads no statements; public-record serves one and refuses a path outside the collection.
  'GET /api/public-record/statement': 'public-record',
  // An upload is multipart with fields this matrix does not send; the fixture has no document to download.
  'POST /api/documents': 'documents',
  'GET /api/documents/:id/content': 'documents',
};

const publicSide = (who: Who) => who === 'anonymous' || !PRIVATE_SIDE.has(who as Role);

describeOnBackends('role × route matrix', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());

  it('covers every route for every role, and the barrier holds in every response', async () => {
    expect(ROUTE_TABLE.length).toBeGreaterThanOrEqual(20);
    const failures: string[] = [];
    // Every answer here went through its route's response schema strictly (vitest.config.ts): a field the
    // schema lacks or a value it refuses is a 500 above. A route no role got a success from was not checked.
    expect(process.env.KEEL_STRICT_RESPONSES).toBe('1');
    const unchecked = new Set(ROUTE_TABLE.map((r) => `${r.method} ${r.url}`));
    let n = 0;
    for (const route of ROUTE_TABLE) {
      for (const who of WHO) {
        n++;
        const response = await f.app.inject(requestFor(route, f, who, n) as never);
        if (response.statusCode < 300) unchecked.delete(`${route.method} ${route.url}`);
        const cell = `${route.method} ${route.url} as ${who} → ${response.statusCode}`;
        const allowed = expectedAllowed(route.access, who, route.url, route.method);
        if (allowed && (response.statusCode === 401 || response.statusCode === 403))
          failures.push(`${cell}: should be allowed (${response.body.slice(0, 160)})`);
        if (!allowed && response.statusCode !== (who === 'anonymous' ? 401 : 403))
          failures.push(`${cell}: should be refused`);
        if (response.statusCode >= 500) failures.push(`${cell}: server error ${response.body.slice(0, 200)}`);
        // The wall-crossed analyst may see the one deal they were brought over for, nothing else: the deal
        // itself, and the notification that told them they were brought over for it.
        const mayContainSentinel =
          !publicSide(who) ||
          (who === 'crossed_analyst' &&
            (route.url === '/api/deals/:id' || route.url === '/api/notifications'));
        if (!mayContainSentinel && response.body.toLowerCase().includes(SENTINEL))
          failures.push(`${cell}: leaked the private-side deal`);
        if (!allowed && response.statusCode === 403) {
          const body = response.json();
          if (body.error !== 'forbidden' || typeof body.message !== 'string')
            failures.push(`${cell}: error body ${response.body}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect([...unchecked].filter((route) => !(route in CHECKED_ELSEWHERE))).toEqual([]);
  });

  it('the council sees aggregates that add up, without counterparties', async () => {
    const response = await f.app.inject({
      method: 'GET',
      url: '/api/programme/aggregates',
      headers: { authorization: `Bearer ${f.tokens.council_member}` },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    // One deal is fewer than k = 3: its figures are suppressed (merged into `other`, with no amount).
    expect(body.counted.total).toBeNull();
    expect(body.bySubArea).toEqual([{ key: 'other', counted: null, merged: true }]);
    expect(body.caps.map((c: { capId: string }) => c.capId).sort()).toEqual([
      'equity-vc',
      'equity-vc-per-sub-area',
    ]);
  });

  it('a read-scoped token cannot write, whatever its role', async () => {
    const created = await f.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { authorization: `Bearer ${f.tokens.admin}`, 'idempotency-key': 'ro-token' },
      payload: { name: 'ro', scope: 'read' },
    });
    const readOnly = created.json().result.token;
    const read = await f.app.inject({
      method: 'GET',
      url: '/api/deals',
      headers: { authorization: `Bearer ${readOnly}` },
    });
    expect(read.statusCode).toBe(200);
    const write = await f.app.inject({
      method: 'POST',
      url: '/api/deals/x/stage',
      headers: { authorization: `Bearer ${readOnly}`, 'idempotency-key': 'ro-1' },
      payload: { to: 'screening' },
    });
    expect(write.statusCode).toBe(403);
  });
});
