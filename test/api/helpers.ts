import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.ts';
import { addUser, createApiToken } from '../../src/app/auth.ts';
import { financialsInputSchema, recordFinancials } from '../../src/app/credit/covenants.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { ROLES, type Role } from '../../src/domain/roles.ts';
import { EXAMPLE_FACILITY_TERMS } from '../fixtures/facility-terms.ts';
import { type Backend, freshKeel, type TestKeel } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';

export { EXAMPLE_FACILITY_TERMS };
export const PASSWORD = 'correct horse battery staple';
/** A private-side deal whose name must never reach anyone on the public side. */
export const SENTINEL = 'sentinelhypersonics';

export interface ApiFixture {
  keel: TestKeel;
  app: FastifyInstance;
  /** A write-scoped API token per role. */
  tokens: Record<Role | 'crossed_analyst', string>;
  sentinelDeal: string;
  close(): Promise<void>;
}

const EXAMPLE_FINANCIALS = {
  companyId: `${SENTINEL}-0-co`,
  ebitda: '1000000.00',
  netDebt: '2500000.00',
  cfads: '900000.00',
  debtService: '500000.00',
  liquidity: '300000.00',
};
const CORRECTED_PERIOD = '2025-12-31';

export async function apiFixture(backend: Backend): Promise<ApiFixture> {
  const keel = await freshKeel(backend);
  const [sentinelDeal] = await seedDeals(keel, {
    prefix: SENTINEL,
    count: 1,
    instrument: 'direct_equity',
    subAreaId: 'munitions-missiles-hypersonics',
  });
  await recordLedgerEntry(keel, testAdmin, {
    clientKey: 'sentinel-commit',
    dealId: sentinelDeal!,
    kind: 'commitment',
    amount: cents(12_345_678_00n),
    effectiveOn: asIsoDate('2026-02-01'),
  });
  // A period of the sentinel's financials, for the correction route's example to correct.
  await recordFinancials(
    keel,
    testAdmin,
    'fixture-financials',
    financialsInputSchema.parse({ rows: [{ ...EXAMPLE_FINANCIALS, periodEnd: CORRECTED_PERIOD }] }),
  );
  const tokens = {} as ApiFixture['tokens'];
  for (const role of [...ROLES, 'crossed_analyst'] as const) {
    const id = role.replaceAll('_', '-');
    await addUser(keel, testAdmin, {
      id,
      email: `${id}@example.org`,
      name: id,
      role: role === 'crossed_analyst' ? 'research_analyst' : role,
      password: PASSWORD,
    });
    tokens[role] = (
      await createApiToken(
        keel,
        { id, role: role === 'crossed_analyst' ? 'research_analyst' : role },
        { name: 'test', scope: 'write' },
      )
    ).token;
  }
  const app = await buildServer(keel, { loginRateLimit: 1_000 });
  // Bring one analyst over the wall for the sentinel deal, through the API as compliance would.
  const request = await app.inject({
    method: 'POST',
    url: '/api/wall-crossings',
    headers: { authorization: `Bearer ${tokens.banker}`, 'idempotency-key': 'cross-1' },
    payload: {
      userId: 'crossed-analyst',
      dealId: sentinelDeal,
      reason: 'valuation work on the hypersonics sector note',
    },
  });
  if (request.statusCode !== 200) throw new Error(`wall-crossing request failed: ${request.body}`);
  const approve = await app.inject({
    method: 'POST',
    url: `/api/wall-crossings/${request.json().result.id}/decision`,
    headers: { authorization: `Bearer ${tokens.risk_compliance}`, 'idempotency-key': 'cross-1-ok' },
    payload: { decision: 'approve', days: 3 },
  });
  if (approve.statusCode !== 200) throw new Error(`wall-crossing approval failed: ${approve.body}`);
  return {
    keel,
    app,
    tokens,
    sentinelDeal: sentinelDeal!,
    close: async () => {
      await app.close();
      await keel.close();
    },
  };
}

/** Committee members of one's own (users with a write token each), for tests that need a quorum: their tokens, in order. */
export async function addCommitteeMembers(keel: TestKeel, ids: readonly string[]): Promise<string[]> {
  const tokens: string[] = [];
  for (const id of ids) {
    await addUser(keel, testAdmin, {
      id,
      email: `${id}@example.org`,
      name: id,
      role: 'investment_committee',
      password: PASSWORD,
    });
    tokens.push(
      (await createApiToken(keel, { id, role: 'investment_committee' }, { name: 'test', scope: 'write' }))
        .token,
    );
  }
  return tokens;
}

