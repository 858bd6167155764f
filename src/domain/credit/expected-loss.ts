/**
 * Exposure at default and expected loss of one facility.
 *
 *   EAD = drawn + CCF × undrawn        (the credit conversion factor: the share of the undrawn commitment
 *                                        expected to be drawn by the time of default)
 *   EL  = PD × LGD × EAD
 *
 * EAD is money: exact cents, CCF × undrawn rounded half up once. EL is an estimate: PD × LGD × EAD is
 * computed in double precision (relative error below 2^−51, so under a hundredth of a cent for any EAD up to
 * $200 billion) and rounded half up to the cent, so ELs add up exactly across facilities, obligors and
 * sub-areas.
 */
import { KeelError } from '../errors.ts';
import { type Cents, cents } from '../money.ts';
import { divideRoundHalfUp, type Rate } from './rate.ts';

export interface FacilityExposure {
  drawn: bigint;
  undrawn: bigint;
  /** Credit conversion factor as an exact decimal ratio, 0 ≤ CCF ≤ 1. */
  ccf: Rate;
}

export function exposureAtDefault({ drawn, undrawn, ccf }: FacilityExposure): Cents {
  if (drawn < 0n || undrawn < 0n) {
    throw new KeelError('invalid_amount', 'drawn and undrawn amounts must not be negative');
  }
  if (ccf.numerator > ccf.denominator) throw new KeelError('invalid_ccf', 'a CCF must be from 0 to 1');
  return cents(drawn + divideRoundHalfUp(undrawn * ccf.numerator, ccf.denominator));
}

/** Above this, a double no longer holds every cent exactly. */
const EXACT_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

export function expectedLoss(ead: bigint, pd: number, lgd: number): Cents {
  if (!(pd >= 0 && pd <= 1)) throw new KeelError('invalid_pd', 'PD must be from 0 to 1');
  if (!(lgd >= 0 && lgd <= 1)) throw new KeelError('invalid_lgd', 'LGD must be from 0 to 1');
  if (ead < 0n || ead > EXACT_CENTS) {
    throw new KeelError('invalid_amount', 'EAD must be from 0 to 2^53 cents (about $90 trillion)');
  }
  const value = Number(ead) * pd * lgd;
  // Half up: Math.round rounds halves toward +∞, which for non-negative values is half up.
  return cents(BigInt(Math.round(value)));
}
