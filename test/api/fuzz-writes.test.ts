/**
 * Property-based fuzzing of every write route (fast-check): valid bodies with one field mutated, removed or
 * added, random JSON, malformed JSON, hostile path parameters and broken idempotency keys; every amount field
 * at once set to a huge, negative or non-finite number; every date field at once set to an impossible date;
 * bodies nested thousands of levels deep. At least 10,000 requests per database. Properties: never a 5xx,
 * and a rejected request leaves every table as it was.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROUTE_TABLE } from '../../src/api/route.ts';
import { jobSettled } from '../../src/app/jobs/use-cases.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture, exampleBody, multipartCsv } from './helpers.ts';

const TOTAL_REQUESTS = 10_000;

async function fingerprint(f: ApiFixture): Promise<string> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT (SELECT count(*) FROM companies) AS companies, (SELECT count(*) FROM facilities) AS facilities,
           (SELECT count(*) FROM deals) AS deals, (SELECT count(*) FROM deal_stage_moves) AS moves,
           (SELECT string_agg(id || ':' || stage, ',' ORDER BY id) FROM deals) AS stages,
           (SELECT count(*) FROM ledger_entries) AS ledger, (SELECT coalesce(sum(used_cents), 0)::bigint FROM cap_usage) AS caps,
           (SELECT count(*) FROM idempotency_keys) AS keys, (SELECT seq FROM audit_head) AS audit,
           (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL) AS tokens,
           (SELECT count(*) FROM sessions) AS sessions,
           (SELECT count(*) FROM credit_facilities) AS credit_facilities,
           (SELECT count(*) FROM credit_facility_terms) AS credit_facility_terms,
           (SELECT count(*) FROM credit_questions) AS credit_questions,
           (SELECT count(*) FROM credit_question_votes) AS credit_question_votes,
           (SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM wall_crossings) AS crossings`.execute(
    f.keel.database.db,
  );
  return JSON.stringify(rows[0], (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** encodeURIComponent throws on a lone surrogate; a client can still send its bytes, ill-formed UTF-8. */
