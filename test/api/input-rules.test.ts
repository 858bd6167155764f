/**
 * Input rules at the HTTP door, each an attack that once got through: amounts outside the domain's range,
 * sums of the largest allowed amounts, impossible dates, "as of" that did not reach every figure, error
 * codes outside the table, and bodies nested deep enough to stall the server. Both databases.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS } from '../../src/api/errors.ts';
import { integrityErrorBody } from '../../src/api/integrity-errors.ts';
import { MAX_JSON_DEPTH } from '../../src/api/request-limits.ts';
import { buildServer } from '../../src/api/server.ts';
import { parseImportFile } from '../../src/app/import.ts';
import { recordLedgerEntries } from '../../src/app/ledger.ts';
import { quarterlyReport } from '../../src/app/reports/quarterly.ts';
import { quarterField } from '../../src/domain/fields.ts';
import { MAX_ENTRY_CENTS, toDecimalString } from '../../src/domain/money.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { entry, seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture, exampleBody } from './helpers.ts';

const MAX_DOLLARS = toDecimalString(MAX_ENTRY_CENTS); // "1000000000000000.00"
/** Amounts the domain refuses: zero and negatives, int8's maximum, above the per-entry maximum, not dollars. */
const BAD_AMOUNTS = [
  '0',
  '0.00',
  '-5.00',
  '-0',
  '92233720368547758.07',
  '1000000000000000.01',
  '9'.repeat(40),
  '1e309',
  'NaN',
];
const IMPOSSIBLE_DATES = ['2026-02-30', '0000-01-01', '10000-01-01', '2025-13-01', '1899-12-31'];

/** Every GET that sums money over deals or the ledger, for everyone who reads figures. */
const FIGURES = [
  '/api/programme/summary',
  '/api/programme/aggregates',
  '/api/pacing',
  '/api/pacing?asOf=2026-06-30',
  '/api/metrics',
  '/api/peers',
  '/api/coverage',
  '/api/geography',
  '/api/council',
  '/api/network/activity',
  '/api/permits/bottlenecks',
  '/api/reports/quarterly?quarter=2026Q2',
  '/api/reports/monthly?month=2026-05',
];

