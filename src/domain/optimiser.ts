/**
 * The allocation model: choose which candidate deals to do (and what share of the divisible ones) to
 * maximise the resilience gained within a budget:
 *   maximise   Σ rᵢ xᵢ                     rᵢ = expected resilience gain of deal i, xᵢ ∈ [0, 1] its share
 *   subject to Σ cᵢ xᵢ ≤ budget             cᵢ = amount counted by the methodology ($M)
 *              Σ_{equity} aᵢ xᵢ ≤ equity+VC cap headroom
 *              per sub-area, area and company: Σ aᵢ xᵢ within their minimum / maximum (cap headroom)
 *              per state: Σ aᵢ xᵢ ≥ target
 *              xᵢ ≤ yᵢ, yᵢ ∈ {0, 1};  xᵢ = yᵢ unless the instrument can be taken in part
 *              yᵢ + yⱼ ≤ 1 (mutually exclusive), yᵢ ≤ yⱼ (i needs j)
 * With a budget that binds, maximising total resilience is maximising resilience per dollar spent (a ratio
 * objective would reward tiny selections). Amounts are in $ millions for the solver's numerics. The model
 * is numeric arrays (rows in compressed sparse row form), handed to HiGHS as they are: no text to write
 * or parse. Analytics, in floats.
 */
import { invariant } from './errors.ts';

export interface Candidate {
  id: string;
  companyId: string;
  subAreaId: string;
  areaId: string;
  stateFips: string | null;
  /** Dollars. */
  amount: number;
  /** Dollars counted toward the programme target by the methodology. */
  counted: number;
  resilience: number;
  expectedReturn: number;
  equity: boolean;
  divisible: boolean;
}

export interface Limits {
  budget: number;
  equityHeadroom: number;
  subAreaMax?: Record<string, number>;
  subAreaMin?: Record<string, number>;
  areaMax?: Record<string, number>;
  areaMin?: Record<string, number>;
  /** Equity per company: the remaining headroom of the per-company cap. */
  companyMax?: Record<string, number>;
  stateMin?: Record<string, number>;
  exclusive?: Array<[string, string]>;
  requires?: Array<[string, string]>;
}

export interface RowMeta {
  group: string;
  label: string;
  sense: '<=' | '>=' | '=';
  /** Right-hand side in the solver's units ($M for amounts). */
  rhs: number;
}

/**
 * The model as HiGHS takes it. Columns 0…n−1 are the candidates' shares xᵢ (in candidate order); the
 * on/off switches yᵢ of divisible deals that a logical constraint names follow them.
 */
export interface AllocationModel {
  candidates: readonly Candidate[];
  rows: readonly RowMeta[];
  columns: readonly string[];
  /** Objective coefficients (maximised). */
  cost: Float64Array;
  /** 1 where the column is binary. */
  integer: Uint8Array;
  /** Row r's terms are matrix.index/value[starts[r] … starts[r+1]). */
  matrix: { starts: Int32Array; index: Int32Array; value: Float64Array };
  rowLower: Float64Array;
  rowUpper: Float64Array;
}

const M = 1e6;

/** Candidate indices per key, in candidate order: one pass instead of one scan per constraint row. */
function groupBy(candidates: readonly Candidate[], key: (c: Candidate) => string | null) {
  const groups = new Map<string, number[]>();
  for (const [i, c] of candidates.entries()) {
    const k = key(c);
    if (k === null) continue;
    const list = groups.get(k);
    if (list) list.push(i);
    else groups.set(k, [i]);
  }
  return (k: string): readonly number[] => groups.get(k) ?? [];
}

