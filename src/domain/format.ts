/**
 * How Keel writes numbers for people: the web app, the reports and the CLI all print through this module, so
 * an amount, a share or a rate reads the same everywhere. Exact figures stay available (the web puts them in
 * a title on hover; exports and the ledger keep cents).
 */
import type { BookXirr } from './book-metrics.ts';
import { formatDollars } from './money.ts';
import { STAGES } from './stages.ts';
import { US_STATES } from './us-states.ts';

export { formatDollars };

/** Amounts arrive as bigint cents, or as the API's strings of cents. */
export type CentsLike = bigint | string;

const UNITS: ReadonlyArray<[bigint, string]> = [
  [100_000_000_000_000n, 'T'],
  [100_000_000_000n, 'B'],
  [100_000_000n, 'M'],
  [100_000n, 'K'],
];

/** The exact amount, to the cent: `$229,950,710,000.00`. */
export const exactAmount = (value: CentsLike) => formatDollars(BigInt(value));

/**
 * Short form for tables, tiles and charts, truncated (never rounded up) to two decimals: `$229.95B`,
 * `$75.00M`. Truncation means a headline never shows more than the ledger holds. Below $1,000 the exact form.
 */
export function compactAmount(value: CentsLike): string {
  const v = BigInt(value);
  const negative = v < 0n;
  const abs = negative ? -v : v;
  for (const [unit, suffix] of UNITS) {
    if (abs >= unit) {
      const hundredths = (abs * 100n) / unit;
      return `${negative ? '-' : ''}$${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}${suffix}`;
    }
  }
  return formatDollars(v);
}

/** Float dollars from analytics (projections, the optimiser) in the compact form; ∞ for no limit. */
export const compactDollars = (dollars: number) =>
  Number.isFinite(dollars) ? compactAmount(BigInt(Math.round(dollars * 100))) : '∞';

/**
 * A fraction as a percentage with the precision a reader needs: two decimals below 10 % (0.35 %), one below
 * 100 % (42.5 %), none above (1,250 %); a tiny non-zero share says so rather than printing 0.00 %.
 */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  const pct = fraction * 100;
  const abs = Math.abs(pct);
  if (abs === 0 || abs < 5e-5) return '0%';
  if (abs < 0.01) return `${pct < 0 ? '>-' : '<'}0.01%`;
  const digits = abs < 10 ? 2 : abs < 100 ? 1 : 0;
  return `${pct.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}%`;
}

/** `part` of `whole`, exact in bigint until the last step; a dash when the whole is zero. */
export function formatShare(part: CentsLike, whole: CentsLike): string {
  const w = BigInt(whole);
  if (w === 0n) return '–';
  // Millionths keep two decimals of a percentage exact before the float division.
  return formatPercent(Number((BigInt(part) * 1_000_000n) / w) / 1_000_000);
}

/** A multiple (DPI, TVPI, MOIC): `1.35×`. */
export const formatMultiple = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : `${x.toFixed(2)}×`;

/** A plain count with thousands separators. */
export const formatCount = (n: number | bigint) => n.toLocaleString('en-US');

/** A count with its noun, singular for one: "1 entry", "1,859 entries". */
export const countOf = (n: number | bigint, noun: readonly [one: string, many: string]) =>
  `${formatCount(n)} ${n === 1 || n === 1n ? noun[0] : noun[1]}`;

/**
 * XIRR as reported: a rate; "n.m." (not meaningful) with the reason when the position was held under a year,
 * because GIPS and ILPA reporting do not annualise returns for periods under one year; a dash with the reason
 * where no rate exists. `reason` is what the web shows on hover and the CLI prints beside it.
 */
export function formatXirr(x: BookXirr): { text: string; reason: string | null } {
  switch (x.status) {
    case 'ok':
      return { text: formatPercent(x.rate), reason: null };
    case 'multiple':
      return {
        text: `${formatPercent(x.rate)}*`,
        reason: `several rates solve these cash flows (${x.roots.map(formatPercent).join(', ')}); the one nearest 10% is shown`,
      };
    case 'not_meaningful':
      return { text: 'n.m.', reason: x.reason };
    default:
      return { text: '–', reason: x.reason };
  }
}

/** One unit for a chart's money axis, chosen from its largest value (in dollars). */
export interface MoneyScale {
  /** Dollars per unit: 1e9 for "$B". */
  divisor: number;
  /** Axis name and legend unit: "$B", "$M", "$K" or "$". */
  unit: string;
  /** An axis tick: the value in the unit, without the unit (the axis name carries it). */
  tick: (dollars: number) => string;
  /** A value with its unit, for tooltips and labels: "$229.95B". */
  value: (dollars: number | null | undefined) => string;
}

