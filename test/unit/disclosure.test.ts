import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PROGRAMME } from '../../src/app/data-files.ts';
import { cellsToSuppress } from '../../src/domain/disclosure.ts';
import type { Instrument } from '../../src/domain/instruments.ts';
import type { Cents } from '../../src/domain/money.ts';
import type { PermitRecord } from '../../src/domain/permitting.ts';
import { parseProgramme } from '../../src/domain/programme.ts';
import { publicBottlenecks } from '../../src/domain/public-bottlenecks.ts';
import { publicPipeline } from '../../src/domain/public-pipeline.ts';
import { reshoringDisclosure } from '../../src/domain/public-reshoring.ts';
import {
  type DealCommitment,
  OTHER,
  type PublicProgrammeSummary,
  publicSummary,
} from '../../src/domain/public-summary.ts';
import type { Stage } from '../../src/domain/stages.ts';
import { seededRandom } from '../../src/domain/synthetic.ts';

const k3 = { minimumCellSize: 3 };
const deals = (...ids: string[]) => new Set(ids);

describe('small-cell suppression (cellsToSuppress)', () => {
  it('hides a cell of one deal, and the smallest sibling so the total minus the others gives nothing away', () => {
    const cells = new Map([
      ['total', deals('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')],
      ['x', deals('a')],
      ['y', deals('b', 'c', 'd')],
      ['z', deals('e', 'f', 'g', 'h')],
    ]);
    const hidden = cellsToSuppress(cells, [{ parent: 'total', children: ['x', 'y', 'z'] }], k3);
    expect([...hidden].sort()).toEqual(['x', 'y']);
  });

  it('hides a total that fewer than k deals add up to, and every cell under it', () => {
    const cells = new Map([
      ['total', deals('a', 'b')],
      ['x', deals('a')],
      ['y', deals('b')],
    ]);
    expect([...cellsToSuppress(cells, [{ parent: 'total', children: ['x', 'y'] }], k3)].sort()).toEqual([
      'total',
      'x',
      'y',
    ]);
  });

  it('with k deals everywhere, hides nothing', () => {
    const cells = new Map([
      ['total', deals('a', 'b', 'c', 'd', 'e', 'f')],
      ['x', deals('a', 'b', 'c')],
      ['y', deals('d', 'e', 'f')],
    ]);
    expect(cellsToSuppress(cells, [{ parent: 'total', children: ['x', 'y'] }], k3).size).toBe(0);
  });

  it('a hidden parent keeps a hidden child, so it is not the sum of shown children', () => {
    // area A (hidden to protect its sibling B) must not be recoverable from its sub-areas.
    const cells = new Map([
      ['total', deals('1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11')],
      ['A', deals('1', '2', '3', '4', '5', '6')],
      ['B', deals('7')],
      ['C', deals('8', '9', '10', '11')],
      ['A1', deals('1', '2', '3')],
      ['A2', deals('4', '5', '6')],
    ]);
    const hidden = cellsToSuppress(
      cells,
      [
        { parent: 'total', children: ['A', 'B', 'C'] },
        { parent: 'A', children: ['A1', 'A2'] },
      ],
      k3,
    );
    expect(hidden.has('B')).toBe(true);
    expect(hidden.has('C') || hidden.has('A')).toBe(true);
    if (hidden.has('A')) expect(hidden.has('A1') || hidden.has('A2')).toBe(true);
  });
});

/** Rank of a small dense matrix (Gaussian elimination with partial pivoting). */
function rank(m: number[][]): number {
  const a = m.map((r) => [...r]);
  let r = 0;
  const cols = a[0]?.length ?? 0;
  for (let c = 0; c < cols && r < a.length; c++) {
    let p = r;
    for (let i = r + 1; i < a.length; i++) if (Math.abs(a[i]![c]!) > Math.abs(a[p]![c]!)) p = i;
    if (Math.abs(a[p]![c]!) < 1e-9) continue;
    [a[r], a[p]] = [a[p]!, a[r]!];
    for (let i = 0; i < a.length; i++) {
      if (i === r) continue;
      const f = a[i]![c]! / a[r]![c]!;
      for (let j = c; j < cols; j++) a[i]![j]! -= f * a[r]![j]!;
    }
    r++;
  }
  return r;
}