/** Rows in compressed sparse row form, added one at a time. */
function rowBuilder() {
  const rows: RowMeta[] = [];
  const starts = [0];
  const termIndex: number[] = [];
  const termValue: number[] = [];
  const add = (
    group: string,
    label: string,
    terms: Iterable<[number, number]>,
    sense: RowMeta['sense'],
    rhs: number,
  ) => {
    const mark = termIndex.length;
    for (const [coefficient, column] of terms)
      if (coefficient !== 0) {
        termValue.push(coefficient);
        termIndex.push(column);
      }
    // An empty row that holds anyway is left out; one that cannot hold stays, so HiGHS reports it.
    const empty = termIndex.length === mark;
    if (
      empty &&
      !((sense === '>=' && rhs > 0) || (sense === '<=' && rhs < 0) || (sense === '=' && rhs !== 0))
    )
      return;
    rows.push({ group, label, sense, rhs });
    starts.push(termIndex.length);
  };
  const matrix = () => ({
    starts: Int32Array.from(starts),
    index: Int32Array.from(termIndex),
    value: Float64Array.from(termValue),
  });
  return { rows, add, matrix };
}
type AddRow = ReturnType<typeof rowBuilder>['add'];

/**
 * The columns: the candidates' shares, then an on/off switch for each divisible deal a logical constraint
 * names. A divisible deal needs its own binary only there; an all-or-nothing deal's share is itself binary,
 * so most candidates are one column and no extra row.
 */
function switchColumns(candidates: readonly Candidate[], limits: Limits) {
  const logical = new Set([...(limits.exclusive ?? []), ...(limits.requires ?? [])].flat());
  const switchOf = new Int32Array(candidates.length).fill(-1);
  const columns = candidates.map((_, i) => `x${i}`);
  for (const [i, c] of candidates.entries())
    if (c.divisible && logical.has(c.id)) {
      switchOf[i] = columns.length;
      columns.push(`y${i}`);
    }
  /** The column that says whether candidate i is taken at all. */
  const on = (i: number) => (switchOf[i]! >= 0 ? switchOf[i]! : i);
  return { columns, switchOf, on };
}

/** The budget, the equity cap, and the minimum or maximum of each sub-area, area, company and state. */
function addLimitRows(add: AddRow, candidates: readonly Candidate[], limits: Limits) {
  const amounts = (members: readonly number[], pick: (c: Candidate) => boolean = () => true) =>
    members.flatMap((i) =>
      pick(candidates[i]!) ? [[candidates[i]!.amount / M, i] as [number, number]] : [],
    );
  const all = candidates.map((_, i) => i);
  const isEquity = (c: Candidate) => c.equity;
  const bySubArea = groupBy(candidates, (c) => c.subAreaId);
  const byArea = groupBy(candidates, (c) => c.areaId);
  const byCompany = groupBy(candidates, (c) => c.companyId);
  const byState = groupBy(candidates, (c) => c.stateFips);

  add(
    'budget',
    'annual budget (counted)',
    all.map((i) => [candidates[i]!.counted / M, i]),
    '<=',
    limits.budget / M,
  );
  add('equity-cap', 'equity + VC cap headroom', amounts(all, isEquity), '<=', limits.equityHeadroom / M);
  for (const [key, value] of Object.entries(limits.subAreaMax ?? {}))
    add(`sub-area-max:${key}`, `sub-area ${key} maximum`, amounts(bySubArea(key), isEquity), '<=', value / M);
  for (const [key, value] of Object.entries(limits.subAreaMin ?? {}))
    add(`sub-area-min:${key}`, `sub-area ${key} minimum`, amounts(bySubArea(key)), '>=', value / M);
  for (const [key, value] of Object.entries(limits.areaMax ?? {}))
    add(`area-max:${key}`, `area ${key} maximum`, amounts(byArea(key)), '<=', value / M);
  for (const [key, value] of Object.entries(limits.areaMin ?? {}))
    add(`area-min:${key}`, `area ${key} minimum`, amounts(byArea(key)), '>=', value / M);
  for (const [key, value] of Object.entries(limits.companyMax ?? {}))
    add(`company:${key}`, `company ${key} concentration`, amounts(byCompany(key), isEquity), '<=', value / M);
  for (const [key, value] of Object.entries(limits.stateMin ?? {}))
    add(`state:${key}`, `state ${key} target`, amounts(byState(key)), '>=', value / M);
}

