/**
 * The public record loaded on first start: every row of data/public-record/sri-deals.csv and
 * peer-awards.csv (copied from ../shared/data/public-deals) as the file states it, the summary's counted
 * total untouched by undisclosed and unverified reports, crowding for one sub-area by hand, and imports
 * all or nothing with errors by line and column.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATA_DIR } from '../../src/app/data-files.ts';
import { pipelineStageTotals } from '../../src/app/findability.ts';
import { peerOverlap } from '../../src/app/governance/peers.ts';
import { importFile } from '../../src/app/import.ts';
import { initKeel } from '../../src/app/init.ts';
import { currentProgramme } from '../../src/app/programme.ts';
import { publicAggregates } from '../../src/app/public-aggregates.ts';
import { reportedDeals } from '../../src/app/public-record/read.ts';
import { quarterlyReport } from '../../src/app/reports/quarterly.ts';
import { programmeSummary } from '../../src/app/summary.ts';
import { quarterField } from '../../src/domain/fields.ts';
import { compactAmount } from '../../src/domain/format.ts';
import { countedAmount } from '../../src/domain/programme.ts';
import { US_STATES } from '../../src/domain/public-record/us-states.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';

type Row = Record<string, string>;
const read = (file: string): Row[] =>
  parse(readFileSync(join(DATA_DIR, 'public-record', file)), { columns: true }) as Row[];
const dealRows = read('sri-deals.csv');
const awardRows = read('peer-awards.csv');
/** The files' amounts are whole dollars: cents by hand, not through Keel's parser. */
const cents = (text: string) => {
  expect(text).toMatch(/^\d+$/);
  return BigInt(text) * 100n;
};
const fips = new Map(US_STATES.map(([usps, code]) => [usps, code]));
/** The statement of the collection a row's stored copy names, or null. */
const statementOf = (row: Row) => {
  const path = /wh-briefings\/blob\/[0-9a-f]+\/(\S+\.md)/.exec(row.source!)?.[1];
  return path && existsSync(join(DATA_DIR, 'public-record', 'white-house-statements', path)) ? path : null;
};
const analyst = { id: 'ana', role: 'research_analyst' } as const;
const council = { id: 'carl', role: 'council_member' } as const;

