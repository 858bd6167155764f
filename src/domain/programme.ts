/**
 * The programme is data: targets, horizon, plan, caps and the counting methodology live in a file that is
 * validated here and versioned in the database. Amounts in the file are dollar strings ("1500000000000.00")
 * parsed exactly to cents; a file that does not add up is refused with the reason.
 */
import { z } from 'zod';
import { DEFAULT_MINIMUM_CELL_SIZE, type DisclosurePolicy } from './disclosure.ts';
import { KeelError } from './errors.ts';
import { isoDate } from './fields.ts';
import { BALANCE_SHEET_SIDES, type BalanceSheetSide, INSTRUMENTS, type Instrument } from './instruments.ts';
import {
  applyBasisPoints,
  type Cents,
  formatDollars,
  parseDollars,
  sumCents,
  totalCents,
  ZERO,
} from './money.ts';

const dollars = z.string().regex(/^\d+(\.\d{1,2})?$/, 'must be a dollar amount like 1500000000000.00');
const source = z.string().min(3, 'every figure needs a source or the words "illustrative setting"');

export const CAP_SCOPES = ['programme', 'sub_area', 'company'] as const;
export type CapScope = (typeof CAP_SCOPES)[number];

const capSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'cap ids are lower-case words joined by hyphens'),
  label: z.string().min(1),
  scope: z.enum(CAP_SCOPES),
  instruments: z.array(z.enum(INSTRUMENTS)).min(1),
  limit: dollars,
  source,
});

const countingRuleSchema = z.object({
  side: z.enum(BALANCE_SHEET_SIDES),
  countingBps: z.number().int().min(0).max(10_000),
  basis: z.string().min(3),
});

const methodologySchema = z.object({
  version: z.number().int().positive(),
  effectiveFrom: isoDate,
  note: z.string().min(1),
  instruments: z.record(z.enum(INSTRUMENTS), countingRuleSchema),
});

// ── Investment committee rules (committee workstream, issue 13) ──────────────────────────────────────────
/** Votes needed before the committee may approve or decline, when the programme file does not say. */
export const DEFAULT_COMMITTEE_QUORUM = 3;
const committeeRulesSchema = z.object({
  /** Members who must have voted (for, against or abstain) before an approval or a decline is recorded. */
  quorum: z.number().int().min(1).max(50).default(DEFAULT_COMMITTEE_QUORUM),
  /** Whether a member who declared a conflict (and so cannot vote) still counts toward the quorum. */
  conflictedCountTowardQuorum: z.boolean().default(false),
  source: source.optional(),
});
export type CommitteeRules = Pick<
  z.infer<typeof committeeRulesSchema>,
  'quorum' | 'conflictedCountTowardQuorum'
>;
const DEFAULT_COMMITTEE_RULES: CommitteeRules = {
  quorum: DEFAULT_COMMITTEE_QUORUM,
  conflictedCountTowardQuorum: false,
};
// ── end of the investment committee rules ───────────────────────────────────────────────────────────────

const planYears = z.array(z.object({ year: z.number().int(), amount: dollars })).min(1);

export const programmeFileSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  source,
  currency: z.literal('USD'),
  horizon: z.object({ start: isoDate, end: isoDate }),
  targets: z.object({ total: dollars, baseline: dollars, incremental: dollars, source }),
  plan: z.object({
    source,
    years: z.array(z.object({ year: z.number().int(), amount: dollars })).min(1),
    /** Optional plan per core area (area id → years); per year the areas may not add up to more than the plan. */
    byArea: z.record(z.string().regex(/^[a-z0-9-]+$/), planYears).optional(),
    /** Optional plan per instrument, under the same rule. */
    byInstrument: z.partialRecord(z.enum(INSTRUMENTS), planYears).optional(),
  }),
  caps: z.array(capSchema),
  methodology: methodologySchema,
  /** Investment committee rules; without them the quorum is DEFAULT_COMMITTEE_QUORUM and conflicted members do not count. */
  committee: committeeRulesSchema.optional(),
  /**
   * What the public side (research analysts, the external council) may see: no figure that fewer than
   * `minimumCellSize` distinct deals add up to (small-cell suppression, see disclosure.ts). Default 3.
   */
  disclosure: z
    .object({ minimumCellSize: z.number().int().min(1).max(1000).default(DEFAULT_MINIMUM_CELL_SIZE) })
    .default({ minimumCellSize: DEFAULT_MINIMUM_CELL_SIZE }),
});
export type ProgrammeFile = z.infer<typeof programmeFileSchema>;