export function moneyScale(maxDollars: number): MoneyScale {
  const max = Math.abs(maxDollars);
  const [divisor, suffix] =
    max >= 1e12
      ? [1e12, 'T']
      : max >= 1e9
        ? [1e9, 'B']
        : max >= 1e6
          ? [1e6, 'M']
          : max >= 1e3
            ? [1e3, 'K']
            : [1, ''];
  const number = (dollars: number, digits: number) =>
    (dollars / divisor).toLocaleString('en-US', { maximumFractionDigits: digits });
  return {
    divisor,
    unit: `$${suffix}`,
    tick: (dollars) => number(dollars, 1),
    value: (dollars) =>
      dollars === null || dollars === undefined || !Number.isFinite(dollars)
        ? '–'
        : `$${number(dollars, 2)}${suffix}`,
  };
}

/** A scale for values given as cents (strings or bigints), or dollars: the largest decides. */
export const moneyScaleForCents = (values: Iterable<CentsLike | null>) => {
  let max = 0;
  for (const v of values) if (v !== null) max = Math.max(max, Math.abs(Number(BigInt(v)) / 100));
  return moneyScale(max);
};

/** Words of identifiers that are written otherwise in a sentence: abbreviations. */
const WRITTEN: ReadonlyMap<string, string> = new Map([
  ['ma', 'M&A'],
  ['nrc', 'NRC'],
  ['nepa', 'NEPA'],
  ['vc', 'VC'],
  ['us', 'US'],
  ['sso', 'SSO'],
  ['api', 'API'],
]);
/** Identifiers whose readable form is not just their words. */
const READABLE: ReadonlyMap<string, string> = new Map([
  ['risk_compliance', 'risk & compliance'],
  ['clean_water_404', 'Clean Water Act §404'],
]);

/**
 * An identifier made readable: `written_off` → "written off", `critical-minerals` → "critical minerals",
 * `ma_advisory` → "M&A advisory", `risk_compliance` → "risk & compliance".
 */
export const label = (id: string) =>
  READABLE.get(id) ??
  id
    .split(/[_-]/)
    .map((word) => WRITTEN.get(word) ?? word)
    .join(' ');

/**
 * Who acted, as a person reads it: the user's name when known, the operator of the command line for `cli:…`
 * (`cli:root` → "command line (root)"), else the id as recorded.
 */
export const actorName = (id: string, name?: string | undefined) =>
  name ?? (id.startsWith('cli:') ? `command line (${id.slice(4)})` : id);

/** Stages in funnel order (the order of `STAGES`), whatever order a query returned them in. */
export const stageRank = (stage: string) => {
  const i = (STAGES as readonly string[]).indexOf(stage);
  return i < 0 ? STAGES.length : i;
};
export const byStage =
  <T>(pick: (row: T) => string) =>
  (a: T, b: T) =>
    stageRank(pick(a)) - stageRank(pick(b));
export const stageLabel = (stage: string) => label(stage);

/** A state's name from its two-digit FIPS code; the code itself when unknown. */
export const stateName = (fips: string | null | undefined) =>
  fips ? (US_STATES[fips] ?? `FIPS ${fips}`) : '—';

/** Where a company has its headquarters: "Fort Worth, Texas", either part alone, or null when neither is known. */
export const headquarters = (city: string | null | undefined, fips: string | null | undefined) =>
  [city, fips ? stateName(fips) : null].filter(Boolean).join(', ') || null;

/**
 * What a deal is called: its own name, or, for a deal opened before deals had names, its company and
 * instrument ("Perpetua Resources, term loan").
 */
export const dealTitle = (deal: { name?: string | null; company: string; instrument: string }) =>
  deal.name ?? `${deal.company}, ${label(deal.instrument)}`;

/**
 * A moment as every screen prints it, in UTC and saying so: `2026-11-30 15:45 UTC` (with `seconds`,
 * `2026-11-30 15:45:54 UTC`). Takes ISO text or PostgreSQL's (`2026-11-30 15:45:54.07+00`), which screens
 * printed as it came (found by the fresh-eyes attack).
 */
export function formatMoment(text: string, options: { seconds?: boolean } = {}): string {
  const iso = text
    .trim()
    .replace(' ', 'T')
    .replace(/([+-]\d\d)$/, '$1:00');
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return text;
  return `${at
    .toISOString()
    .slice(0, options.seconds ? 19 : 16)
    .replace('T', ' ')} UTC`;
}
