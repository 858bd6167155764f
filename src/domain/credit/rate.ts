/**
 * Interest rates as exact decimal ratios (`0.0525` is 525 / 10 000), so interest in cents is computed with
 * integers and rounded once, by a stated rule, instead of drifting through floats.
 */
import { KeelError } from '../errors.ts';
import type { DayCountFraction } from './day-count.ts';

export interface Rate {
  numerator: bigint;
  denominator: bigint;
}

const DECIMAL = /^(\d+)(?:\.(\d{1,12}))?$/;

/** Parses a non-negative decimal rate per period or per year, e.g. `0.02` or `0.0525` (not a percentage). */
export function parseRate(text: string): Rate {
  const match = DECIMAL.exec(text.trim());
  if (!match) {
    throw new KeelError('invalid_rate', `"${text}" is not a decimal rate like 0.0525 (5.25%)`);
  }
  const [, whole = '0', fraction = ''] = match;
  return {
    numerator: BigInt(whole + fraction),
    denominator: 10n ** BigInt(fraction.length),
  };
}

export const ZERO_RATE: Rate = { numerator: 0n, denominator: 1n };

export function isZeroRate(rate: Rate): boolean {
  return rate.numerator === 0n;
}

/**
 * `numerator / denominator` rounded to the nearest integer, halves away from zero (so 0.5 cent → 1 cent
 * and −0.5 → −1). The one rounding rule of the credit book.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new Error('invariant violated: denominator must be positive');
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const rounded = (2n * abs + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
}

/** Interest in cents on `balance` for one period at `rate` per period, rounded half up to the cent. */
export function periodInterest(balance: bigint, rate: Rate): bigint {
  return divideRoundHalfUp(balance * rate.numerator, rate.denominator);
}

/**
 * Interest in cents on `balance` at an annual `rate` for a period measured by a day count fraction:
 * balance × rate × days / basis, rounded half up to the cent once.
 */
export function accruedInterest(balance: bigint, annualRate: Rate, period: DayCountFraction): bigint {
  return divideRoundHalfUp(
    balance * annualRate.numerator * BigInt(period.days),
    annualRate.denominator * BigInt(period.basis),
  );
}
