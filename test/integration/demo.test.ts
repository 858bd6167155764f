/**
 * The demo programme (`keel demo`): seeded through the use cases into a folder of its own, spread over every
 * sub-area with a client network beside it, dated no later than today, audited end to end, flagged synthetic, and seeded only once. A folder
 * holding a real programme is refused.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit.ts';
import { today } from '../../src/app/context.ts';
import { type DemoSeedReport, demoStatus, seedDemo } from '../../src/app/demo.ts';
import { eventStudyQuerySchema, runEventStudy } from '../../src/app/event-studies.ts';
import { currentProgramme } from '../../src/app/programme.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';

const DEALS = 200;

describeOnBackends('the demo programme', (backend) => {
  let keel: TestKeel;
  let real: TestKeel;
  let report: DemoSeedReport;

  beforeAll(async () => {
    keel = await freshKeel(backend, { init: false });
    real = await freshKeel(backend);
    report = await seedDemo(keel, testAdmin, { deals: DEALS, seed: 7 });
  }, 240_000);
  afterAll(async () => {
    await keel?.close();
    await real?.close();
  });

  it('seeds the book it reports, every deal and company flagged synthetic', async () => {
    expect(report).toMatchObject({ seeded: true, seed: 7, deals: DEALS, companies: DEALS / 2 });
    expect(report.ledgerEntries).toBeGreaterThan(0);
    expect(report.committeeDecisions).toBeGreaterThan(0);
    const { db } = keel.database;
    const deals = await db
      .selectFrom('deals')
      .select(['synthetic', 'source', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy(['synthetic', 'source'])
      .execute();
    expect(deals.map((d) => [d.synthetic, d.source, Number(d.n)])).toEqual([
      [true, 'synthetic demo (seed 7)', DEALS],
    ]);
    const companies = await db.selectFrom('companies').select('synthetic').distinct().execute();
    expect(companies.map((c) => c.synthetic)).toEqual([true]);
  });

  it('seeds a client network: organisations of every kind but company, standing in the deals they were put in', async () => {
    const { db } = keel.database;
    expect(report.organisations).toBe(DEALS / 40);
    expect(report.participations).toBeGreaterThan(0);
    const kinds = await db.selectFrom('organisations').select('kind').distinct().orderBy('kind').execute();
    expect(kinds.map((k) => k.kind)).toEqual(['bank', 'fund', 'government_programme', 'investor', 'lender']);
    const sources = await db.selectFrom('organisations').select('source').distinct().execute();
    expect(sources.map((o) => o.source)).toEqual(['synthetic demo (seed 7)']);
    const parts = await sql<{ n: string; over: string }>`
      SELECT count(*) AS n, count(*) FILTER (WHERE p.amount_cents > d.amount_cents) AS over
      FROM deal_participations p JOIN deals d ON d.id = p.deal_id`.execute(db);
    expect(Number(parts.rows[0]!.n)).toBe(report.participations);
    expect(Number(parts.rows[0]!.over), 'no party puts in more than the deal').toBe(0);
  });

  it("attaches each decision's memo to its deal, saying in its first line that it is synthetic", async () => {
    const { db } = keel.database;
    const memos = await db
      .selectFrom('documents')
      .innerJoin('document_contents', 'document_contents.sha256', 'documents.sha256')
      .select([
        'documents.subject_id',
        'documents.title',
        'documents.media_type',
        'document_contents.content',
      ])
      .execute();
    expect(memos).toHaveLength(report.committeeDecisions);
    expect(report.documents).toBe(report.committeeDecisions);
    for (const memo of memos) {
      expect(memo.title).toBe('Committee memo');
      expect(memo.media_type).toBe('text/plain');
      const text = Buffer.from(memo.content).toString('utf8');
      expect(text.split('\n')[0]).toBe('SYNTHETIC DEMO DATA: not a real deal, company or decision.');
      expect(text).toMatch(/Decided on \d{4}-\d{2}-\d{2}: /);
    }
  });

  it('gives every sub-area of the taxonomy deals, over early, decided and ended stages', async () => {
    const { db } = keel.database;
    const empty = await db
      .selectFrom('sub_areas')
      .leftJoin('deals', 'deals.sub_area_id', 'sub_areas.id')
      .where('deals.id', 'is', null)
      .select('sub_areas.id')
      .execute();
    expect(empty).toEqual([]);
    const stages = new Set(
      (await db.selectFrom('deals').select('stage').distinct().execute()).map((r) => r.stage),
    );
    for (const stage of ['sourced', 'screening', 'diligence', 'committee', 'monitoring', 'repaid'])
      expect(stages).toContain(stage);
  });

  it('dates nothing after today and nothing before the programme started, over most of a decade', async () => {
    const { db } = keel.database;
    const range = await sql<{ first: string; last: string }>`
      SELECT min(effective_on)::text AS first, max(effective_on)::text AS last FROM ledger_entries`.execute(
      db,
    );
    // The demo's programme is the reference moved years earlier (demoProgrammeDocument): today is in its last year.
    const { programme } = await currentProgramme(db);
    expect(programme.horizon.start < today() && today() < programme.horizon.end).toBe(true);
    expect(range.rows[0]!.last <= today()).toBe(true);
    expect(range.rows[0]!.first >= programme.horizon.start).toBe(true);
    expect(Number(today().slice(0, 4)) - Number(range.rows[0]!.first.slice(0, 4))).toBeGreaterThanOrEqual(7);
    const opened = await sql<{ last: string }>`SELECT max(opened_on)::text AS last FROM deals`.execute(db);
    expect(opened.rows[0]!.last <= today()).toBe(true);
    const prices = await sql<{ last: string }>`SELECT max(day)::text AS last FROM prices`.execute(db);
    expect(prices.rows[0]!.last <= today()).toBe(true);
  });

  it('holds enough prices for an event study on a listed synthetic company', async () => {
    const query = eventStudyQuerySchema.parse({ tickers: 'SYNA', market: 'SPY', event: '2026-10-01' });
    const study = await runEventStudy(keel, testAdmin, query);
    expect(JSON.stringify(study)).toContain('SYNA');
  });

  it('keeps the audit chain whole', async () => {
    const verdict = await verifyAudit(keel, testAdmin);
    expect(verdict.ok).toBe(true);
  });

  it('flags the folder synthetic, and a real folder not', async () => {
    expect(await demoStatus(keel)).toEqual({ synthetic: true, source: 'synthetic demo (seed 7)' });
    expect(await demoStatus(real)).toEqual({ synthetic: false, source: null });
  });

  it('seeds once: a second start reuses the folder and writes nothing', async () => {
    const { db } = keel.database;
    const before = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const again = await seedDemo(keel, testAdmin, { deals: 50, seed: 1 });
    expect(again).toEqual({ ...report, seeded: false });
    const after = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('refuses to seed a folder holding a real programme, and changes nothing there', async () => {
    await expect(seedDemo(real, testAdmin, { deals: 10 })).rejects.toThrow(/holds a real programme/);
    expect(await real.database.db.selectFrom('deals').select('id').execute()).toEqual([]);
    expect(await demoStatus(real)).toEqual({ synthetic: false, source: null });
  });

  it.runIf(backend === 'pglite')(
    '`keel demo` refuses a real data folder and a bad size, before serving anything',
    async () => {
      const other = await freshKeel('pglite');
      await other.closeConnection();
      try {
        const refused = await runKeel(['demo', '--data', other.config.dataDir], { ...other.env, PORT: '1' });
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/holds a real programme/);
        const bad = await runKeel(['demo', '--deals', 'many'], other.env);
        expect(bad.code).not.toBe(0);
        expect(bad.stderr).toMatch(/--deals must be a whole number/);
      } finally {
        await (await other.reopen()).close();
      }
    },
    120_000,
  );
});