/**
 * Puts a credit question as `putBy` (the banker unless told), has each member vote for it (against it, for a
 * decline) and the admin record `decision`: the question's id. Members are tokens of addCommitteeMembers (three for the default
 * quorum).
 */
export async function decidedCreditQuestion(
  f: Pick<ApiFixture, 'app' | 'tokens'>,
  members: readonly string[],
  key: string,
  question: object,
  decision: 'approve' | 'decline' | 'defer' = 'approve',
  putBy = f.tokens.banker,
): Promise<string> {
  const send = async (token: string, url: string, suffix: string, payload: object) => {
    const response = await f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `${key}-${suffix}` },
      payload,
    });
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    return response.json().result;
  };
  const { id } = await send(putBy, '/api/credit/questions', 'put', question);
  for (const [n, member] of members.entries())
    await send(member, `/api/credit/questions/${id}/votes`, `vote-${n}`, {
      vote: decision === 'decline' ? 'against' : 'for',
    });
  await send(f.tokens.admin, `/api/credit/questions/${id}/decision`, 'decide', {
    decision,
    decidedOn: '2026-07-15',
  });
  return String(id);
}

/** A text/event-stream body as its events, in order. */
export const serverSentEvents = (body: string) =>
  body
    .split('\n\n')
    .filter(Boolean)
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1],
      data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null'),
    }));