/**
 * The reader's view: every cell of sub-area × year × instrument × classification is an unknown (the reader
 * knows the taxonomy, not which cells are empty), and every published figure is the sum of some cells.
 */
interface Atom {
  subAreaId: string;
  areaId: string;
  year: number;
  instrument: Instrument;
  classification: 'baseline' | 'incremental';
}

/** Every published figure of the public summary as the set of cells it adds up. */
function publishedFigures(
  s: PublicProgrammeSummary,
  atoms: Atom[],
  keys: { subs: string[]; areas: string[]; instruments: string[] },
): number[][] {
  const vec = (pred: (r: Atom) => boolean) => atoms.map((r) => (pred(r) ? 1 : 0));
  const out: number[][] = [];
  if (s.counted.total !== null) out.push(vec(() => true));
  for (const c of ['baseline', 'incremental'] as const)
    if (s.counted[c] !== null) out.push(vec((r) => r.classification === c));
  const equity = (r: Atom) => r.instrument === 'direct_equity' || r.instrument === 'venture_capital';
  if (s.counted.own !== null) out.push(vec((r) => r.instrument !== 'bond_underwriting'));
  if (s.counted.facilitated !== null) out.push(vec((r) => r.instrument === 'bond_underwriting'));
  const table = (
    list: Array<{ key: string; counted: bigint | null }>,
    all: string[],
    keyOf: (r: Atom) => string,
  ) => {
    const shown = new Set(list.filter((x) => x.key !== OTHER && x.counted !== null).map((x) => x.key));
    for (const key of shown) out.push(vec((r) => keyOf(r) === key));
    const other = list.find((x) => x.key === OTHER);
    if (other && other.counted !== null) out.push(vec((r) => !shown.has(keyOf(r))));
    // Without an `other` row, a key that is not listed is known to be zero.
    if (!other) for (const key of all) if (!shown.has(key)) out.push(vec((r) => keyOf(r) === key));
  };
  table(s.byArea, keys.areas, (r) => r.areaId);
  table(s.bySubArea, keys.subs, (r) => r.subAreaId);
  table(s.byInstrument, keys.instruments, (r) => r.instrument);
  for (const y of s.byYear) {
    if (y.counted !== null) out.push(vec((r) => r.year === y.year));
    if (y.cumulativeCounted !== null) out.push(vec((r) => r.year <= y.year));
  }
  for (const g of s.bySubAreaYear) out.push(vec((r) => r.subAreaId === g.subAreaId && r.year === g.year));
  const subCaps = s.caps.filter((c) => c.scopeKey !== '*');
  for (const cap of s.caps) {
    if (cap.used === null) continue;
    if (cap.scopeKey === OTHER) {
      const listed = new Set(subCaps.filter((c) => c.scopeKey !== OTHER).map((c) => c.scopeKey));
      out.push(vec((r) => equity(r) && !listed.has(r.subAreaId)));
    } else out.push(vec((r) => equity(r) && (cap.scopeKey === '*' || r.subAreaId === cap.scopeKey)));
  }
  if (!subCaps.some((c) => c.scopeKey === OTHER))
    for (const sub of keys.subs)
      if (!subCaps.some((c) => c.scopeKey === sub)) out.push(vec((r) => equity(r) && r.subAreaId === sub));
  return out;
}

