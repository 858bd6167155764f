/**
 * The programme summary as the public side sees it: the same tables as the private summary, with every
 * figure that fewer than k deals add up to hidden (see disclosure.ts), hidden cells merged into one
 * `other` row per table where that sum is itself safe to show, and no `committed` figure where it would
 * split a counted figure by instrument. Pure: the caller passes each deal's net commitments.
 */

import { cellsToSuppress, type DisclosurePolicy, type DisclosureRelation } from './disclosure.ts';
import type { BalanceSheetSide, Instrument } from './instruments.ts';
import { type Cents, totalCents } from './money.ts';
import { compareCapKeys, countedAmount, type Programme, sideOf } from './programme.ts';
import { type PipelineDeal, publicPipeline } from './public-pipeline.ts';
import type { PublicRecordSummary } from './public-record/record-summary.ts';
import type { Stage } from './stages.ts';
import type { CommitmentRow } from './summary.ts';

/** One deal's net commitments in one year (the finest grain the public tables are built from). */
export interface DealCommitment extends CommitmentRow {
  dealId: string;
}

/** The key of the row that holds what hidden cells add up to. */
export const OTHER = 'other';

export interface PublicBreakdown {
  key: string;
  counted: Cents | null;
  /** Set on the `other` row: the cells merged into it are not shown one by one. */
  merged?: true;
}

export interface PublicProgrammeSummary {
  programme: { id: string; name: string; version: number; methodologyVersion: number };
  targets: Programme['targets'];
  disclosure: DisclosurePolicy;
  counted: {
    total: Cents | null;
    baseline: Cents | null;
    incremental: Cents | null;
    own: Cents | null;
    facilitated: Cents | null;
  };
  byYear: Array<{
    year: number;
    plan: Cents;
    counted: Cents | null;
    cumulativePlan: Cents;
    cumulativeCounted: Cents | null;
  }>;
  byArea: PublicBreakdown[];
  bySubArea: PublicBreakdown[];
  /** Shown cells only: a hidden cell is absent, like an empty one. */
  bySubAreaYear: Array<{ subAreaId: string; areaId: string; year: number; counted: Cents }>;
  byInstrument: Array<PublicBreakdown & { committed: Cents | null; side: BalanceSheetSide | null }>;
  pipeline: Array<{ stage: Stage | typeof OTHER; deals: number | null; amount: Cents | null; merged?: true }>;
  caps: Array<{
    capId: string;
    scopeKey: string;
    label: string;
    limit: Cents;
    used: Cents | null;
    headroom: Cents | null;
    merged?: true;
  }>;
  /** The programme's public record (public reports only), beside the ledger's figures. */
  publicRecord?: PublicRecordSummary;
}

class Cells {
  readonly deals = new Map<string, Set<string>>();
  readonly counted = new Map<string, bigint>();
  readonly committed = new Map<string, bigint>();
  add(id: string, dealId: string, committed: bigint, counted: bigint) {
    const deals = this.deals.get(id) ?? new Set<string>();
    deals.add(dealId);
    this.deals.set(id, deals);
    this.counted.set(id, (this.counted.get(id) ?? 0n) + counted);
    this.committed.set(id, (this.committed.get(id) ?? 0n) + committed);
  }
  ensure(id: string) {
    if (!this.deals.has(id)) {
      this.deals.set(id, new Set());
      this.counted.set(id, 0n);
      this.committed.set(id, 0n);
    }
  }
  ids(prefix: string) {
    return [...this.deals.keys()].filter((id) => id.startsWith(prefix));
  }
}

const byCountedThenKey = (a: PublicBreakdown, b: PublicBreakdown) =>
  a.counted === b.counted ? (a.key < b.key ? -1 : 1) : (a.counted ?? -1n) > (b.counted ?? -1n) ? -1 : 1;