describeOnBackends('public record', (backend) => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel(backend, { init: false });
    // First start: what `npm start` runs.
    await initKeel(keel, testAdmin);
  }, 120_000);
  afterAll(() => keel.close());

  it('holds every row of sri-deals.csv as the file states it', async () => {
    const stored = await keel.database.db.selectFrom('reported_deals').selectAll().execute();
    expect(stored).toHaveLength(dealRows.length);
    for (const row of dealRows) {
      const found = stored.filter((s) => s.reported_on === row.date && s.company === row.company);
      expect(found, `${row.date} ${row.company}`).toHaveLength(1);
      const s = found[0]!;
      expect(s.instrument).toBe(row.instrument);
      expect(s.reported_amount_cents).toBe(row.amount_usd === '' ? null : cents(row.amount_usd!));
      expect(s.sub_area_text).toBe(row.sub_area);
      expect(s.status).toBe(row.status);
      expect((s.sources as { text: string }[]).map((x) => x.text).join(';')).toBe(row.sources);
      expect(s.origin).toMatch(/^data\/public-record\/sri-deals\.csv, line \d+$/);
      if (row.status === 'unverified') {
        expect(s.own_amount_cents).toBeNull();
        expect(s.deal_id).toBeNull();
      }
    }
  });

  it('holds every row of peer-awards.csv as the file states it; blanks stay blank', async () => {
    const stored = await keel.database.db.selectFrom('peer_awards').selectAll().execute();
    expect(stored).toHaveLength(awardRows.length);
    const firstWord = (status: string) => status.split(/[\s(]/)[0]!.toLowerCase();
    for (const row of awardRows) {
      const found = stored.filter(
        (s) =>
          s.programme === row.programme &&
          s.recipient === row.recipient &&
          s.date_text === row.date &&
          s.status === row.status,
      );
      expect(found, `${row.programme} ${row.recipient} ${row.date}`).toHaveLength(1);
      const s = found[0]!;
      expect(s.technology).toBe(row.technology_or_sub_area);
      expect(s.amount_cents).toBe(row.amount_usd === '' ? null : cents(row.amount_usd!));
      expect(s.state_text).toBe(row.state);
      if (row.date === '') expect([s.date_start, s.date_end]).toEqual([null, null]);
      else if (/^\d{4}-\d{2}-\d{2}$/.test(row.date!))
        expect([s.date_start, s.date_end]).toEqual([row.date, row.date]);
      else if (/^\d{4}-\d{2}$/.test(row.date!)) expect(s.date_start).toBe(`${row.date}-01`);
      else
        expect(s.date_start).toBe(
          `${row.date!.slice(0, 4)}-${['01', '04', '07', '10'][Number(row.date!.slice(-1)) - 1]}-01`,
        );
      const usStates = row
        .state!.split(';')
        .map((p) => /^([A-Z]{2})\b/.exec(p.trim())?.[1])
        .filter(Boolean);
      expect(s.state_fips).toEqual(usStates.map((u) => fips.get(u!)));
      const expectedStage: Record<string, string> = {
        final: 'final',
        closed: 'final',
        loan: 'final',
        awarded: 'final',
        approved: 'final',
        conditional: 'conditional',
        preliminary: 'preliminary',
        announced: 'preliminary',
        candidate: 'preliminary',
        status: 'unstated',
      };
      expect(s.stage).toBe(expectedStage[firstWord(row.status!)]);
      expect((s.sources as { text: string }[]).map((x) => x.text).join(' | ')).toBe(row.source);
      // An award whose source is a stored White House statement links to it.
      // (One stored copy the file cites, Microchip's of 2024-01-04, is not in the collection: no link.)
      expect(s.statement_path).toBe(statementOf(row));
    }
  });

  it("first start: the counted total is the ledger's alone, and the undisclosed part is reported", async () => {
    const summary = await programmeSummary(keel, testAdmin);
    const { programme } = await currentProgramme(keel.database.db);
    // The ledger holds one commitment: the $75M Perpetua equity (data/reference/public-deals.json).
    expect(summary.counted.total).toBe(countedAmount(programme, 'direct_equity', 75_000_000_00n));
    const own = (r: Row) => /own capital/.test(r.instrument!);
    const precursor = (r: Row) => /PRECURSOR/.test(r.instrument!);
    const programmeRows = dealRows.filter((r) => !precursor(r));
    const undisclosed = programmeRows.filter((r) => r.status === 'verified' && !own(r));
    const leads = programmeRows.filter((r) => r.status === 'unverified');
    const sum = (rows: Row[]) => rows.reduce((s, r) => s + cents(r.amount_usd!), 0n);
    expect(summary.publicRecord).toEqual({
      reported: programmeRows.length,
      ownReported: { deals: 1, own: 75_000_000_00n },
      booked: { deals: 1, own: 75_000_000_00n },
      undisclosed: { deals: undisclosed.length, reportedTotals: sum(undisclosed), withoutFigure: 0 },
      leads: { deals: leads.length, reportedSizes: sum(leads) },
      precursors: { deals: 1, reportedTotals: sum(dealRows.filter(precursor)) },
    });
    // Perpetua is one deal, reported and booked: not doubled.
    expect(await keel.database.db.selectFrom('deals').select('id').execute()).toEqual([
      { id: 'perpetua-2025-equity' },
    ]);
    const perpetua = (await reportedDeals(keel, testAdmin)).find((d) => d.company === 'Perpetua Resources')!;
    expect(perpetua).toMatchObject({
      dealId: 'perpetua-2025-equity',
      ownAmount: 75_000_000_00n,
      stateFips: '16',
      countyFips: '16085',
    });
    // The public side sees the same record, less which deals the ledger books (one deal: fewer than k).
    const pub = await publicAggregates(keel, council);
    expect(pub.publicRecord).toEqual({ ...summary.publicRecord, booked: null });
    expect(pub.counted.total).toBeNull();
  });

  it('the quarterly report says how much of the record at the quarter end is undisclosed', async () => {
    // By 2025-12-31 the file reports Perpetua (own $75M, booked) and Korea Zinc ($7.4B project, own
    // undisclosed); MP Materials is a precursor; the 2026 rows are not yet reported.
    const q4 = quarterField.parse('2025Q4');
    const report = await quarterlyReport(keel, testAdmin, q4);
    const section = /<section id="public-record">([\s\S]*?)<\/section>/.exec(report.html)?.[1] ?? '';
    expect(section).toContain('Public record: 2 reported deal(s) of the programme.');
    expect(section).toContain('1 booked in the ledger and counted ($75,000,000.00)');
    expect(section).toContain(
      `Own amount undisclosed, nothing counted toward the target: 1 deal(s), reporting ${compactAmount(
        cents(dealRows.find((r) => r.company?.startsWith('Korea Zinc'))!.amount_usd!),
      )}`,
    );
    expect(section).toContain('Leads (unverified reports, before screening, never in the ledger): 0');
  });

  it('an unverified row never reaches the ledger, whatever the file claims', async () => {
    const before = await keel.database.db.selectFrom('ledger_entries').select('seq').execute();
    const summaryBefore = await programmeSummary(keel, testAdmin);
    // The board shows leads beside its first stage from the public record: no deal is opened for them,
    // so the stage totals stay the booked deals' alone.
    const dealsBefore = await keel.database.db.selectFrom('deals').select('id').orderBy('id').execute();
    const stagesBefore = await pipelineStageTotals(keel, testAdmin, {});
    const csv = [
      'date,company,instrument,amount_usd,sub_area,status,sources,own_amount_usd',
      '2026-09-01,Perpetua Resources,"Direct equity, $90M of JPM own capital (rumoured)",90000000,critical minerals,unverified,https://example.org/rumour,90000000',
      '2026-09-02,Rumoured Yards,"[amount = round total; JPM share undisclosed] co-lead of a $900B round",900000000000,shipbuilding,verified,https://example.org/yards,',
    ].join('\n');
    await importFile(keel, testAdmin, 'public-deals', csv);
    const rows = await keel.database.db
      .selectFrom('reported_deals')
      .selectAll()
      .where('reported_on', '>=', '2026-09-01')
      .execute();
    const lead = rows.find((r) => r.company === 'Perpetua Resources')!;
    expect([lead.own_amount_cents, lead.deal_id]).toEqual([null, null]);
    expect(await keel.database.db.selectFrom('ledger_entries').select('seq').execute()).toEqual(before);
    const after = await programmeSummary(keel, testAdmin);
    expect(after.counted).toEqual(summaryBefore.counted);
    expect(
      after.publicRecord!.undisclosed.reportedTotals - summaryBefore.publicRecord!.undisclosed.reportedTotals,
    ).toBe(900_000_000_000_00n);
    expect(after.publicRecord!.leads.deals).toBe(summaryBefore.publicRecord!.leads.deals + 1);
    expect(await keel.database.db.selectFrom('deals').select('id').orderBy('id').execute()).toEqual(
      dealsBefore,
    );
    expect(await pipelineStageTotals(keel, testAdmin, {})).toEqual(stagesBefore);
    // The database refuses to tie a lead to a deal, whoever writes.
    await expect(
      keel.database.db
        .updateTable('reported_deals')
        .set({ deal_id: 'perpetua-2025-equity' })
        .where('id', '=', lead.id)
        .execute(),
    ).rejects.toThrow();
    await keel.database.db.deleteFrom('reported_deals').where('reported_on', '>=', '2026-09-01').execute();
  });

  it('crowding in critical minerals, computed by hand from peer-awards.csv', async () => {
    // By hand: the critical-minerals awards of the file, each once at its furthest stage. Lithium Nevada's
    // conditional commitment (2024-03-14) is replaced by its closed loan (2024-10-28), same $2.26B.
    const amount = (recipient: string, programme: string, status?: string) =>
      cents(
        awardRows.find(
          (r) =>
            r.recipient === recipient &&
            r.programme === programme &&
            (status === undefined || r.status === status),
        )!.amount_usd!,
      );
    const byState = {
      '06': // CA: MP Materials' DoD loan, DoD equity and DPA Title III award
        amount('MP Materials', 'DoD loan (program office not named in read source)') +
        amount('MP Materials', 'DoD equity (preferred stock + warrants)') +
        amount('MP Materials', 'DPA Title III (DoD)'),
      '32': amount('Lithium Nevada Corp. (Lithium Americas)', 'DOE LPO (ATVM)', 'closed loan'), // NV
      '37': // NC (HQ): Vulcan Elements, CHIPS and OSC
        amount('Vulcan Elements', 'CHIPS Incentives (Commerce/NIST CPO)') +
        amount('Vulcan Elements', 'DoW Office of Strategic Capital'),
      '27': amount('Niron Magnetics', 'DoW Office of Strategic Capital'), // MN
      '19': amount('Arconic', 'DPA (DoD MCEIP; Ukraine supplemental funds)'), // IA
      '42': amount('Aquatech', 'EXIM Make More in America Initiative'), // PA
      none: // no US state in the file (blank, or NSW, Australia)
        amount('ReElement Technologies', 'DoW Office of Strategic Capital') +
        amount('Sunrise Energy Metals', 'DoW Office of Strategic Capital') +
        amount('Standard Bauxite', 'DoW (instrument not stated)') +
        amount('ElementUS Minerals', 'DPA (DoD award)') +
        amount('12 recipients (aggregate; names not in read excerpt)', 'DPA Purchases (DoD, IRA-funded)'),
    };
    const total = Object.values(byState).reduce((s, x) => s + x, 0n);
    expect(total).toBe(4_534_700_000_00n); // $4,534.7M: the sum written out by hand from the file
    const peers = await peerOverlap(keel, testAdmin);
    const minerals = peers.overlap.find((o) => o.subAreaId === 'critical-minerals')!;
    expect(minerals.publicDollars).toBe(total);
    expect(minerals.publicAwards).toBe(14);
    expect(Object.fromEntries(minerals.byState.map((s) => [s.place, s.amount]))).toEqual(byState);
    const { programme } = await currentProgramme(keel.database.db);
    const ours = countedAmount(programme, 'direct_equity', 75_000_000_00n);
    expect(minerals.ourCounted).toBe(ours);
    expect(minerals.crowding).toBeCloseTo(Number(total) / Number(ours), 9);
    // Every award keeps its sources; CHIPS awards from White House statements link to them.
    expect(peers.awards.every((a) => a.sources.length > 0)).toBe(true);
    expect(peers.awards.filter((a) => a.statement !== null).length).toBe(
      awardRows.filter((r) => statementOf(r) !== null).length,
    );
    // The public side sees the peers' public dollars, and our figure only when k deals make it (one here).
    const pub = await peerOverlap(keel, analyst);
    const pubMinerals = pub.overlap.find((o) => o.subAreaId === 'critical-minerals')!;
    expect(pubMinerals.publicDollars).toBe(total);
    expect(pubMinerals.ourCounted).toBeNull();
    expect(pub.states.every((s) => s.ourDeployed === null)).toBe(true);
  });

  it('imports all rows or none, naming line and column; a source on every row', async () => {
    const bad = [
      'programme,recipient,technology_or_sub_area,amount_usd,date,state,status,source',
      'DoW Office of Strategic Capital,Good Magnets,rare-earth magnets,1000000,2026-09-01,TX,conditional loan commitment,https://example.org/a',
      'DoW Office of Strategic Capital,No Source Inc,rare-earth magnets,1000000,2026-09-01,TX,conditional loan commitment,',
      'DoW Office of Strategic Capital,Bad State,rare-earth magnets,1000000,2026-09-01,XX,conditional loan commitment,https://example.org/b',
      'DoW Office of Strategic Capital,Bad Date,rare-earth magnets,1000000,2026-13,TX,conditional loan commitment,https://example.org/c',
      'Unknown Programme,Bad Programme,rare-earth magnets,1000000,2026-09-01,TX,final,https://example.org/d',
    ].join('\n');
    const before = await keel.database.db.selectFrom('peer_awards').select('id').execute();
    const error = await importFile(keel, testAdmin, 'peer-awards', bad).catch((e: Error) => e);
    expect(String((error as Error).message)).toMatch(/line 3, field source: is required/);
    expect(String((error as Error).message)).toMatch(/line 4, field state: "XX" is not a US state code/);
    expect(String((error as Error).message)).toMatch(/line 5, field date: /);
    expect(await keel.database.db.selectFrom('peer_awards').select('id').execute()).toHaveLength(
      before.length,
    );
    const programmeError = await importFile(
      keel,
      testAdmin,
      'peer-awards',
      [bad.split('\n')[0], bad.split('\n')[5]].join('\n'),
    ).catch((e: Error) => e);
    expect(String((programmeError as Error).message)).toMatch(/line 2, field programme: /);
    const good = [bad.split('\n')[0], bad.split('\n')[1]].join('\n');
    const outcome = await importFile(keel, testAdmin, 'peer-awards', good);
    expect(outcome.rows).toBe(1);
    const peers = await peerOverlap(keel, testAdmin);
    expect(peers.awards.find((a) => a.recipient === 'Good Magnets')).toMatchObject({
      amount: 1_000_000_00n,
      stateFips: ['48'],
      stage: 'conditional',
      subAreaId: 'critical-minerals',
      programmeId: 'dod-osc',
    });
    await keel.database.db.deleteFrom('peer_awards').where('recipient', '=', 'Good Magnets').execute();
  });

  it('the keel command imports awards (or names the bad line and column) and its summary reports the record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-public-record-'));
    const header = 'programme,recipient,technology_or_sub_area,amount_usd,date,state,status,source';
    writeFileSync(
      join(dir, 'good.csv'),
      `${header}\nDoW Office of Strategic Capital,CLI Magnets,rare-earth magnets,2000000,2026-09-03,OH,conditional loan commitment,https://example.org/cli\n`,
    );
    writeFileSync(
      join(dir, 'bad.csv'),
      `${header}\nDoW Office of Strategic Capital,CLI Bad,rare-earth magnets,two million,2026-09-03,OH,conditional loan commitment,https://example.org/cli\n`,
    );
    await keel.closeConnection();
    try {
      const bad = await runKeel(['import', 'peer-awards', join(dir, 'bad.csv')], keel.env);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/line 2, field amount_usd/);
      const good = await runKeel(['import', 'peer-awards', join(dir, 'good.csv')], keel.env);
      expect(good.code, good.stderr).toBe(0);
      const summary = await runKeel(['summary'], keel.env);
      expect(summary.code, summary.stderr).toBe(0);
      expect(summary.stdout).toContain(
        'Own amount undisclosed, nothing counted toward the target: 6 deal(s)',
      );
      expect(summary.stdout).toContain(
        'Leads (unverified reports, before screening, never in the ledger): 2',
      );
    } finally {
      keel = await keel.reopen();
      rmSync(dir, { recursive: true, force: true });
    }
    const cli = await keel.database.db
      .selectFrom('peer_awards')
      .selectAll()
      .where('recipient', 'like', 'CLI%')
      .execute();
    expect(cli.map((a) => [a.recipient, a.amount_cents, a.state_fips])).toEqual([
      ['CLI Magnets', 2_000_000_00n, ['39']],
    ]);
  });
});