describe('the public summary', () => {
  const programme = parseProgramme(JSON.parse(readFileSync(REFERENCE_PROGRAMME, 'utf8')));
  const instruments: Instrument[] = ['direct_equity', 'venture_capital', 'term_loan', 'bond_underwriting'];

  it('reads its minimum cell size from the programme file (default 3)', () => {
    expect(programme.disclosure.minimumCellSize).toBe(3);
    const file = JSON.parse(readFileSync(REFERENCE_PROGRAMME, 'utf8'));
    delete file.disclosure;
    expect(parseProgramme(file).disclosure.minimumCellSize).toBe(3);
    file.disclosure = { minimumCellSize: 5 };
    expect(parseProgramme(file).disclosure.minimumCellSize).toBe(5);
  });

  it('one deal: no figure of it anywhere, totals included', () => {
    const rows: DealCommitment[] = [
      {
        dealId: 'd1',
        instrument: 'direct_equity',
        classification: 'incremental',
        subAreaId: 's1',
        areaId: 'a1',
        year: 2026,
        netCommitted: 12_345_678_00n as Cents,
      },
    ];
    const s = publicSummary(
      programme,
      { version: 1, methodologyVersion: 1 },
      rows,
      [{ dealId: 'd1', stage: 'approved', subAreaId: 's1', amount: 12_345_678_00n as Cents }],
      programme.disclosure,
    );
    expect(JSON.stringify(s, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('1234567800');
    expect(s.counted.total).toBeNull();
    expect(s.pipeline).toEqual([{ stage: OTHER, deals: null, amount: null, merged: true }]);
  });

  it('no figure that one or two deals add up to can be computed from the published figures', () => {
    // The reader's unknowns are the cells of sub-area × year × instrument × classification (the reader knows
    // the taxonomy, not which cells are empty); every published figure is a sum of them. A figure is given
    // away if its sum is a linear combination of published sums (total minus the others, and any chain).
    const random = seededRandom(Number(process.env.KEEL_TEST_SEED ?? 13));
    const subs = ['s0', 's1', 's2', 's3', 's4'];
    const years = [2026, 2027, 2028];
    const atoms: Atom[] = [];
    for (const subAreaId of subs)
      for (const year of years)
        for (const instrument of instruments)
          for (const classification of ['baseline', 'incremental'] as const)
            atoms.push({
              subAreaId,
              areaId: `a${Number(subAreaId.slice(1)) % 2}`,
              year,
              instrument,
              classification,
            });
    const equity = (r: { instrument: Instrument }) =>
      r.instrument === 'direct_equity' || r.instrument === 'venture_capital';
    // Every figure a table could show, as a test on a cell.
    const figures: Array<[string, (r: Atom) => boolean]> = [
      ['total', () => true],
      ...(['baseline', 'incremental'] as const).map((c): [string, (r: Atom) => boolean] => [
        c,
        (r) => r.classification === c,
      ]),
      ['own', (r) => r.instrument !== 'bond_underwriting'],
      ['facilitated', (r) => r.instrument === 'bond_underwriting'],
      ['equity cap', equity],
      ...['a0', 'a1'].map((a): [string, (r: Atom) => boolean] => [a, (r) => r.areaId === a]),
      ...instruments.map((i): [string, (r: Atom) => boolean] => [i, (r) => r.instrument === i]),
      ...years.map((y): [string, (r: Atom) => boolean] => [String(y), (r) => r.year === y]),
      ...subs.flatMap(
        (sub): Array<[string, (r: Atom) => boolean]> => [
          [sub, (r) => r.subAreaId === sub],
          [`${sub} equity cap`, (r) => r.subAreaId === sub && equity(r)],
          ...years.map((y): [string, (r: Atom) => boolean] => [
            `${sub} ${y}`,
            (r) => r.subAreaId === sub && r.year === y,
          ]),
        ],
      ),
    ];
    const keys = { subs, areas: ['a0', 'a1'], instruments: instruments as string[] };
    const policy = process.env.KEEL_TEST_NO_SUPPRESSION ? { minimumCellSize: 1 } : programme.disclosure;
    let checked = 0;
    const failures: string[] = [];
    for (let trial = 0; trial < Number(process.env.KEEL_TEST_TRIALS ?? 300); trial++) {
      const dealCount = 1 + Math.floor(random() * 15);
      const rows = new Map<string, DealCommitment>();
      for (let d = 0; d < dealCount; d++) {
        const sub = Math.floor(random() * subs.length);
        const deal = {
          dealId: `d${d}`,
          instrument: instruments[Math.floor(random() * instruments.length)]!,
          classification: random() < 0.5 ? ('baseline' as const) : ('incremental' as const),
          subAreaId: `s${sub}`,
          areaId: `a${sub % 2}`,
        };
        for (let y = 1 + Math.floor(random() * 2); y > 0; y--) {
          const year = years[Math.floor(random() * years.length)]!;
          rows.set(`${deal.dealId}|${year}`, { ...deal, year, netCommitted: 1_000_00n as Cents });
        }
      }
      const list = [...rows.values()];
      const s = publicSummary(programme, { version: 1, methodologyVersion: 1 }, list, [], policy);
      const published = publishedFigures(s, atoms, keys);
      const full = rank(published);
      for (const [name, inCell] of figures) {
        const deals = new Set(list.filter((r) => inCell(r)).map((r) => r.dealId));
        if (deals.size === 0 || deals.size >= 3) continue;
        checked++;
        if (rank([...published, atoms.map((a) => (inCell(a) ? 1 : 0))]) === full)
          failures.push(`trial ${trial}: ${name} (${deals.size} deal(s))`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  it('with k deals in one cell, the figures appear', () => {
    const rows: DealCommitment[] = ['d1', 'd2', 'd3'].map((dealId) => ({
      dealId,
      instrument: 'direct_equity',
      classification: 'incremental',
      subAreaId: 's1',
      areaId: 'a1',
      year: 2026,
      netCommitted: 1_000_00n as Cents,
    }));
    const s = publicSummary(programme, { version: 1, methodologyVersion: 1 }, rows, [], programme.disclosure);
    expect(s.counted.total).toBe(3_000_00n);
    expect(s.bySubArea).toEqual([{ key: 's1', counted: 3_000_00n }]);
    expect(s.bySubAreaYear).toEqual([{ subAreaId: 's1', areaId: 'a1', year: 2026, counted: 3_000_00n }]);
    expect(s.caps.find((c) => c.scopeKey === 's1')?.used).toBe(3_000_00n);
  });
});

describe('the other public tables', () => {
  const permit = (dealId: string, agency: string, amount: bigint): PermitRecord => ({
    dealId,
    kind: 'air_permit',
    agency,
    events: [{ stage: 'applied', on: '2026-02-01' }],
    dealAmount: amount as Cents,
  });

  it('permit bottlenecks: a row of one deal is merged, and the big row is hidden too, so the total minus it gives nothing', () => {
    const permits = [
      permit('lonely', 'ADEM', 7_000_000_00n),
      ...['a', 'b', 'c', 'd'].map((d) => permit(d, 'EPA', 1_000_000_00n)),
    ];
    const view = publicBottlenecks(permits, '2026-06-30', k3);
    expect(view.rows.map((r) => r.agency)).toEqual(['EPA', 'other']);
    expect(view.capitalBlocked).toBe(11_000_000_00n);
    // Total minus the EPA row would be the lonely deal: the EPA row's blocked capital is hidden.
    expect(view.rows[0]?.capitalBlocked).toBeNull();
    expect(view.rows[0]?.permits).toBe(4);
  });

  it('pipeline: stages and open pipeline by sub-area are suppressed together', () => {
    const deal = (dealId: string, stage: Stage, subAreaId: string) => ({
      dealId,
      stage,
      subAreaId,
      amount: 1_000_00n as Cents,
    });
    const view = publicPipeline(
      [
        deal('a', 'screening', 's1'),
        deal('b', 'screening', 's1'),
        deal('c', 'screening', 's1'),
        deal('d', 'screening', 's2'),
        deal('e', 'closed', 's2'),
        deal('f', 'closed', 's2'),
        deal('g', 'closed', 's2'),
      ],
      k3,
    );
    // s2 has one open deal: hidden; so s1 (= open pipeline minus s2) must be hidden as well.
    expect(view.openBySubArea.get('s2')).toBeNull();
    expect(view.openBySubArea.get('s1')).toBeNull();
    expect(view.byStage.get('screening')).toEqual({ deals: 4, amount: 4_000_00n });
  });

  it('reshoring: one deal coming online in a year is not the difference of two shown years', () => {
    const additions = ['a', 'b', 'c'].map((dealId) => ({ dealId, unit: 't', onlineYear: 2026 }));
    const shown = reshoringDisclosure(
      [...additions, { dealId: 'late', unit: 't', onlineYear: 2028 }],
      't',
      [2026, 2027, 2028],
      k3,
    );
    // 2028 minus 2027 (or minus 2026) would be the late deal alone: never both shown.
    expect(shown.yearShown(2027) && shown.yearShown(2028)).toBe(false);
    expect(shown.yearShown(2026) && shown.yearShown(2028)).toBe(false);
    // The total equals 2028's running total, so they are shown or hidden together.
    expect(shown.totalShown).toBe(shown.yearShown(2028));
    expect(reshoringDisclosure(additions, 't', [2026, 2027], k3).yearShown(2027)).toBe(true);
  });
});