const percentEncode = (text: string) =>
  [...text]
    .map((c) => {
      const unit = c.charCodeAt(0);
      if (c.length === 1 && unit >= 0xd800 && unit <= 0xdfff)
        return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`)
          .join('');
      return encodeURIComponent(c);
    })
    .join('');

const anyText = fc.string({ unit: 'binary', maxLength: 64 });
const json = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
const hostileText = fc.oneof(
  anyText,
  anyText.map((t) => `a\u0000${t}`),
  fc.constantFrom(
    '',
    ' ',
    '../etc/passwd',
    "'; DROP TABLE deals; --",
    '1e309',
    '-0',
    'NaN',
    '\u0000',
    // Half a character: JSON carries it as \ud800, no UTF-8 text column can store it.
    'k-\ud800',
    '\udfff',
    'x'.repeat(5000),
    '9'.repeat(40),
    '2026-02-30',
    '92233720368547758.07',
    '0000-01-01',
    '10000-01-01',
  ),
);

/** Amounts that once got through or broke a sum: as JSON text (strings) and as raw JSON numbers. */
const hugeAmount = fc.constantFrom(
  '"92233720368547758.07"',
  '"1000000000000000.01"',
  `"${'9'.repeat(40)}"`,
  '"-0"',
  '"0"',
  '"-5.00"',
  '"1e309"',
  '92233720368547758.07',
  '1e309',
  '-1e309',
  '9'.repeat(40),
  '-0',
  '0',
);
const impossibleDate = fc.constantFrom('2026-02-30', '0000-01-01', '10000-01-01', '2025-13-01', '1899-12-31');
/** A body nested far beyond any real request: arrays, objects, or both, opened and never (or always) closed. */
const deepBody = fc
  .record({
    depth: fc.integer({ min: 33, max: 20_000 }),
    open: fc.constantFrom('[', '{"a":', '[{"b":'),
    closed: fc.boolean(),
  })
  .map(({ depth, open, closed }) => {
    const close = open === '[' ? ']' : open === '{"a":' ? '}' : '}]';
    return `${open.repeat(depth)}1${closed ? close.repeat(depth) : ''}`;
  });

/** Replaces the value of every field whose name matches `field` (at any depth) with raw JSON text. */
function replaceFields(body: unknown, field: RegExp, raw: string): string {
  const marker = '\u0000REPLACED\u0000';
  const text = JSON.stringify(body, (key, value) => (field.test(key) ? marker : value));
  return text.replaceAll(JSON.stringify(marker), raw);
}

/** One request plan: how to damage a valid request. */
const plan = fc.record({
  mutation: fc.constantFrom(
    'field',
    'drop',
    'extra',
    'whole',
    'raw',
    'none',
    'type',
    'amounts',
    'dates',
    'deep',
  ),
  amount: hugeAmount,
  date: impossibleDate,
  deep: deepBody,
  fieldIndex: fc.nat(),
  value: fc.oneof(json, hostileText),
  raw: fc.string({ unit: 'binary', maxLength: 200 }),
  param: fc.oneof(fc.constant(null), hostileText),
  key: fc.oneof(
    fc.constant('fresh'),
    fc.constant('missing'),
    fc.constant(''),
    fc.constant('k'.repeat(300)),
    fc.constant('reused'),
  ),
});

describeOnBackends('write-route fuzzing', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());

  it(`${TOTAL_REQUESTS.toLocaleString('en-US')} hostile requests: zero 5xx, zero rows written by rejected requests`, async () => {
    const writes = ROUTE_TABLE.filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThanOrEqual(10);
    const perRoute = Math.ceil(TOTAL_REQUESTS / writes.length);
    let sent = 0;
    let rejected = 0;
    let n = 0;
    for (const route of writes) {
      await fc.assert(
        fc.asyncProperty(plan, async (p) => {
          n++;
          const body: Record<string, unknown> = { ...exampleBody(route, f, `fz-${backend}-${n}`) };
          const fields = Object.keys(body);
          const field = fields.length ? fields[p.fieldIndex % fields.length]! : 'x';
          if (p.mutation === 'field') body[field] = p.value;
          if (p.mutation === 'drop') delete body[field];
          if (p.mutation === 'extra') body[`extra${p.fieldIndex}`] = p.value;
          if (p.mutation === 'type') body[field] = typeof body[field] === 'string' ? 12345 : 'text';
          const headers: Record<string, string> = {
            authorization: `Bearer ${f.tokens.admin}`,
            'content-type': 'application/json',
          };
          if (p.key === 'fresh') headers['idempotency-key'] = `fz-${backend}-${n}`;
          else if (p.key === 'reused') headers['idempotency-key'] = 'fz-reused';
          else if (p.key !== 'missing') headers['idempotency-key'] = p.key;
          let url = route.url
            .replace(
              ':id',
              route.url.startsWith('/api/deals')
                ? f.sentinelDeal
                : route.url.includes('tokens')
                  ? 'tok_nope'
                  : '1',
            )
            .replace(':kind', 'companies')
            .replace(':index', '0');
          if (p.param !== null && route.url.includes(':'))
            url = route.url.replace(/:(id|kind)/, percentEncode(p.param));
          let payload: string;
          if (route.multipart) {
            const upload = multipartCsv(
              p.mutation === 'raw'
                ? p.raw
                : `id,name,us_based,source\nfz-imp-${n},Fuzz Import,${p.mutation === 'field' ? String(p.value) : 'yes'},synthetic (fuzz)\n`,
            );
            Object.assign(headers, upload.headers);
            payload = upload.payload;
          } else {
            payload =
              p.mutation === 'whole'
                ? JSON.stringify(p.value)
                : p.mutation === 'raw'
                  ? p.raw
                  : p.mutation === 'deep'
                    ? p.deep
                    : p.mutation === 'amounts'
                      ? replaceFields(body, /amount|gap|capacity|limit|budget/i, p.amount)
                      : p.mutation === 'dates'
                        ? replaceFields(body, /On$|^on$|date|since|until/i, JSON.stringify(p.date))
                        : JSON.stringify(body);
          }

          const before = await fingerprint(f);
          const response = await f.app.inject({ method: route.method, url, headers, payload });
          sent++;
          if (response.statusCode === 202 && route.multipart) await jobSettled(response.json().id);
          expect(response.statusCode, `${route.method} ${url}: ${response.body.slice(0, 300)}`).toBeLessThan(
            500,
          );
          if (response.statusCode >= 400) {
            rejected++;
            const body = response.json();
            expect(typeof body.error === 'string' && typeof body.message === 'string', response.body).toBe(
              true,
            );
            expect(await fingerprint(f), `${route.method} ${url} was rejected but changed rows`).toBe(before);
          }
        }),
        { numRuns: route.url === '/api/auth/login' ? 100 : perRoute, seed: 20261125 },
      );
    }
    expect(sent).toBeGreaterThanOrEqual(TOTAL_REQUESTS - perRoute);
    expect(rejected).toBeGreaterThan(sent / 2);
  });
});