export function multipartCsv(csv: string): { payload: string; headers: Record<string, string> } {
  const boundary = '----keeltest';
  return {
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * The query each GET route is exercised with, so that a refusal can only come from authorisation. Projections
 * are kept small: the tests that use this are about who may call a route, not how long it takes.
 */
export const EXAMPLE_QUERIES: Record<string, string> = {
  '/api/projections': '?paths=100',
  '/api/documents': `?subjectKind=company&subjectId=${SENTINEL}-0-co`,
  '/api/projections/stream': '?paths=100',
  '/api/research/io/impact': '?subArea=semiconductors&change=-0.1',
  '/api/research/io/imports': '?subAreas=semiconductors,solar',
  '/api/research/runs/compare': '?ids=1',
  '/api/deals/:id/candidates': '?gap=1000000',
  '/api/reports/quarterly': '?quarter=2026Q4',
  '/api/reports/monthly': '?month=2026-11',
  '/api/event-studies': '?tickers=PPTA&market=SPY&event=2025-10-27',
  '/api/credit/irb': '?pd=0.01&lgd=0.45&maturity=2.5',
  '/api/public-record/statement':
    '?path=statements-releases/2024-11/2024-11-15-statement-from-president-joe-biden-on-final-chips-award-for-tsmc.md',
  '/api/public-record/statements': '?q=semiconductor',
  // The sentinel's own name: the public side must find nothing.
  '/api/search': `?q=${SENTINEL}`,
  '/api/deal-list': `?q=${SENTINEL}`,
  '/api/notes': `?subjectKind=deal&subjectId=${SENTINEL}-0`,
};

/**
 * A valid JSON body for each write route (ids made unique by `tag`), shared by the role × route matrix
 * and the fuzzer: a refusal of one of these can only come from authorisation or the domain's rules.
 */
let financialsPeriods = 0;
/** A new calendar day each call, counting from 1950-01-01. */
function nextFinancialsPeriod(): string {
  financialsPeriods++;
  return new Date(Date.UTC(1950, 0, financialsPeriods)).toISOString().slice(0, 10);
}

export function exampleBody(
  route: { method: string; url: string },
  f: ApiFixture,
  tag: string,
): Record<string, unknown> | undefined {
  const bodies: Record<string, Record<string, unknown>> = {
    'POST /api/auth/login': { email: 'banker@example.org', password: PASSWORD },
    'POST /api/me/totp/confirm': { code: '123456' },
    // The fixture has admins: every setup link is spent (410), whoever sends it.
    'POST /api/setup/check': { token: 'not-a-setup-link' },
    'POST /api/setup/password': { token: 'not-a-reset-link', password: 'a sufficiently long password' },
    'POST /api/setup': {
      token: 'not-a-setup-link',
      id: `setup-${tag}`,
      name: 'Setup Example',
      email: `setup-${tag}@example.org`,
      password: 'a sufficiently long password',
    },
    'POST /api/companies': {
      id: `co-${tag}`,
      name: 'Example Co',
      usBased: true,
      source: 'synthetic (test)',
      synthetic: true,
    },
    'POST /api/deals': {
      id: `deal-${tag}`,
      companyId: `${SENTINEL}-0-co`,
      subAreaId: 'robotics',
      instrument: 'term_loan',
      amount: '1000.00',
      classification: 'baseline',
      openedOn: '2026-03-01',
      source: 'synthetic (test)',
      synthetic: true,
    },
    'POST /api/deals/:id/stage': { to: 'exited' },
    // A name is not what the ledger counts by: no reason needed, and every tag is a new name.
    'POST /api/deals/:id/amendments': { name: `Renamed ${tag}` },
    'POST /api/saved-views': { page: 'deals', name: `View ${tag}`, query: 'stage=sourced&sort=name' },
    'POST /api/notes': {
      subjectKind: 'deal',
      subjectId: f.sentinelDeal,
      bodyMarkdown: `Example note ${tag}`,
    },
    'POST /api/ledger': {
      dealId: f.sentinelDeal,
      kind: 'valuation',
      amount: '1.00',
      effectiveOn: '2026-06-30',
    },
    'POST /api/users': {
      id: `u-${tag}`,
      email: `${tag}@example.org`,
      name: 'Example User',
      role: 'auditor',
      password: 'a sufficiently long password',
    },
    'POST /api/tokens': { name: 'example', scope: 'read' },
    'POST /api/users/:id/role': { role: 'auditor', reason: 'example role change request' },
    'POST /api/role-changes/:id/decision': { decision: 'deny' },
    'POST /api/optimise': { year: 2027, frontierPoints: 0, timeLimitSeconds: 2 },
    'POST /api/optimise/stream': { year: 2027, frontierPoints: 0, timeLimitSeconds: 2 },
    'POST /api/credit/portfolio-risk': { pd: 0.02, lgd: 0.4, scenarios: 1_000 },
    'POST /api/credit/portfolio-risk/stream': { pd: 0.02, lgd: 0.4, scenarios: 1_000 },
    'POST /api/credit/stress': { scenario: 'gallium-germanium-export-ban' },
    'POST /api/reports/quarterly/jobs': { quarter: '2026Q4' },
    'POST /api/reports/monthly/jobs': { month: '2026-11' },
    'POST /api/committee/agenda': { dealIds: [f.sentinelDeal], meetingOn: '2026-12-15', source: 'optimiser' },
    'POST /api/committee/decisions/:id/conditions/:index': { status: 'met' },
    'POST /api/committee/decisions': { dealId: f.sentinelDeal, decision: 'defer', decidedOn: '2026-11-15' },
    'POST /api/committee/deals/:id/votes': { vote: 'for' },
    'POST /api/committee/deals/:id/conflicts': { note: 'board seat at the company' },
    'POST /api/wall-crossings': {
      userId: 'research-analyst',
      dealId: f.sentinelDeal,
      reason: 'example request for access to the deal',
      days: 5,
    },
    'POST /api/wall-crossings/:id/decision': { decision: 'deny' },
    'POST /api/research/graph/edits': {
      baseVersion: 1,
      edits: [{ op: 'put_edge', edge: { from: 'gallium', to: 'solar', weight: 0.05, source: 'test' } }],
      note: 'example edit',
    },
    'POST /api/research/scenarios': {
      id: `scenario-${tag}`,
      name: 'Example',
      horizonMonths: 6,
      shocks: [{ kind: 'plant_outage', node: 'gallium', fraction: 0.5, months: 2 }],
    },
    'POST /api/research/notes': {
      title: 'Example note',
      bodyMarkdown: 'Gallium **matters**.',
      subjectKind: 'node',
      subjectId: 'gallium',
    },
    'POST /api/research/notes/:id': { status: 'published' },
    'POST /api/network/organisations': {
      organisations: [
        { id: `org-${tag}`, name: 'Example Fund', kind: 'fund', country: 'US', source: 'synthetic (test)' },
      ],
    },
    'POST /api/network/relationships': {
      relationships: [
        {
          kind: 'client_of',
          fromOrganisation: 'agnico-eagle-mines',
          toOrganisation: 'perpetua-resources-org',
          businessLine: 'asset_management',
          source: 'synthetic (test)',
        },
      ],
    },
    'POST /api/participations': {
      dealId: f.sentinelDeal,
      organisationId: 'agnico-eagle-mines',
      role: 'syndicate_member',
      instrument: 'syndicated_loan',
      amount: '1000.00',
      arrangedByBank: true,
      source: 'synthetic (test)',
    },
    'POST /api/participations/:id/status': { status: 'soft_circled' },
    // The sentinel deal is equity, so opening a facility on it is refused by the domain (422), not by access.
    'POST /api/credit/facilities': {
      id: `fac-${tag}`,
      dealId: f.sentinelDeal,
      terms: EXAMPLE_FACILITY_TERMS,
    },
    // No question 1 in the fixture: 404 for those allowed (cross-principal-replay makes an approved one).
    'POST /api/credit/facilities/:id/terms': { questionId: 1 },
    'POST /api/credit/obligors/:id/grades': { grade: 4, reason: `annual review of the obligor (${tag})` },
    'POST /api/credit/facilities/:id/covenants': {
      kind: 'max_leverage',
      threshold: '3.5',
      firstTestOn: '2026-03-31',
      everyMonths: 3,
    },
    // A period of its own each call: a company's period is recorded once (a second is a 409).
    // The fixture's period: each correction is its next version.
    'POST /api/credit/financials/corrections': {
      ...EXAMPLE_FINANCIALS,
      periodEnd: CORRECTED_PERIOD,
      replacesVersion: 1,
      reason: `restated by the auditors (${tag})`,
    },
    'POST /api/credit/financials': {
      rows: [
        {
          companyId: `${SENTINEL}-0-co`,
          periodEnd: nextFinancialsPeriod(),
          ebitda: '1000000.00',
          netDebt: '2500000.00',
          cfads: '900000.00',
          debtService: '500000.00',
          liquidity: '300000.00',
        },
      ],
    },
    // No covenant 1 in the fixture: 404 for those allowed (cross-principal-replay makes a real breach).
    'POST /api/credit/watchlist/actions': {
      covenantId: 1,
      testOn: '2026-03-31',
      action: 'waiver',
      questionId: 1,
      note: `waived by the committee (${tag})`,
    },
    // The fixture's facility does not exist (404 for those allowed); cross-principal-replay puts real ones.
    'POST /api/credit/questions': {
      facilityId: 'no-such-facility',
      kind: 'terms_amendment',
      terms: EXAMPLE_FACILITY_TERMS,
      summary: `a lower margin for the borrower (${tag})`,
      meetingOn: '2026-12-15',
    },
    'POST /api/credit/questions/:id/votes': { vote: 'for' },
    'POST /api/credit/questions/:id/conflicts': { note: 'board seat at the borrower' },
    'POST /api/credit/questions/:id/decision': { decision: 'defer', decidedOn: '2026-11-15' },
    'POST /api/permits': {
      dealId: f.sentinelDeal,
      kind: 'grid_interconnection',
      agency: 'PJM Interconnection',
      jurisdiction: 'utility',
      stage: 'applied',
      on: '2026-03-01',
    },
    'POST /api/permits/:id/stage': { stage: 'under_review', on: '2026-04-01' },
    'POST /api/council/meetings': {
      heldOn: '2026-12-10',
      title: 'Q4 council',
      items: ['Pacing', 'Permitting'],
    },
    'POST /api/council/recommendations': {
      meetingId: '1',
      text: 'Publish permitting data',
      owner: 'chief of staff',
    },
    'POST /api/council/recommendations/:id/status': { status: 'in_progress' },
    'POST /api/coverage/staff': {
      id: `staff-${tag}`,
      name: 'Example Specialist',
      kind: 'sector_specialist',
      subAreas: ['robotics'],
      joinedOn: '2026-01-05',
    },
    'POST /api/coverage/hiring-plan': { rows: [{ subAreaId: 'robotics', year: 2026, headcount: 3 }] },
    'POST /api/reshoring/capacity': {
      dealId: f.sentinelDeal,
      materialId: 'antimony',
      capacity: 1000,
      unit: 't antimony content, mine production',
      onlineYear: 2028,
      source: 'synthetic (test)',
    },
  };
  return bodies[`${route.method} ${route.url}`];
}

/** A multipart body with text fields, then one file (binary-safe). */
export function multipartDocument(
  fields: Record<string, string>,
  file?: { filename: string; content: Buffer; type?: string },
) {
  const boundary = '----keeldoc';
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/pdf'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
