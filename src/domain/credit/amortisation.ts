/**
 * Principal repayment schedules in exact integer cents.
 *
 * Rounding rule (one for all kinds): every amount that is not a whole number of cents is rounded half up
 * (half a cent away from zero) or, for the shares of straight-line and custom schedules, down to the cent;
 * whatever the rounding leaves over — the residue — is paid in the LAST period, so the principal column
 * always adds up to the principal exactly and never goes negative.
 *
 * - bullet: nothing until the last period, which repays everything.
 * - straight line: ⌊P / n⌋ per period, the residue in the last.
 * - annuity: a level payment A = P·r / (1 − (1 + r)^−n), computed exactly in rationals and rounded half up
 *   to the cent; each period's interest is the balance × r rounded half up; principal = A − interest, never
 *   more than the balance still owed; the last period repays the whole remaining balance (so its payment
 *   differs from A by the accumulated rounding).
 * - custom: the principal split by whole-number weights, each share ⌊P · wᵢ / Σw⌋, the residue in the last.
 */
import { KeelError } from '../errors.ts';
import { divideRoundHalfUp, isZeroRate, periodInterest, type Rate, ZERO_RATE } from './rate.ts';

export type Amortisation =
  | { kind: 'bullet' }
  | { kind: 'straight_line' }
  | { kind: 'annuity' }
  | { kind: 'custom'; weights: readonly bigint[] };

export interface SchedulePeriod {
  /** 1-based. */
  period: number;
  opening: bigint;
  interest: bigint;
  principal: bigint;
  payment: bigint;
  closing: bigint;
}

export interface ScheduleInput {
  principal: bigint;
  periods: number;
  /** Interest rate per period (annual rate × period length, e.g. 0.005 for 6% a year paid monthly). */
  ratePerPeriod?: Rate;
  amortisation: Amortisation;
  /**
   * Interest of period `index` (0-based) on `balance`, when it is not balance × ratePerPeriod: a dated
   * schedule accrues by its day count. The annuity's level payment still comes from ratePerPeriod.
   */
  interestFor?: (index: number, balance: bigint) => bigint;
}

/** Maximum number of periods: 100 years of monthly payments. */
export const MAX_PERIODS = 1200;

export function amortisationSchedule(input: ScheduleInput): SchedulePeriod[] {
  const { principal, periods, amortisation } = input;
  const rate = input.ratePerPeriod ?? ZERO_RATE;
  if (principal < 0n) throw new KeelError('invalid_amount', 'the principal must not be negative');
  if (!Number.isInteger(periods) || periods < 1 || periods > MAX_PERIODS) {
    throw new KeelError(
      'invalid_schedule',
      `the number of periods must be a whole number from 1 to ${MAX_PERIODS}`,
    );
  }
  const principalDue = principalPlan(principal, periods, amortisation, rate);
  const rows: SchedulePeriod[] = [];
  let balance = principal;
  for (let i = 0; i < periods; i++) {
    const interest = input.interestFor ? input.interestFor(i, balance) : periodInterest(balance, rate);
    const due = principalDue(i, balance, interest);
    const repaid = i === periods - 1 ? balance : clampBetween(due, 0n, balance);
    rows.push({
      period: i + 1,
      opening: balance,
      interest,
      principal: repaid,
      payment: repaid + interest,
      closing: balance - repaid,
    });
    balance -= repaid;
  }
  return rows;
}

/** bigint has no Math.min/max. */
function clampBetween(value: bigint, low: bigint, high: bigint): bigint {
  if (value < low) return low;
  return value > high ? high : value;
}

/** The principal each period would repay before the last-period residue and the balance cap. */
function principalPlan(
  principal: bigint,
  periods: number,
  amortisation: Amortisation,
  rate: Rate,
): (index: number, balance: bigint, interest: bigint) => bigint {
  switch (amortisation.kind) {
    case 'bullet':
      return () => 0n;
    case 'straight_line': {
      const share = principal / BigInt(periods);
      return () => share;
    }
    case 'annuity': {
      if (isZeroRate(rate)) {
        const share = principal / BigInt(periods);
        return () => share;
      }
      const payment = annuityPayment(principal, periods, rate);
      return (_i, _balance, interest) => payment - interest;
    }
    case 'custom': {
      const { weights } = amortisation;
      if (weights.length !== periods) {
        throw new KeelError('invalid_schedule', `a custom schedule needs one weight per period (${periods})`);
      }
      if (weights.some((w) => w < 0n))
        throw new KeelError('invalid_schedule', 'weights must not be negative');
      const total = weights.reduce((a, b) => a + b, 0n);
      if (total === 0n) throw new KeelError('invalid_schedule', 'at least one weight must be positive');
      return (i) => (principal * weights[i]!) / total;
    }
  }
}

/**
 * The level annuity payment in cents, exact before one rounding: with r = a/b,
 * A = P·r·(1+r)^n / ((1+r)^n − 1) = P·a·(a+b)^n / (b·((a+b)^n − b^n)), rounded half up.
 */
export function annuityPayment(principal: bigint, periods: number, rate: Rate): bigint {
  const { numerator: a, denominator: b } = rate;
  if (a === 0n) return divideRoundHalfUp(principal, BigInt(periods));
  const n = BigInt(periods);
  const grown = (a + b) ** n;
  return divideRoundHalfUp(principal * a * grown, b * (grown - b ** n));
}
