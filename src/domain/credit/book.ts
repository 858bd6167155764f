/**
 * The credit book's figures per facility and their totals: EAD from the ledger's balances of the facility's
 * deal, PD from the obligor's current grade, LGD from seniority and collateral, EL = PD × LGD × EAD.
 *
 * - drawn = the deal's draws less repayments (the ledger's outstanding balance);
 * - undrawn = what the ledger still lets the borrower draw: the net commitment less all draws (a term loan's
 *   repaid principal cannot be drawn again), or less the outstanding balance for a revolving facility; zero
 *   after the availability period, when nothing more may be drawn, and never below zero. A facility whose
 *   deal has no commitment in the ledger yet has nothing undrawn: the ledger, not the term sheet, says what
 *   the programme is bound to;
 * - an obligor without a grade is "ungraded": its facilities carry EAD but no PD and no EL (never a made-up
 *   PD), and the totals show the ungraded EAD beside the EL so the gap is seen.
 */
import type { Instrument } from '../instruments.ts';
import { type DealBalances, undrawn as ledgerUndrawn, netCommitted, outstanding } from '../ledger.ts';
import { type Cents, cents } from '../money.ts';
import { expectedLoss, exposureAtDefault } from './expected-loss.ts';
import type { Seniority } from './facility-terms.ts';
import { ccfOf, foundationLgd, type GradeScale, pdOfGrade } from './grade-scale.ts';

export interface FacilityRiskInput {
  instrument: Instrument;
  balances: DealBalances;
  availabilityEndsOn: string;
  asOf: string;
  seniority: Seniority;
  /** Sum of the collateral values the terms state (0 when none has a value). */
  collateralValue: bigint;
  /** The obligor's current grade, or null when ungraded. */
  grade: number | null;
}

export interface FacilityRisk {
  drawn: Cents;
  undrawn: Cents;
  ead: Cents;
  grade: number | null;
  /** null: ungraded, or the grade's PD is not sourced. */
  pd: number | null;
  lgd: number;
  el: Cents | null;
}

const atLeastZero = (value: bigint) => cents(value > 0n ? value : 0n);

export function facilityRisk(scale: GradeScale, input: FacilityRiskInput): FacilityRisk {
  const drawn = atLeastZero(outstanding(input.balances));
  const available =
    input.instrument === 'revolving_credit'
      ? netCommitted(input.balances) - drawn
      : ledgerUndrawn(input.balances);
  const undrawn = input.asOf > input.availabilityEndsOn ? cents(0n) : atLeastZero(available);
  const ead = exposureAtDefault({ drawn, undrawn, ccf: ccfOf(scale) });
  const pd = input.grade === null ? null : pdOfGrade(scale, input.grade);
  const lgd = foundationLgd(scale, input.seniority, input.collateralValue, ead);
  return {
    drawn,
    undrawn,
    ead,
    grade: input.grade,
    pd,
    lgd,
    el: pd === null ? null : expectedLoss(ead, pd, lgd),
  };
}

export interface RiskTotal {
  key: string;
  name: string;
  facilities: number;
  ead: Cents;
  /** EL of the facilities that have one. */
  el: Cents;
  /** EAD of facilities without an EL (ungraded obligors, or grades without a sourced PD). */
  ungradedEad: Cents;
}

/** Sums EAD and EL by a key, largest EAD first. */
export function riskTotals<T extends { risk: FacilityRisk }>(
  rows: readonly T[],
  keyOf: (row: T) => string,
  nameOf: (row: T) => string,
): RiskTotal[] {
  const totals = new Map<string, RiskTotal>();
  for (const row of rows) {
    const key = keyOf(row);
    const total = totals.get(key) ?? {
      key,
      name: nameOf(row),
      facilities: 0,
      ead: cents(0n),
      el: cents(0n),
      ungradedEad: cents(0n),
    };
    total.facilities += 1;
    total.ead = cents(total.ead + row.risk.ead);
    if (row.risk.el === null) total.ungradedEad = cents(total.ungradedEad + row.risk.ead);
    else total.el = cents(total.el + row.risk.el);
    totals.set(key, total);
  }
  return [...totals.values()].sort((a, b) =>
    a.ead === b.ead ? (a.key < b.key ? -1 : 1) : a.ead > b.ead ? -1 : 1,
  );
}
