/**
 * The Basel II IRB risk-weight function for corporate exposures (Basel Committee on Banking Supervision,
 * "International Convergence of Capital Measurement and Capital Standards", comprehensive version,
 * June 2006, paragraphs 272–273), the asymptotic single risk factor (ASRF) model:
 *
 *   R = 0.12 · (1 − e^(−50·PD)) / (1 − e^(−50)) + 0.24 · [1 − (1 − e^(−50·PD)) / (1 − e^(−50))]
 *       − 0.04 · (1 − (S − 5) / 45)        (the last term only for borrowers with sales S < €50m, ¶273;
 *                                            S below €5m counts as €5m)
 *   b = (0.11852 − 0.05478 · ln(PD))²      (maturity adjustment)
 *   K = [LGD · N((1 − R)^−½ · G(PD) + (R / (1 − R))^½ · G(0.999)) − PD · LGD]
 *       · (1 − 1.5 · b)^−1 · (1 + (M − 2.5) · b)
 *   risk weight = K · 12.5                 (RWA per unit of EAD: RWA = K × 12.5 × EAD)
 *
 * N is the standard normal distribution function and G its inverse. Inputs outside the function's domain
 * are refused rather than silently moved: the corporate PD floor of 0.03% (¶285) and the 1–5 year maturity
 * bounds (¶320) are the caller's to apply, and this module does not apply the 1.06 scaling factor of ¶44
 * either, so the figures are exactly ¶272's.
 */
import { KeelError } from '../errors.ts';
import { vasicekLossQuantile } from './portfolio-loss.ts';

export interface IrbInput {
  /** Probability of default, 0 < PD < 1. */
  pd: number;
  /** Loss given default, 0 ≤ LGD ≤ 1. */
  lgd: number;
  /** Effective maturity in years, M > 0 (¶320 bounds it to 1–5 years for most exposures). */
  maturity: number;
  /** Annual sales of the borrower's consolidated group in € millions, for the SME adjustment (¶273). */
  salesEurMillions?: number;
}

export interface IrbResult {
  correlation: number;
  maturityAdjustment: number;
  capitalK: number;
  riskWeight: number;
}

const CONFIDENCE = 0.999;

/** The asset correlation R of ¶272, with the SME firm-size adjustment of ¶273 when sales are below €50m. */
export function corporateCorrelation(pd: number, salesEurMillions?: number): number {
  const weight = -Math.expm1(-50 * pd) / -Math.expm1(-50);
  const base = 0.12 * weight + 0.24 * (1 - weight);
  if (salesEurMillions === undefined || salesEurMillions >= 50) return base;
  const s = Math.max(5, salesEurMillions);
  return base - 0.04 * (1 - (s - 5) / 45);
}

export function maturityAdjustment(pd: number): number {
  return (0.11852 - 0.05478 * Math.log(pd)) ** 2;
}

export function irbCorporate(input: IrbInput): IrbResult {
  const { pd, lgd, maturity, salesEurMillions } = input;
  if (!(pd > 0 && pd < 1))
    throw new KeelError('invalid_irb_input', 'PD must be greater than 0 and less than 1');
  if (!(lgd >= 0 && lgd <= 1)) throw new KeelError('invalid_irb_input', 'LGD must be from 0 to 1');
  if (!(maturity > 0 && Number.isFinite(maturity))) {
    throw new KeelError('invalid_irb_input', 'maturity must be a positive number of years');
  }
  if (salesEurMillions !== undefined && !(salesEurMillions >= 0 && Number.isFinite(salesEurMillions))) {
    throw new KeelError('invalid_irb_input', 'sales must be a non-negative amount in € millions');
  }
  const r = corporateCorrelation(pd, salesEurMillions);
  const b = maturityAdjustment(pd);
  // N((1 − R)^−½ · G(PD) + (R / (1 − R))^½ · G(0.999)): the 99.9% quantile of Vasicek's loss distribution.
  const conditionalPd = vasicekLossQuantile(CONFIDENCE, pd, r);
  const k = (lgd * conditionalPd - pd * lgd) * ((1 + (maturity - 2.5) * b) / (1 - 1.5 * b));
  return { correlation: r, maturityAdjustment: b, capitalK: k, riskWeight: k * 12.5 };
}
