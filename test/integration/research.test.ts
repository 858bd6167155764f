import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordLedgerEntries } from '../../src/app/ledger.ts';
import { ioImpact, researchScores } from '../../src/app/research/analysis.ts';
import { editGraph, graphHistory, graphVersion } from '../../src/app/research/graph.ts';
import { addNote, listNotes } from '../../src/app/research/notes.ts';
import {
  compareRuns,
  listScenarios,
  runSavedScenario,
  saveScenario,
} from '../../src/app/research/scenarios.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { entry, seedDeals } from './fixtures.ts';

const analyst = { id: 'ana', role: 'research_analyst' } as const;
const banker = { id: 'bob', role: 'banker' } as const;
const council = { id: 'carl', role: 'council_member' } as const;

describeOnBackends('research engine', (backend) => {
  let keel: TestKeel;
  let munitions: string[];
  beforeAll(async () => {
    keel = await freshKeel(backend);
    munitions = await seedDeals(keel, {
      prefix: 'rs',
      count: 2,
      subAreaId: 'munitions-missiles-hypersonics',
      amount: 40_000_000_00n,
    });
    await recordLedgerEntries(keel, testAdmin, 'rs-commit', [
      entry('rs-c0', munitions[0]!, 'commitment', 30_000_000_00n),
      entry('rs-c1', munitions[1]!, 'commitment', 20_000_000_00n),
      entry('rs-x1', munitions[1]!, 'cancellation', 5_000_000_00n),
    ]);
  });
  afterAll(() => keel.close());

  it('init stored graph version 1 and the four shipped scenarios; scores cover every node', async () => {
    const v = await graphVersion(keel, analyst);
    expect(v.version).toBe(1);
    expect(v.graph.nodes.length).toBeGreaterThan(50);
    expect((await listScenarios(keel, council)).map((s) => s.id)).toContain('antimony-export-ban');
    const { scores, valueAdded } = await researchScores(keel, council);
    expect(scores.length).toBe(v.graph.nodes.length);
    const gallium = scores.find((s) => s.id === 'gallium');
    expect(gallium?.eu?.economicImportance).toBeGreaterThan(0);
    // EI weights from the 2015 summary use table, each with its cell.
    expect(valueAdded.year).toBe(2015);
    expect(valueAdded.bySubArea.find((v) => v.subArea === 'semiconductors')).toMatchObject({
      industry: '334',
      sheet: '2015',
      file: 'IOUse_Before_Redefinitions_PRO_1997-2015_Summary.xlsx',
    });
  });

  it('edits make a new version; stale or broken edits change nothing', async () => {
    const { result: made } = await editGraph(keel, analyst, 'rs-edit-1', {
      baseVersion: 1,
      edits: [
        {
          op: 'put_edge',
          edge: { from: 'antimony', to: 'solar', weight: 0.05, source: 'test: antimony in solar glass' },
        },
      ],
      note: 'antimony is used in solar glass',
    });
    expect(made.version).toBe(2);
    await expect(
      editGraph(keel, analyst, 'rs-edit-2', {
        baseVersion: 1,
        edits: [{ op: 'remove_node', id: 'gallium' }],
        note: 'stale',
      }),
    ).rejects.toThrow(/at version 2, not 1/);
    await expect(
      editGraph(keel, analyst, 'rs-edit-3', {
        baseVersion: 2,
        edits: [{ op: 'put_edge', edge: { from: 'nope', to: 'solar', weight: 0.1, source: 'x' } }],
        note: 'broken',
      }),
    ).rejects.toThrow(/edit 1: edge from unknown node "nope"/);
    await expect(
      editGraph(keel, banker, 'rs-edit-4', {
        baseVersion: 2,
        edits: [{ op: 'remove_node', id: 'gallium' }],
        note: 'x',
      }),
    ).rejects.toThrow(/does not allow research.write/);
    expect((await graphHistory(keel, analyst)).map((h) => h.version)).toEqual([2, 1]);
    expect((await graphVersion(keel, analyst, 1)).graph.edges.length).toBe(made.edges - 1);
  });

  it('a run puts the ledger holdings at risk for the private side only', async () => {
    const { result: run } = await runSavedScenario(keel, banker, 'rs-run-1', 'antimony-export-ban');
    expect(run.includesHoldings).toBe(true);
    const sub = run.result.exposures.find((e) => e.id === 'munitions-missiles-hypersonics');
    expect(sub?.path).toEqual(['antimony', 'antimony-trisulfide', 'munitions-missiles-hypersonics']);
    const byDeal = new Map(run.result.deals.map((d) => [d.dealId, d]));
    expect(byDeal.get(munitions[0]!)?.committedCents).toBe(30_000_000_00n);
    expect(byDeal.get(munitions[1]!)?.committedCents).toBe(15_000_000_00n); // net of the cancellation
    const share = sub?.meanShortfall as number;
    expect(byDeal.get(munitions[0]!)?.atRiskCents).toBe(BigInt(Math.round(3_000_000_000 * share)));
    const { result: publicRun } = await runSavedScenario(keel, analyst, 'rs-run-2', 'antimony-export-ban');
    expect(publicRun.includesHoldings).toBe(false);
    expect(publicRun.result.deals).toEqual([]);
    expect(JSON.stringify(publicRun, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(
      'rs-0',
    );
    // Comparing the banker's run as the analyst hides the holdings too.
    const compared = await compareRuns(keel, analyst, [run.runId, publicRun.runId]);
    expect(compared.runs[0]?.result.deals).toEqual([]);
    expect(compared.table[0]?.meanShortfall.length).toBe(2);
    const { result: replay } = await runSavedScenario(keel, banker, 'rs-run-1', 'antimony-export-ban');
    expect(replay.runId).toBe(run.runId);
  });

  it('saves a scenario only when it names nodes of the graph', async () => {
    const base = { id: 'my-outage', name: 'Outage', horizonMonths: 6 };
    await expect(
      saveScenario(keel, analyst, 'rs-s1', {
        ...base,
        shocks: [{ kind: 'plant_outage', node: 'unobtainium', fraction: 1, months: 2 }],
      }),
    ).rejects.toThrow(/unobtainium/);
    await saveScenario(keel, analyst, 'rs-s2', {
      ...base,
      shocks: [{ kind: 'plant_outage', node: 'gallium', fraction: 1, months: 2 }],
    });
    expect((await listScenarios(keel, analyst)).find((s) => s.id === 'my-outage')?.shipped).toBe(false);
  });

  it('notes respect the wall and draft status', async () => {
    await addNote(keel, banker, 'rs-n1', {
      title: 'Deal angle',
      bodyMarkdown: 'private',
      status: 'published',
      side: 'private',
      subjectKind: 'node',
      subjectId: 'antimony',
    }).then(
      () => expect.unreachable('a banker may not write research'),
      (e) => expect(String(e)).toMatch(/does not allow research.write/),
    );
    const specialist = { id: 'sam', role: 'sector_specialist' } as const;
    await addNote(keel, specialist, 'rs-n2', {
      title: 'Private view',
      bodyMarkdown: 'over the wall',
      status: 'published',
      side: 'private',
      subjectKind: 'node',
      subjectId: 'antimony',
    });
    await expect(
      addNote(keel, analyst, 'rs-n3', {
        title: 'x',
        bodyMarkdown: 'x',
        status: 'published',
        side: 'private',
        subjectKind: 'node',
        subjectId: 'antimony',
      }),
    ).rejects.toThrow(/only the private side/);
    await addNote(keel, analyst, 'rs-n4', {
      title: 'Draft',
      bodyMarkdown: 'not yet',
      status: 'draft',
      side: 'public',
      subjectKind: 'node',
      subjectId: 'antimony',
    });
    await addNote(keel, analyst, 'rs-n5', {
      title: 'Published',
      bodyMarkdown: 'public',
      status: 'published',
      side: 'public',
      subjectKind: 'node',
      subjectId: 'antimony',
    });
    const subject = { kind: 'node', id: 'antimony' };
    expect((await listNotes(keel, council, subject)).map((n) => n.title)).toEqual(['Published']);
    expect((await listNotes(keel, analyst, subject)).map((n) => n.title).sort()).toEqual([
      'Draft',
      'Published',
    ]);
    expect((await listNotes(keel, banker, subject)).map((n) => n.title).sort()).toEqual([
      'Private view',
      'Published',
    ]);
  });

  it('reports an input–output impact for a sub-area on the 1997 benchmark, 2015 summary and 2007 detail', async () => {
    const q = { subArea: 'critical-minerals', change: -0.1, model: 'supply', top: 5 } as const;
    const old = await ioImpact(council, { ...q, level: 'benchmark-1997' });
    expect(old.sector).toBe('2122');
    expect(old.year).toBe(1997);
    expect(old.impacts).toHaveLength(5);
    expect(old.totalChange).toBeLessThan(0);
    const recent = await ioImpact(council, { ...q, level: 'summary' });
    expect([recent.sector, recent.sectorName, recent.year]).toEqual(['331', 'Primary metals', 2015]);
    expect(recent.table).toMatch(/2015, summary level/);
    expect(recent.method).toMatch(/Ghosh/);
    expect(recent.impacts[0]?.name).toBe('Primary metals');
    const year2009 = await ioImpact(council, { ...q, level: 'summary', year: 2009, model: 'demand' });
    expect(year2009.table).toMatch(/2009/);
    expect(year2009.shock).toBeLessThan(0);
    const detail = await ioImpact(council, { ...q, level: 'detail' });
    expect([detail.sector, detail.year]).toEqual(['331419', 2007]);
    expect(detail.impacts.every((i) => i.name !== i.industry)).toBe(true);
    await expect(ioImpact(council, { ...q, subArea: 'nowhere', level: 'summary' })).rejects.toThrow(
      /no I-O sector mapped/,
    );
    await expect(
      ioImpact(council, { sector: '3344', change: -0.1, model: 'demand', top: 5, level: 'summary' }),
    ).rejects.toThrow(/no commodity "3344"/);
  });
});
