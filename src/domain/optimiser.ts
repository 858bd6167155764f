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
 * objective would reward tiny selections). Amounts are in $ millions for the solver's numerics; the model
 * is written in the CPLEX LP format that HiGHS (and scipy's HiGHS) read. Analytics, in floats.
 */

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
  name: string;
  group: string;
  label: string;
  sense: '<=' | '>=' | '=';
  /** Right-hand side in the solver's units ($M for amounts). */
  rhs: number;
}

export interface LpModel {
  text: string;
  rows: RowMeta[];
  candidates: readonly Candidate[];
  /** The same model as data (objective and row terms by variable name), for other solvers. */
  structured: {
    objective: Array<[number, string]>;
    rows: Array<{ terms: Array<[number, string]>; sense: RowMeta['sense']; rhs: number }>;
    binaries: string[];
  };
}

const M = 1e6;
const num = (value: number) => (Math.abs(value) < 1e-12 ? '0' : Number(value.toPrecision(15)).toString());

/**
 * Writes the model. `relax` makes every binary continuous (the LP relaxation, for shadow prices);
 * `omit` drops rows by group (to explain infeasibility).
 */
export function buildModel(
  candidates: readonly Candidate[],
  limits: Limits,
  options: { relax?: boolean; omit?: ReadonlySet<string> } = {},
): LpModel {
  const index = new Map(candidates.map((c, i) => [c.id, i]));
  const rows: RowMeta[] = [];
  const lines: string[] = [];
  const structuredRows: LpModel['structured']['rows'] = [];
  const add = (
    group: string,
    label: string,
    terms: Array<[number, string]>,
    sense: RowMeta['sense'],
    rhs: number,
  ) => {
    if (options.omit?.has(group)) return;
    const live = terms.filter(([coefficient]) => coefficient !== 0);
    if (!live.length) {
      if ((sense === '>=' && rhs > 0) || (sense === '=' && rhs !== 0)) live.push([0, 'x0']);
      else return;
    }
    const name = `r${rows.length}`;
    rows.push({ name, group, label, sense, rhs });
    structuredRows.push({ terms: live, sense, rhs });
    const body = live
      .map(([c, v], k) => `${k === 0 ? (c < 0 ? '-' : '') : c < 0 ? ' - ' : ' + '}${num(Math.abs(c))} ${v}`)
      .join('');
    lines.push(` ${name}: ${body} ${sense} ${num(rhs)}`);
  };
  const sum = (pick: (c: Candidate) => boolean, weight: (c: Candidate) => number) =>
    candidates.flatMap((c, i) => (pick(c) ? [[weight(c), `x${i}`] as [number, string]] : []));

  add(
    'budget',
    'annual budget (counted)',
    sum(
      () => true,
      (c) => c.counted / M,
    ),
    '<=',
    limits.budget / M,
  );
  add(
    'equity-cap',
    'equity + VC cap headroom',
    sum(
      (c) => c.equity,
      (c) => c.amount / M,
    ),
    '<=',
    limits.equityHeadroom / M,
  );
  for (const [key, value] of Object.entries(limits.subAreaMax ?? {}))
    add(
      `sub-area-max:${key}`,
      `sub-area ${key} maximum`,
      sum(
        (c) => c.subAreaId === key && c.equity,
        (c) => c.amount / M,
      ),
      '<=',
      value / M,
    );
  for (const [key, value] of Object.entries(limits.subAreaMin ?? {}))
    add(
      `sub-area-min:${key}`,
      `sub-area ${key} minimum`,
      sum(
        (c) => c.subAreaId === key,
        (c) => c.amount / M,
      ),
      '>=',
      value / M,
    );
  for (const [key, value] of Object.entries(limits.areaMax ?? {}))
    add(
      `area-max:${key}`,
      `area ${key} maximum`,
      sum(
        (c) => c.areaId === key,
        (c) => c.amount / M,
      ),
      '<=',
      value / M,
    );
  for (const [key, value] of Object.entries(limits.areaMin ?? {}))
    add(
      `area-min:${key}`,
      `area ${key} minimum`,
      sum(
        (c) => c.areaId === key,
        (c) => c.amount / M,
      ),
      '>=',
      value / M,
    );
  for (const [key, value] of Object.entries(limits.companyMax ?? {}))
    add(
      `company:${key}`,
      `company ${key} concentration`,
      sum(
        (c) => c.companyId === key && c.equity,
        (c) => c.amount / M,
      ),
      '<=',
      value / M,
    );
  for (const [key, value] of Object.entries(limits.stateMin ?? {}))
    add(
      `state:${key}`,
      `state ${key} target`,
      sum(
        (c) => c.stateFips === key,
        (c) => c.amount / M,
      ),
      '>=',
      value / M,
    );
  // A divisible deal needs its own on/off binary only where a logical constraint refers to it; an
  // all-or-nothing deal's share is itself binary. So most candidates are one variable and no extra row.
  const logical = new Set([...(limits.exclusive ?? []), ...(limits.requires ?? [])].flat());
  const needsSwitch = (c: Candidate) => c.divisible && logical.has(c.id);
  const on = (i: number) => (needsSwitch(candidates[i]!) ? `y${i}` : `x${i}`);
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
  for (const [i, c] of candidates.entries()) {
    if (needsSwitch(c))
      add(
        `link:${c.id}`,
        `${c.id} share`,
        [
          [1, `x${i}`],
          [-1, `y${i}`],
        ],
        '<=',
        0,
      );
  }

  const objective =
    candidates.map((c, i) => `${i === 0 ? '' : ' + '}${num(c.resilience)} x${i}`).join('') || '0 x0';
  const binaries = candidates.flatMap((c, i) => (needsSwitch(c) ? [`y${i}`] : c.divisible ? [] : [`x${i}`]));
  const bounds = candidates.flatMap((c, i) => [
    ` 0 <= x${i} <= 1`,
    ...(needsSwitch(c) ? [` 0 <= y${i} <= 1`] : []),
  ]);
  const general = options.relax || !binaries.length ? [] : ['Binary', ...binaries.map((b) => ` ${b}`)];
  const text = [
    'Maximize',
    ` obj: ${objective}`,
    'Subject To',
    ...(lines.length ? lines : [' r_empty: 0 x0 >= 0']),
    'Bounds',
    ...(candidates.length ? bounds : [' 0 <= x0 <= 0']),
    ...general,
    'End',
    '',
  ].join('\n');
  const structured = {
    objective: candidates.map((c, i) => [c.resilience, `x${i}`] as [number, string]),
    rows: structuredRows,
    binaries: options.relax ? [] : binaries,
  };
  return { text, rows, candidates, structured };
}

export interface SolvedRow {
  Primal: number;
  Dual?: number;
}

export interface Binding {
  label: string;
  group: string;
  /** Resilience gained per extra $1M of the constraint's right-hand side (LP relaxation dual). */
  shadowPrice: number;
}

/** Constraints at their bound in the LP relaxation, with their shadow prices. */
export function bindingConstraints(model: LpModel, rows: readonly SolvedRow[]): Binding[] {
  return model.rows.flatMap((meta, k) => {
    const row = rows[k];
    if (!row || meta.group.startsWith('link:')) return [];
    const tight = Math.abs(row.Primal - meta.rhs) <= 1e-7 * Math.max(1, Math.abs(meta.rhs));
    const dual = row.Dual ?? 0;
    return tight && Math.abs(dual) > 1e-9
      ? [{ label: meta.label, group: meta.group, shadowPrice: Math.abs(dual) }]
      : [];
  });
}