/** Pairs that exclude or require each other, and each switched deal's share kept under its switch. */
function addLogicalRows(
  add: AddRow,
  candidates: readonly Candidate[],
  limits: Limits,
  { switchOf, on }: ReturnType<typeof switchColumns>,
) {
  const index = new Map(candidates.map((c, i) => [c.id, i]));
  for (const [a, b] of limits.exclusive ?? []) {
    const i = index.get(a);
    const j = index.get(b);
    if (i !== undefined && j !== undefined)
      add(
        `exclusive:${a}|${b}`,
        `${a} or ${b}, not both`,
        [
          [1, on(i)],
          [1, on(j)],
        ],
        '<=',
        1,
      );
  }
  for (const [a, b] of limits.requires ?? []) {
    const i = index.get(a);
    const j = index.get(b);
    if (i !== undefined && j !== undefined)
      add(
        `requires:${a}|${b}`,
        `${a} needs ${b}`,
        [
          [1, on(i)],
          [-1, on(j)],
        ],
        '<=',
        0,
      );
  }
  for (const [i, c] of candidates.entries())
    if (switchOf[i]! >= 0)
      add(
        `link:${c.id}`,
        `${c.id} share`,
        [
          [1, i],
          [-1, switchOf[i]!],
        ],
        '<=',
        0,
      );
}

export function buildModel(candidates: readonly Candidate[], limits: Limits): AllocationModel {
  const switches = switchColumns(candidates, limits);
  const { columns, switchOf } = switches;
  const { rows, add, matrix } = rowBuilder();
  addLimitRows(add, candidates, limits);
  addLogicalRows(add, candidates, limits, switches);

  const cost = new Float64Array(columns.length);
  const integer = new Uint8Array(columns.length);
  for (const [i, c] of candidates.entries()) {
    cost[i] = c.resilience;
    if (switchOf[i]! >= 0) integer[switchOf[i]!] = 1;
    else if (!c.divisible) integer[i] = 1;
  }
  return {
    candidates,
    rows,
    columns,
    cost,
    integer,
    matrix: matrix(),
    rowLower: Float64Array.from(rows, (r) => (r.sense === '<=' ? -Infinity : r.rhs)),
    rowUpper: Float64Array.from(rows, (r) => (r.sense === '>=' ? Infinity : r.rhs)),
  };
}

/** The LP relaxation (every binary continuous): its duals are the shadow prices. */
export const relaxed = (model: AllocationModel): AllocationModel => ({
  ...model,
  integer: new Uint8Array(model.columns.length),
});

/** The same model with another annual budget (a point of the efficient frontier). */
export function withBudget(model: AllocationModel, budget: number): AllocationModel {
  // No budget row means no candidate counts toward the budget: any budget ≥ 0 leaves the model as it is.
  const row = model.rows.findIndex((r) => r.group === 'budget');
  invariant(row >= 0 || budget >= 0, 'a negative budget needs a budget row');
  if (row < 0) return model;
  const rowUpper = model.rowUpper.slice();
  rowUpper[row] = budget / M;
  return { ...model, rowUpper };
}

/** The same model with the rows of some groups left free (to explain infeasibility). */
export function withoutGroups(model: AllocationModel, groups: ReadonlySet<string>): AllocationModel {
  const rowLower = model.rowLower.slice();
  const rowUpper = model.rowUpper.slice();
  for (const [r, meta] of model.rows.entries())
    if (groups.has(meta.group)) {
      rowLower[r] = -Infinity;
      rowUpper[r] = Infinity;
    }
  return { ...model, rowLower, rowUpper };
}

export interface Binding {
  label: string;
  group: string;
  /** Resilience gained per extra $1M of the constraint's right-hand side (LP relaxation dual). */
  shadowPrice: number;
}

/** Constraints at their bound in the LP relaxation, with their shadow prices. */
export function bindingConstraints(
  model: AllocationModel,
  activity: ArrayLike<number>,
  duals: ArrayLike<number>,
): Binding[] {
  return model.rows.flatMap((meta, k) => {
    const value = activity[k];
    if (value === undefined || meta.group.startsWith('link:')) return [];
    const tight = Math.abs(value - meta.rhs) <= 1e-7 * Math.max(1, Math.abs(meta.rhs));
    const dual = duals[k] ?? 0;
    return tight && Math.abs(dual) > 1e-9
      ? [{ label: meta.label, group: meta.group, shadowPrice: Math.abs(dual) }]
      : [];
  });
}
