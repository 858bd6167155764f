/**
 * Money is an integer count of US cents held in a `bigint`. Nothing in the ledger path ever goes through a
 * JavaScript number, so sums of any size stay exact. Analytics that need floats convert explicitly with
 * `centsToFloatDollars` and say so.
 */
import { KeelError } from './errors.ts';

declare const centsBrand: unique symbol;
export type Cents = bigint & { readonly [centsBrand]: 'USD cents' };

/** Largest amount one ledger entry may carry: $1 quadrillion. Far above any real deal, far below int8. */
export const MAX_ENTRY_CENTS = 100_000_000_000_000_000n as Cents;
/** PostgreSQL int8 bound: sums must stay inside it. */
export const INT8_MAX = 9_223_372_036_854_775_807n;

export const ZERO = 0n as Cents;

export function cents(value: bigint): Cents {
  if (value > INT8_MAX || value < -INT8_MAX) {
    throw new KeelError('invalid_amount', `amount ${value} cents is outside the 64-bit range`);
  }
  return value as Cents;
}

const DOLLARS = /^(-)?\$?((?:\d{1,3}(?:,\d{3})+)|\d+)(?:\.(\d{1,2}))?$/;

/**
 * Parses a dollar amount written by a person or a file: `1234`, `1234.5`, `1,234.56`, `$75,000,000.00`.
 * Refuses anything that would need rounding (`1.005`), exponents (`1e9`), blanks and stray characters,
 * because silently rounding money on the way in is how ledgers drift.
 */
export function parseDollars(text: string): Cents {
  const trimmed = text.trim();
  const match = DOLLARS.exec(trimmed);
  if (!match) {
    const why = /^-?\$?[\d,]*\.\d{3,}$/.test(trimmed)
      ? 'has more than 2 decimal places (amounts are exact to the cent and never rounded)'
      : 'is not a dollar amount like 1234.56';
    throw new KeelError('invalid_amount', `"${text}" ${why}`);
  }
  const [, minus, whole = '0', fraction = ''] = match;
  const value = BigInt(whole.replaceAll(',', '')) * 100n + BigInt(fraction.padEnd(2, '0'));
  return cents(minus ? -value : value);
}

/** Parses a positive amount for a ledger entry, within the per-entry bound. */
export function parsePositiveDollars(text: string): Cents {
  const value = parseDollars(text);
  assertPositiveAmount(value);
  return value;
}

export function assertPositiveAmount(value: bigint): asserts value is Cents {
  if (value <= 0n) throw new KeelError('invalid_amount', 'amount must be greater than zero');
  if (value > MAX_ENTRY_CENTS) {
    throw new KeelError(
      'invalid_amount',
      `amount exceeds the per-entry maximum of ${formatDollars(MAX_ENTRY_CENTS)}`,
    );
  }
}

/** Exact text form with thousands separators: `$1,234,567.89`, `-$0.05`. */
export function formatDollars(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}$${whole}.${fraction}`;
}

/** Plain machine form for files: `1234567.89`, parseable by `parseDollars`. */
export function toDecimalString(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/**
 * `amount × bps / 10 000`, rounded toward zero. Used by the counting methodology, whose factors are whole
 * basis points, so the counted amount is exact and never more than the share it stands for.
 */
export function applyBasisPoints(amount: bigint, bps: number): Cents {
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) {
    throw new KeelError(
      'invalid_factor',
      `counting factor ${bps} bps must be a whole number from 0 to 10000`,
    );
  }
  return cents((amount * BigInt(bps)) / 10_000n);
}

/**
 * Brands a total computed in JavaScript from amounts that were each checked on entry (a sum over deals or the
 * ledger). A bigint cannot overflow, and a total is never stored in one int8 column, so it is not bounded:
 * however many maximum-size deals exist, a figure that adds them up still answers.
 */
export function totalCents(value: bigint): Cents {
  return value as Cents;
}

export function sumCents(values: Iterable<bigint>): Cents {
  let total = 0n;
  for (const value of values) total += value;
  return totalCents(total);
}

/** For analytics only (charts, ratios): loses exactness above 2^53 cents (~$90T). */
export function centsToFloatDollars(value: bigint): number {
  return Number(value) / 100;
}