describeOnBackends('input rules at the HTTP door', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());

  const admin = () => ({ authorization: `Bearer ${f.tokens.admin}` });
  let n = 0;
  const post = (url: string, payload: unknown, headers: Record<string, string> = admin()) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `ir-${++n}` },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const count = async (table: 'deals' | 'ledger_entries' | 'deal_participations') =>
    Number(
      (await sql<{ n: bigint }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(f.keel.database.db))
        .rows[0]!.n,
    );

  it('opening a deal keeps to the team rule an amendment keeps to (at most 50 members, 100 characters each)', async () => {
    const before = await count('deals');
    const base = exampleBody({ method: 'POST', url: '/api/deals' }, f, `team-${n}`)!;
    for (const team of [Array.from({ length: 51 }, (_, i) => `member-${i}`), ['x'.repeat(101)], ['  ']]) {
      const response = await post('/api/deals', { ...base, team });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().message).toMatch(/^body\.team/);
    }
    expect(await count('deals')).toBe(before);
  });

  describe('amounts: one parser, the domain rule on every route', () => {
    for (const [url, table] of [
      ['/api/deals', 'deals'],
      ['/api/participations', 'deal_participations'],
      ['/api/ledger', 'ledger_entries'],
    ] as const) {
      it(`POST ${url} refuses ${BAD_AMOUNTS.length} out-of-range amounts with a 400 naming the field`, async () => {
        const before = await count(table);
        for (const amount of BAD_AMOUNTS) {
          const base = exampleBody({ method: 'POST', url }, f, `amt-${n}`)!;
          // A ledger commitment, not a valuation mark, so that zero is out of range too.
          const body = url === '/api/ledger' ? { ...base, kind: 'commitment' } : base;
          const response = await post(url, { ...body, amount });
          expect(response.statusCode, `${amount}: ${response.body}`).toBe(400);
          // Zero is a valid valuation mark, so for a commitment the ledger rule refuses it instead.
          const byLedgerRule = url === '/api/ledger' && /^-?0(\.00)?$/.test(amount);
          expect(response.json().message, amount).toMatch(
            byLedgerRule ? /amount must be greater than zero/ : /^body\.amount: /,
          );
        }
        expect(await count(table)).toBe(before);
      });
    }

    it('a CSV import refuses the same amounts with the same words as the API', async () => {
      for (const amount of ['0', '-5.00', '92233720368547758.07', '1000000000000000.01']) {
        const body = exampleBody({ method: 'POST', url: '/api/deals' }, f, `csv-${n}`)!;
        const api = (await post('/api/deals', { ...body, amount }))
          .json()
          .message.replace(/^body\.amount: /, '');
        const csv = `id,company_id,sub_area_id,instrument,amount_usd,classification,opened_on,source\ncsv-deal,${body.companyId},robotics,term_loan,${amount},baseline,2026-03-01,synthetic (test)\n`;
        await expect(parseImportFile('deals', csv), amount).rejects.toThrow(
          `line 2, field amount_usd: ${api}`,
        );
      }
    });

    it('refuses a valuation mark above the per-entry maximum', async () => {
      const body = exampleBody({ method: 'POST', url: '/api/ledger' }, f, 'mark')!;
      const response = await post('/api/ledger', { ...body, amount: '1000000000000000.01' });
      expect(response.statusCode, response.body).toBe(400);
      const zero = await post('/api/ledger', { ...body, amount: '0.00' });
      expect(zero.statusCode, zero.body).toBe(200); // a written-off position is marked at zero
    });

    it('every figure still answers after the largest amounts the rules allow, summed past int8', async () => {
      // 100 pipeline deals at the per-entry maximum through the API: $1e17 in all, above int8 in cents.
      for (let i = 0; i < 100; i++) {
        const body = exampleBody({ method: 'POST', url: '/api/deals' }, f, `max-${i}`)!;
        const response = await post('/api/deals', { ...body, amount: MAX_DOLLARS });
        expect(response.statusCode, response.body).toBe(200);
      }
      // And commitments at the maximum on uncapped loans, spread so that no kept total overflows alone.
      const subAreas = ['shipbuilding', 'nanomaterials', 'robotics', 'additive-manufacturing'];
      for (const subAreaId of subAreas) {
        const ids = await seedDeals(f.keel, { prefix: `max-${subAreaId}`, count: 25, subAreaId });
        await recordLedgerEntries(
          f.keel,
          testAdmin,
          `max-commit-${subAreaId}`,
          ids.map((id) => entry(`max-${id}`, id, 'commitment', MAX_ENTRY_CENTS, '2026-05-01')),
        );
      }
      for (const url of FIGURES) {
        const response = await f.app.inject({ method: 'GET', url, headers: admin() });
        expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200);
      }
      const summary = (
        await f.app.inject({ method: 'GET', url: '/api/programme/summary', headers: admin() })
      ).json();
      expect(BigInt(summary.counted.total)).toBeGreaterThan(9_223_372_036_854_775_807n);
      const meeting = await post('/api/council/meetings', {
        heldOn: '2026-12-10',
        title: 'Q4',
        items: ['Pacing'],
      });
      expect(meeting.statusCode, meeting.body).toBe(200);
      const optimise = await post('/api/optimise', { year: 2027, frontierPoints: 0, timeLimitSeconds: 5 });
      expect(optimise.statusCode, optimise.body.slice(0, 300)).toBeLessThan(500);
      expect(optimise.statusCode, optimise.body.slice(0, 300)).not.toBe(400);
    });
  });

  describe('dates: one validated calendar type', () => {
    it('refuses impossible dates in queries, bodies, quarters and months with a 400', async () => {
      for (const date of IMPOSSIBLE_DATES) {
        for (const url of [`/api/metrics?asOf=${date}`, `/api/pacing?asOf=${date}`]) {
          const response = await f.app.inject({ method: 'GET', url, headers: admin() });
          expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
        }
        const body = exampleBody({ method: 'POST', url: '/api/deals' }, f, `date-${n}`)!;
        const deal = await post('/api/deals', { ...body, openedOn: date });
        expect(deal.statusCode, `${date}: ${deal.body}`).toBe(400);
      }
      for (const quarter of ['0001Q1', '0000Q4', '1900Q1', '10000Q1', '2026Q5']) {
        const url = `/api/reports/quarterly?quarter=${quarter}`;
        const response = await f.app.inject({ method: 'GET', url, headers: admin() });
        expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
      }
      for (const month of ['0000-01', '0001-01', '2026-13', '10000-01']) {
        const url = `/api/reports/monthly?month=${month}`;
        const response = await f.app.inject({ method: 'GET', url, headers: admin() });
        expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
      }
    });

    it('pacing as of a date reads the ledger as of that date, as the quarterly report does', async () => {
      // The fixture's only early commitment is dated 2026-02-01: on 2025-06-30 nothing was counted yet.
      for (const [asOf, quarter] of [
        ['2025-06-30', '2025Q2'],
        ['2026-03-31', '2026Q1'],
      ] as const) {
        const pacing = await f.app.inject({
          method: 'GET',
          url: `/api/pacing?asOf=${asOf}`,
          headers: admin(),
        });
        expect(pacing.statusCode, pacing.body).toBe(200);
        const total = pacing.json().lines.find((l: { target: string }) => l.target === 'total');
        const report = await quarterlyReport(f.keel, testAdmin, quarterField.parse(quarter));
        expect(report.figures.asOf).toBe(asOf);
        expect(BigInt(total.counted), asOf).toBe(report.figures.countedToDate);
      }
      const early = await f.app.inject({
        method: 'GET',
        url: '/api/pacing?asOf=2025-06-30',
        headers: admin(),
      });
      expect(early.json().lines.find((l: { target: string }) => l.target === 'total').counted).toBe('0');
    });
  });

  describe('errors: one closed table, a request id on every answer', () => {
    it('gives the codes that once fell back to 400 their own status', () => {
      expect(STATUS.unknown_deal).toBe(422);
      expect(STATUS.cancelled).toBe(499);
      expect(STATUS.rate_limited).toBe(429);
      expect(STATUS.invalid_amount).toBe(400);
      for (const status of Object.values(STATUS)) expect(status).toBeGreaterThanOrEqual(400);
    });

    it('answers 429 with code rate_limited, Retry-After and a request id', async () => {
      const strict = await buildServer(f.keel, { loginRateLimit: 1 });
      try {
        const attempt = () =>
          strict.inject({
            method: 'POST',
            url: '/api/auth/login',
            // The counters are in the database: an address of this test's own, not the fixture's.
            remoteAddress: '192.0.2.30',
            payload: { email: 'banker@example.org', password: 'guess' },
          });
        expect((await attempt()).statusCode).toBe(401);
        const limited = await attempt();
        expect(limited.statusCode).toBe(429);
        expect(limited.json().error).toBe('rate_limited');
        expect(limited.headers['retry-after']).toBeDefined();
        expect(limited.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      } finally {
        await strict.close();
      }
    });

    it('puts a fresh request id on every answer and names it in a 500', async () => {
      const app: FastifyInstance = await buildServer(f.keel);
      app.get('/api/test-only/boom', async () => {
        throw new Error('a bug, for the test');
      });
      try {
        const ok = await app.inject({ method: 'GET', url: '/api/me', headers: admin() });
        const anonymous = await app.inject({ method: 'GET', url: '/api/me' });
        const forged = await app.inject({
          method: 'GET',
          url: '/api/me',
          headers: { 'x-request-id': 'forged' },
        });
        const ids = [ok, anonymous, forged].map((r) => r.headers['x-request-id']);
        expect(new Set(ids).size).toBe(3);
        expect(ids).not.toContain('forged');
        const boom = await app.inject({ method: 'GET', url: '/api/test-only/boom' });
        expect(boom.statusCode).toBe(500);
        const id = boom.headers['x-request-id'] as string;
        expect(boom.json()).toMatchObject({ error: 'internal', details: { requestId: id } });
        expect(boom.json().message).toBe(`unexpected error; logged with request id ${id}`);
      } finally {
        await app.close();
      }
    });

    it('maps an integrity constraint of the database to 409/422 naming the field', async () => {
      const refused = async (statement: ReturnType<typeof sql>) => {
        try {
          await statement.execute(f.keel.database.db);
        } catch (error) {
          return error;
        }
        throw new Error('the database accepted it');
      };
      const check = integrityErrorBody(
        '23514',
        await refused(sql`UPDATE deals SET amount_cents = 0 WHERE id = ${f.sentinelDeal}`),
      );
      expect(check).toMatchObject({ error: 'constraint_violation', details: { field: 'amount' } });
      const unique = await refused(sql`INSERT INTO deals SELECT * FROM deals WHERE id = ${f.sentinelDeal}`);
      expect((unique as { code: string }).code).toBe('23505');
      expect(integrityErrorBody('23505', unique)).toMatchObject({
        error: 'conflict',
        details: { field: 'id' },
      });
      // Through the server's own error handler, as a route whose use case missed a check would reach it.
      const app = await buildServer(f.keel);
      app.post('/api/test-only/constraint', async () =>
        sql`UPDATE deals SET amount_cents = -1 WHERE id = ${f.sentinelDeal}`.execute(f.keel.database.db),
      );
      try {
        const response = await app.inject({ method: 'POST', url: '/api/test-only/constraint' });
        expect(response.statusCode, response.body).toBe(422);
        expect(response.json()).toMatchObject({
          error: 'constraint_violation',
          details: { field: 'amount' },
        });
      } finally {
        await app.close();
      }
    });
  });

  describe('request limits before any recursive walk', () => {
    // Well-formed JSON (closed brackets): it parses, and every later recursive walk used to overflow (500).
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    it('answers a body of 10,000 nested [ with a 400 before authentication, and 4 of them at once quickly', async () => {
      const anonymous = await f.app.inject({
        method: 'POST',
        url: '/api/deals',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-1' },
        payload: deep,
      });
      expect(anonymous.statusCode, anonymous.body).toBe(400);
      expect(anonymous.json()).toMatchObject({ error: 'invalid_json' });
      expect(anonymous.json().message).toContain(`more than ${MAX_JSON_DEPTH} levels`);
      // Refused before the token is looked up: an unknown token does not turn the 400 into a 401.
      const unknownToken = await f.app.inject({
        method: 'POST',
        url: '/api/deals',
        headers: {
          authorization: 'Bearer keel_nope',
          'content-type': 'application/json',
          'idempotency-key': 'deep-x',
        },
        payload: deepObject,
      });
      expect(unknownToken.statusCode, unknownToken.body).toBe(400);
      const started = performance.now();
      const all = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          f.app.inject({
            method: 'POST',
            url: '/api/ledger',
            headers: { ...admin(), 'content-type': 'application/json', 'idempotency-key': `deep-${i + 2}` },
            payload: i % 2 ? deep : deepObject,
          }),
        ),
      );
      expect(all.map((r) => r.statusCode)).toEqual([400, 400, 400, 400]);
      expect(performance.now() - started).toBeLessThan(2_000);
    });

    it('accepts nesting up to the limit, and strings full of brackets', async () => {
      const body = exampleBody({ method: 'POST', url: '/api/companies' }, f, 'brackets')!;
      const response = await post('/api/companies', {
        ...body,
        name: `${'['.repeat(100)}${'{'.repeat(100)}\\"]`,
      });
      expect(response.statusCode, response.body).toBe(200);
      const atLimit = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
      const shaped = await post('/api/companies', atLimit);
      expect(shaped.statusCode).toBe(400);
      expect(shaped.json().error).toBe('invalid_request'); // parsed, then refused by the schema
    });

    it('refuses a body above the size limit with 413, and prototype keys with 400', async () => {
      const big = await f.app.inject({
        method: 'POST',
        url: '/api/companies',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'big-1' },
        payload: JSON.stringify({ name: 'x'.repeat(11 * 1024 * 1024) }),
      });
      expect(big.statusCode).toBe(413);
      expect(big.json().error).toBe('payload_too_large');
      const poisoned = await post('/api/companies', '{"__proto__":{"admin":true}}');
      expect(poisoned.statusCode).toBe(400);
      expect(poisoned.json().error).toBe('invalid_json');
    });
  });
});