export function publicSummary(
  programme: Programme,
  versions: { version: number; methodologyVersion: number },
  commitments: readonly DealCommitment[],
  pipeline: readonly PipelineDeal[],
  policy: DisclosurePolicy,
): PublicProgrammeSummary {
  const cells = new Cells();
  const relations: DisclosureRelation[] = [];
  const areaOf = new Map<string, string>();
  const yearsOf = new Set<number>();
  const capsBySet = new Map<string, { programmeCap?: string; subAreaCaps: string[] }>();
  const capSetKey = (instruments: ReadonlySet<Instrument>) => [...instruments].sort().join('+');
  for (const cap of programme.caps) {
    if (cap.scope === 'company') continue;
    const set = capsBySet.get(capSetKey(cap.instruments)) ?? { subAreaCaps: [] };
    if (cap.scope === 'programme') set.programmeCap = cap.id;
    else set.subAreaCaps.push(cap.id);
    capsBySet.set(capSetKey(cap.instruments), set);
  }

  // Instruments grouped by everything published about them together (side, and each cap's instrument
  // set): the groups nest, so `own − equity cap` and the like are cells of their own.
  const groupOf = (instrument: Instrument) =>
    [
      sideOf(programme, instrument),
      ...[...capsBySet.keys()].map((set) => set.split('+').includes(instrument)),
    ].join('|');

  cells.ensure('total');
  for (const row of commitments) {
    if (row.netCommitted === 0n) continue;
    const counted = countedAmount(programme, row.instrument, row.netCommitted);
    const add = (id: string) => cells.add(id, row.dealId, row.netCommitted, counted);
    areaOf.set(row.subAreaId, row.areaId);
    yearsOf.add(row.year);
    add('total');
    add(`class:${row.classification}`);
    add(`side:${sideOf(programme, row.instrument)}`);
    add(`instrument:${row.instrument}`);
    add(`instrument-group:${groupOf(row.instrument)}`);
    add(`year:${row.year}`);
    add(`area:${row.areaId}`);
    add(`sub:${row.subAreaId}`);
    add(`grid:${row.subAreaId}|${row.year}`);
    add(`sub-instrument:${row.subAreaId}|${row.instrument}`);
    // Cap usage: each instrument set a cap draws on, programme-wide and per sub-area, and what lies outside
    // the set (a reader can take the total, or a sub-area's total, minus its cap usage).
    for (const [set, caps] of capsBySet) {
      const inSet = set.split('+').includes(row.instrument);
      if (caps.subAreaCaps.length) add(`${inSet ? 'capsub' : 'capsub-rest'}:${set}|${row.subAreaId}`);
      add(`${inSet ? 'capset' : 'capset-rest'}:${set}`);
    }
  }

  const children = (prefix: string) => cells.ids(prefix);
  relations.push({ parent: 'total', children: children('class:') });
  relations.push({ parent: 'total', children: children('side:') });
  relations.push({ parent: 'total', children: children('instrument:') });
  relations.push({ parent: 'total', children: children('year:') });
  relations.push({ parent: 'total', children: children('area:') });
  const instrumentOf = (id: string) => id.slice('instrument:'.length) as Instrument;
  for (const group of children('instrument-group:'))
    relations.push({
      parent: group,
      children: children('instrument:').filter(
        (id) => `instrument-group:${groupOf(instrumentOf(id))}` === group,
      ),
    });
  for (const side of ['own', 'facilitated'] as const)
    relations.push({
      parent: `side:${side}`,
      children: children('instrument-group:').filter((id) => id.startsWith(`instrument-group:${side}|`)),
    });
  for (const [subAreaId, areaId] of areaOf) {
    relations.push({ parent: `sub:${subAreaId}`, children: children(`grid:${subAreaId}|`) });
    if (!relations.some((r) => r.parent === `area:${areaId}`))
      relations.push({
        parent: `area:${areaId}`,
        children: [...areaOf].filter(([, a]) => a === areaId).map(([s]) => `sub:${s}`),
      });
  }
  // Sub-area × instrument is not published, but cap usage per sub-area and the instrument totals cross
  // there: its cells are what a reader can subtract towards.
  for (const id of children('instrument:'))
    relations.push({
      parent: id,
      children: children('sub-instrument:').filter((c) => c.endsWith(`|${instrumentOf(id)}`)),
    });
  for (const subAreaId of areaOf.keys())
    relations.push({ parent: `sub:${subAreaId}`, children: children(`sub-instrument:${subAreaId}|`) });
  for (const year of yearsOf)
    relations.push({
      parent: `year:${year}`,
      children: children('grid:').filter((id) => id.endsWith(`|${year}`)),
    });
  for (const [set, caps] of capsBySet) {
    const instruments = set.split('+');
    const inSet = (group: string) =>
      instruments.some((i) => group === `instrument-group:${groupOf(i as Instrument)}`);
    relations.push({ parent: `capset:${set}`, children: children('instrument-group:').filter(inSet) });
    relations.push({
      parent: `capset-rest:${set}`,
      children: children('instrument-group:').filter((g) => !inSet(g)),
    });
    // The total minus the programme-wide usage is what lies outside the set: a cell of its own.
    relations.push({ parent: 'total', children: [`capset:${set}`, `capset-rest:${set}`] });
    if (caps.subAreaCaps.length) {
      relations.push({ parent: `capset:${set}`, children: children(`capsub:${set}|`) });
      relations.push({ parent: `capset-rest:${set}`, children: children(`capsub-rest:${set}|`) });
      for (const subAreaId of areaOf.keys()) {
        relations.push({
          parent: `sub:${subAreaId}`,
          children: [`capsub:${set}|${subAreaId}`, `capsub-rest:${set}|${subAreaId}`],
        });
        for (const [part, inside] of [
          ['capsub', true],
          ['capsub-rest', false],
        ] as const)
          relations.push({
            parent: `${part}:${set}|${subAreaId}`,
            children: children(`sub-instrument:${subAreaId}|`).filter(
              (c) => instruments.includes(c.slice(c.indexOf('|') + 1)) === inside,
            ),
          });
      }
    }
  }

  // Running totals by year are cells too: each is the previous one plus its year, and the last is the total.
  const years = [...new Set([...programme.plan.map((p) => p.year), ...yearsOf])].sort((a, b) => a - b);
  let running = new Set<string>();
  let runningCounted = 0n;
  years.forEach((year, i) => {
    running = new Set([...running, ...(cells.deals.get(`year:${year}`) ?? [])]);
    runningCounted += cells.counted.get(`year:${year}`) ?? 0n;
    cells.deals.set(`cumulative:${year}`, running);
    cells.counted.set(`cumulative:${year}`, runningCounted);
    relations.push({
      parent: `cumulative:${year}`,
      children: i === 0 ? [`year:${year}`] : [`cumulative:${years[i - 1]}`, `year:${year}`],
    });
  });
  if (years.length) relations.push({ parent: 'total', children: [`cumulative:${years.at(-1)}`] });

  const hidden = cellsToSuppress(cells.deals, relations, policy);

  const shown = (id: string) => cells.deals.has(id) && !hidden.has(id);
  const countedOf = (id: string): Cents | null =>
    !cells.deals.has(id) ? totalCents(0n) : shown(id) ? totalCents(cells.counted.get(id) ?? 0n) : null;
  const totalShown = !hidden.has('total');

  /** Shown rows of one table, and an `other` row with what the hidden ones add up to. */
  const table = (prefix: string): PublicBreakdown[] => {
    const ids = children(prefix);
    const rows: PublicBreakdown[] = ids
      .filter(shown)
      .map((id) => ({ key: id.slice(prefix.length), counted: countedOf(id) }));
    const merged = ids.filter((id) => hidden.has(id));
    rows.sort(byCountedThenKey);
    if (merged.length) {
      const sum = merged.reduce((s, id) => s + (cells.counted.get(id) ?? 0n), 0n);
      rows.push({ key: OTHER, counted: totalShown ? totalCents(sum) : null, merged: true });
    }
    return rows;
  };

  const instrumentRows = table('instrument:').map((row) => {
    if (row.key === OTHER) return { ...row, committed: null, side: null };
    const id = `instrument:${row.key}`;
    return {
      ...row,
      committed: totalCents(cells.committed.get(id) ?? 0n),
      side: sideOf(programme, row.key as Instrument),
    };
  });

  let cumulativePlan = 0n;
  const byYear = years.map((year) => {
    const plan = programme.plan.find((p) => p.year === year)?.amount ?? 0n;
    cumulativePlan += plan;
    return {
      year,
      plan: totalCents(plan),
      counted: countedOf(`year:${year}`),
      cumulativePlan: totalCents(cumulativePlan),
      cumulativeCounted: countedOf(`cumulative:${year}`),
    };
  });

  const caps: PublicProgrammeSummary['caps'] = [];
  for (const cap of programme.caps) {
    if (cap.scope === 'company') continue;
    const set = capSetKey(cap.instruments);
    const row = (scopeKey: string, id: string, merged?: true) => {
      const used = cells.deals.has(id) ? (shown(id) ? (cells.committed.get(id) ?? 0n) : null) : 0n;
      caps.push({
        capId: cap.id,
        scopeKey,
        label: cap.label,
        limit: cap.limit,
        used: used === null ? null : totalCents(used),
        headroom: used === null ? null : totalCents(cap.limit > used ? cap.limit - used : 0n),
        ...(merged ? { merged } : {}),
      });
    };
    if (cap.scope === 'programme') {
      row('*', `capset:${set}`);
      continue;
    }
    const ids = children(`capsub:${set}|`).sort();
    for (const id of ids.filter(shown)) row(id.slice(`capsub:${set}|`.length), id);
    const merged = ids.filter((id) => hidden.has(id));
    if (merged.length) {
      const used = merged.reduce((s, id) => s + (cells.committed.get(id) ?? 0n), 0n);
      const known = !hidden.has(`capset:${set}`);
      caps.push({
        capId: cap.id,
        scopeKey: OTHER,
        label: cap.label,
        limit: cap.limit,
        used: known ? totalCents(used) : null,
        headroom: null,
        merged: true,
      });
    }
  }
  caps.sort(compareCapKeys);

  const stages = publicPipeline(pipeline, policy);
  const pipelineRows: PublicProgrammeSummary['pipeline'] = [];
  for (const [stage, figure] of stages.byStage)
    if (figure) pipelineRows.push({ stage, deals: figure.deals, amount: figure.amount });
  if (pipelineRows.length < stages.byStage.size) {
    // The hidden stages together: the whole pipeline minus the shown stages (safe, as the rules ensure).
    const total = stages.total;
    const shownDeals = pipelineRows.reduce((n, r) => n + (r.deals ?? 0), 0);
    const shownAmount = pipelineRows.reduce((s, r) => s + (r.amount ?? 0n), 0n);
    pipelineRows.push({
      stage: OTHER,
      deals: total ? total.deals - shownDeals : null,
      amount: total ? totalCents(total.amount - shownAmount) : null,
      merged: true,
    });
  }

  return {
    programme: {
      id: programme.id,
      name: programme.name,
      version: versions.version,
      methodologyVersion: versions.methodologyVersion,
    },
    targets: programme.targets,
    disclosure: { minimumCellSize: policy.minimumCellSize },
    counted: {
      total: countedOf('total'),
      baseline: countedOf('class:baseline'),
      incremental: countedOf('class:incremental'),
      own: countedOf('side:own'),
      facilitated: countedOf('side:facilitated'),
    },
    byYear,
    byArea: table('area:'),
    bySubArea: table('sub:'),
    bySubAreaYear: children('grid:')
      .filter(shown)
      .map((id) => {
        const [subAreaId, year] = id.slice('grid:'.length).split('|') as [string, string];
        return {
          subAreaId,
          areaId: areaOf.get(subAreaId) as string,
          year: Number(year),
          counted: totalCents(cells.counted.get(id) ?? 0n),
        };
      }),
    byInstrument: instrumentRows,
    pipeline: pipelineRows,
    caps,
  };
}