/** Segment (area or instrument) → its plan by year, years ascending. */
export type SegmentPlans = ReadonlyMap<string, ReadonlyArray<{ year: number; amount: Cents }>>;

export interface CountingRule {
  side: BalanceSheetSide;
  countingBps: number;
  basis: string;
}

export interface Cap {
  id: string;
  label: string;
  scope: CapScope;
  instruments: ReadonlySet<Instrument>;
  limit: Cents;
  source: string;
}

export interface Programme {
  id: string;
  name: string;
  source: string;
  horizon: { start: string; end: string };
  targets: { total: Cents; baseline: Cents; incremental: Cents };
  plan: ReadonlyArray<{ year: number; amount: Cents }>;
  /** Plan per core area, when the programme file gives one. */
  areaPlans: SegmentPlans;
  /** Plan per instrument, when the programme file gives one. */
  instrumentPlans: SegmentPlans;
  caps: readonly Cap[];
  committee: CommitteeRules;
  methodology: {
    version: number;
    effectiveFrom: string;
    note: string;
    rules: Readonly<Record<Instrument, CountingRule>>;
  };
  /** Small-cell suppression for the public side. */
  disclosure: DisclosurePolicy;
}

/** Validates a parsed programme file and checks that its figures are consistent. */
export function parseProgramme(input: unknown): Programme {
  const parsed = programmeFileSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KeelError(
      'invalid_programme',
      `programme file: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    );
  }
  const file = parsed.data;
  const fail = (message: string) => {
    throw new KeelError('invalid_programme', `programme file: ${message}`);
  };

  // zod's record over the instrument enum is exhaustive: a missing counting rule fails above, with its path.
  if (file.horizon.end <= file.horizon.start) fail('horizon.end must come after horizon.start');

  const targets = {
    total: parseDollars(file.targets.total),
    baseline: parseDollars(file.targets.baseline),
    incremental: parseDollars(file.targets.incremental),
  };
  if (targets.baseline + targets.incremental !== targets.total) {
    fail(
      `targets.baseline (${formatDollars(targets.baseline)}) + targets.incremental (${formatDollars(targets.incremental)}) must equal targets.total (${formatDollars(targets.total)})`,
    );
  }

  const plan = file.plan.years.map((row) => ({ year: row.year, amount: parseDollars(row.amount) }));
  const years = plan.map((row) => row.year);
  if (new Set(years).size !== years.length) fail('plan.years lists a year twice');
  const startYear = Number(file.horizon.start.slice(0, 4));
  const endYear = Number(file.horizon.end.slice(0, 4));
  const outside = years.filter((year) => year < startYear || year > endYear);
  if (outside.length)
    fail(`plan.years ${outside.join(', ')} fall outside the horizon ${startYear}–${endYear}`);
  const planned = sumCents(plan.map((row) => row.amount));
  if (planned !== targets.total) {
    fail(
      `plan.years add up to ${formatDollars(planned)}, not the total target ${formatDollars(targets.total)}`,
    );
  }

  const segmentPlans = (field: 'byArea' | 'byInstrument'): SegmentPlans => {
    const plans = new Map(
      Object.entries(file.plan[field] ?? {}).map(([segment, rows]) => [
        segment,
        (rows ?? [])
          .map((row) => ({ year: row.year, amount: parseDollars(row.amount) }))
          .sort((a, b) => a.year - b.year),
      ]),
    );
    for (const [segment, rows] of plans) {
      const unknown = rows.find((row) => !years.includes(row.year));
      if (unknown) fail(`plan.${field}.${segment} has ${unknown.year}, which plan.years does not`);
    }
    for (const { year, amount } of plan) {
      const inYear = sumCents(
        [...plans.values()].flatMap((rows) => rows.filter((r) => r.year === year).map((r) => r.amount)),
      );
      if (inYear > amount) {
        fail(
          `plan.${field} for ${year} adds up to ${formatDollars(inYear)}, more than the year's plan ${formatDollars(amount)}`,
        );
      }
    }
    return plans;
  };

  const capIds = file.caps.map((cap) => cap.id);
  if (new Set(capIds).size !== capIds.length) fail('two caps share an id');

  return {
    id: file.id,
    name: file.name,
    source: file.source,
    horizon: file.horizon,
    targets,
    plan: plan.sort((a, b) => a.year - b.year),
    areaPlans: segmentPlans('byArea'),
    instrumentPlans: segmentPlans('byInstrument'),
    caps: file.caps.map((cap) => ({
      id: cap.id,
      label: cap.label,
      scope: cap.scope,
      instruments: new Set(cap.instruments),
      limit: parseDollars(cap.limit),
      source: cap.source,
    })),
    committee: file.committee
      ? {
          quorum: file.committee.quorum,
          conflictedCountTowardQuorum: file.committee.conflictedCountTowardQuorum,
        }
      : DEFAULT_COMMITTEE_RULES,
    methodology: {
      version: file.methodology.version,
      effectiveFrom: file.methodology.effectiveFrom,
      note: file.methodology.note,
      rules: file.methodology.instruments as Record<Instrument, CountingRule>,
    },
    disclosure: { minimumCellSize: file.disclosure.minimumCellSize },
  };
}

