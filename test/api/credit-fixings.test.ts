/**
 * Reference-rate fixings imported as CSV with their source (the rate-fixings import kind), through HTTP: the
 * credit book's writers import them (a banker may; a research analyst, a read token, may not); a file goes
 * in whole or not at all; a fixing is never replaced by another value; a floating facility's schedule is then
 * priced on them, each period saying which fixing it took.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/auth.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { type ApiFixture, apiFixture, EXAMPLE_FACILITY_TERMS, multipartCsv } from './helpers.ts';

const HEADER = 'reference,date,rate_percent,source';
const SOURCE = 'CME Term SOFR 3M as published (test fixture)';

describeOnBackends('reference-rate fixings', (backend) => {
  let f: ApiFixture;
  let n = 0;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());
  const auth = (role: keyof ApiFixture['tokens']) => ({ authorization: `Bearer ${f.tokens[role]}` });

  /** Uploads a CSV and waits for its job to settle; answers the HTTP status and the settled job. */
  async function importCsv(lines: string[], role: keyof ApiFixture['tokens'] = 'banker') {
    const upload = multipartCsv(`${HEADER}\n${lines.join('\n')}\n`);
    const started = await f.app.inject({
      method: 'POST',
      url: '/api/imports/rate-fixings',
      headers: { ...auth(role), ...upload.headers, 'idempotency-key': `fix-${n++}` },
      payload: upload.payload,
    });
    if (started.statusCode !== 202) return { status: started.statusCode, job: started.json() };
    let job = started.json();
    for (let i = 0; i < 200 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      job = (
        await f.app.inject({ method: 'GET', url: `/api/import-jobs/${job.id}`, headers: auth(role) })
      ).json();
    }
    return { status: 202, job };
  }
  const summary = async () =>
    (
      await f.app.inject({ method: 'GET', url: '/api/credit/fixings', headers: auth('risk_compliance') })
    ).json().references;

  it('a banker imports fixings with their source; the credit page summary shows them', async () => {
    const { job } = await importCsv([
      `TERM_SOFR_3M,2026-01-15,4.12,${SOURCE}`,
      `TERM_SOFR_3M,2026-04-15,3.98,${SOURCE}`,
    ]);
    expect(job).toMatchObject({ status: 'done', rows: 2 });
    expect(await summary()).toEqual([
      {
        reference: 'TERM_SOFR_3M',
        count: 2,
        firstOn: '2026-01-15',
        lastOn: '2026-04-15',
        lastPercent: '3.98',
        lastSource: SOURCE,
      },
    ]);
  });

  it('who may import them: not a research analyst, not a read-scoped token', async () => {
    const analyst = await importCsv([`SOFR,2026-01-15,4.00,${SOURCE}`], 'research_analyst');
    expect(analyst.status).toBe(403);
    const { token } = await createApiToken(
      f.keel,
      { id: 'banker', role: 'banker' },
      { name: 'read', scope: 'read' },
    );
    const upload = multipartCsv(`${HEADER}\nSOFR,2026-01-15,4.00,${SOURCE}\n`);
    const read = await f.app.inject({
      method: 'POST',
      url: '/api/imports/rate-fixings',
      headers: { authorization: `Bearer ${token}`, ...upload.headers, 'idempotency-key': 'fix-r' },
      payload: upload.payload,
    });
    expect(read.statusCode).toBe(403);
    expect((await summary()).map((r: { reference: string }) => r.reference)).toEqual(['TERM_SOFR_3M']);
  });

  it('an overlapping file adds only its new days; another value for a stored day fails the whole file', async () => {
    const overlapping = await importCsv([
      `TERM_SOFR_3M,2026-04-15,3.980,${SOURCE}`, // the same rate, written otherwise
      `TERM_SOFR_3M,2026-07-15,3.85,${SOURCE}`,
    ]);
    expect(overlapping.job.status).toBe('done');
    expect((await summary())[0].count).toBe(3);
    const conflicting = await importCsv([
      `TERM_SOFR_3M,2026-10-15,3.70,${SOURCE}`,
      `TERM_SOFR_3M,2026-07-15,3.90,another source`,
    ]);
    expect(conflicting.job.status).toBe('failed');
    expect(conflicting.job.error).toMatch(/line 3: TERM_SOFR_3M on 2026-07-15 is stored at 3\.85/);
    expect((await summary())[0]).toMatchObject({ count: 3, lastOn: '2026-07-15' });
  });

  it('a bad row, a day twice, a day to come, a weekend or a slip of the rate fails the file with the line, storing nothing', async () => {
    for (const [lines, message] of [
      [
        [`SOFR,2026-01-15,4.00,${SOURCE}`, `SOFR,2099-01-15,4.00,${SOURCE}`],
        /line 3: SOFR on 2099-01-15 is after today/,
      ],
      [[`SOFR,2026-01-15,4.00,${SOURCE}`, `SOFR,2026-01-17,4.00,${SOURCE}`], /line 3.*weekend/],
      [[`SOFR,2026-01-15,4.00,${SOURCE}`, `SOFR,2026-01-16,53.1,${SOURCE}`], /line 3.*below 20/],
      [[`SOFR,2026-01-15,4.00,${SOURCE}`, `SOFR,2026-01-19,four,${SOURCE}`], /line 3.*rate in percent/],
      [[`SOFR,2026-01-15,4.00,${SOURCE}`, `LIBOR,2026-01-19,4.00,${SOURCE}`], /line 3/],
      [
        [`SOFR,2026-01-15,4.00,${SOURCE}`, `SOFR,2026-01-15,4.00,${SOURCE}`],
        /line 3: SOFR on 2026-01-15 appears twice/,
      ],
    ] as const) {
      const { job } = await importCsv([...lines]);
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(message);
    }
    expect((await summary()).map((r: { reference: string }) => r.reference)).toEqual(['TERM_SOFR_3M']);
  });

  it("prices a floating facility's periods on the fixings, each saying which one", async () => {
    const [loan] = await seedDeals(f.keel, {
      prefix: 'fix-loan',
      count: 1,
      instrument: 'term_loan',
      stage: 'committee',
    });
    const opened = await f.app.inject({
      method: 'POST',
      url: '/api/credit/facilities',
      headers: { ...auth('banker'), 'idempotency-key': 'fix-open' },
      payload: {
        id: 'fix-tl',
        dealId: loan,
        // Begun in the past: fixings are published for days that have come.
        terms: {
          ...EXAMPLE_FACILITY_TERMS,
          startsOn: '2026-01-15',
          availabilityEndsOn: '2026-07-15',
          maturityOn: '2033-01-15',
        },
      },
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const view = (
      await f.app.inject({
        method: 'GET',
        url: '/api/credit/facilities/fix-tl',
        headers: auth('risk_compliance'),
      })
    ).json();
    const [first, second, third, fourth] = view.schedule.periods;
    // Term SOFR 3M 4.12% + 2.75% margin = 6.87% from 15 January 2027.
    expect(first).toMatchObject({
      rateFrom: 'fixing',
      fixing: { fixedOn: '2026-01-15', ratePercent: '4.12' },
    });
    expect(BigInt(first.rate.numerator) * 10_000n).toBe(687n * BigInt(first.rate.denominator));
    expect(second.fixing.fixedOn).toBe('2026-04-15');
    expect(third.fixing.fixedOn).toBe('2026-07-15');
    // Beyond the last fixing: projected at it.
    expect(fourth).toMatchObject({ rateFrom: 'projected', fixing: null });
  });
});