/** How much of a net commitment in an instrument counts toward the programme's target. */
export function countedAmount(programme: Programme, instrument: Instrument, netCommitted: bigint): Cents {
  return applyBasisPoints(netCommitted, programme.methodology.rules[instrument].countingBps);
}

export function sideOf(programme: Programme, instrument: Instrument): BalanceSheetSide {
  return programme.methodology.rules[instrument].side;
}

/**
 * The cap rows an instrument's commitment draws on, each with the key of the row that holds its usage:
 * a programme-wide cap has one row, a sub-area cap one row per sub-area, a company cap one per company.
 */
/** Code-unit order of strings, with no locale: every writer sorts keys alike, wherever it runs. */
export const compareCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Cap rows in key order (cap id, then scope key): the order writers lock them in, and reports list them. */
export const compareCapKeys = (
  a: { capId: string; scopeKey: string },
  b: { capId: string; scopeKey: string },
) => (a.capId === b.capId ? compareCodeUnits(a.scopeKey, b.scopeKey) : compareCodeUnits(a.capId, b.capId));

export function capKeysFor(
  programme: Programme,
  target: { instrument: Instrument; subAreaId: string; companyId: string },
): Array<{ capId: string; scopeKey: string; limit: Cents }> {
  return programme.caps
    .filter((cap) => cap.instruments.has(target.instrument))
    .map((cap) => ({
      capId: cap.id,
      scopeKey:
        cap.scope === 'programme' ? '*' : cap.scope === 'sub_area' ? target.subAreaId : target.companyId,
      limit: cap.limit,
    }));
}

/** Net commitments (commitments less cancellations) of one instrument, sub-area and company, from the ledger. */
export interface NetCommitment {
  instrument: Instrument;
  subAreaId: string;
  companyId: string;
  net: bigint;
}

export interface CapUsage {
  capId: string;
  scopeKey: string;
  limit: Cents;
  used: Cents;
}

/**
 * Every cap row's usage as the ledger says it is under this programme: what a newly loaded version starts
 * from, so a cap added or narrowed after money was committed counts that money. Rows in key order.
 */
export function capUsageFromLedger(programme: Programme, commitments: readonly NetCommitment[]): CapUsage[] {
  const rows = new Map<string, CapUsage>();
  for (const commitment of commitments) {
    for (const key of capKeysFor(programme, commitment)) {
      const id = `${key.capId}\u0000${key.scopeKey}`;
      const row = rows.get(id) ?? {
        capId: key.capId,
        scopeKey: key.scopeKey,
        limit: key.limit,
        used: ZERO,
      };
      row.used = totalCents(row.used + commitment.net);
      rows.set(id, row);
    }
  }
  return [...rows.values()].sort(compareCapKeys);
}

/** Refuses a programme version under which the ledger already breaks a cap, naming cap, scope, usage and limit. */
export function assertCapsHold(programme: Programme, usage: readonly CapUsage[]): void {
  const over = usage.filter((row) => row.used > row.limit);
  if (!over.length) return;
  const labels = new Map(programme.caps.map((cap) => [cap.id, cap]));
  const describe = (row: CapUsage) => {
    const cap = labels.get(row.capId)!;
    const scope = row.scopeKey === '*' ? 'programme-wide' : `${cap.scope} ${row.scopeKey}`;
    return `cap "${cap.label}" (${cap.id}, ${scope}): ${formatDollars(row.used)} already committed against a limit of ${formatDollars(row.limit)}`;
  };
  throw new KeelError(
    'cap_already_exceeded',
    `this programme version cannot be loaded: the ledger already exceeds ${over.length === 1 ? 'a cap' : `${over.length} caps`}: ${over.map(describe).join('; ')}`,
    {
      exceeded: over.map((row) => ({
        capId: row.capId,
        scope: labels.get(row.capId)!.scope,
        scopeKey: row.scopeKey,
        used: row.used.toString(),
        limit: row.limit.toString(),
      })),
    },
  );
}
