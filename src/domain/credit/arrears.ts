/**
 * Arrears of a facility as of a date: the scheduled principal fallen due against the repayments the ledger
 * holds, exact in cents.
 *
 * - Principal only: the ledger books repayments as one kind of entry, not split into principal and interest,
 *   so every repayment counts against principal; interest arrears need interest receipts, still to come.
 * - Repayments are applied to the oldest instalment first, so the days past due run from the due date of the
 *   oldest instalment not yet covered in full (0 when nothing is overdue).
 * - The schedule is the one projected from the terms (the commitment drawn on the start date).
 */
import { type Cents, cents } from '../money.ts';
import { actualDays, parseCalendarDate } from './day-count.ts';

export interface Instalment {
  /** The payment date of the period. */
  endsOn: string;
  principal: bigint;
}

export interface Repayment {
  effectiveOn: string;
  amount: bigint;
}

export interface Arrears {
  asOf: string;
  /** Scheduled principal past due: due dates before `asOf` (an instalment is on time on its due date). */
  scheduledDue: Cents;
  /** Repayments effective on or before `asOf`. */
  repaid: Cents;
  /** What is overdue: scheduled due less repaid, never below zero (prepayment is not a negative arrear). */
  arrears: Cents;
  daysPastDue: number;
  /** Due date of the oldest instalment not covered in full, when one is overdue. */
  oldestUnpaidDueOn: string | null;
}

export function arrearsAsOf(
  instalments: readonly Instalment[],
  repayments: readonly Repayment[],
  asOf: string,
): Arrears {
  const day = parseCalendarDate(asOf);
  const due = [...instalments].filter((i) => i.endsOn < asOf).sort((a, b) => (a.endsOn < b.endsOn ? -1 : 1));
  const scheduledDue = due.reduce((sum, i) => sum + i.principal, 0n);
  const repaid = repayments.filter((r) => r.effectiveOn <= asOf).reduce((sum, r) => sum + r.amount, 0n);
  let covered = repaid;
  let oldest: string | null = null;
  for (const instalment of due) {
    if (covered >= instalment.principal) {
      covered -= instalment.principal;
      continue;
    }
    oldest = instalment.endsOn;
    break;
  }
  const arrears = scheduledDue > repaid ? scheduledDue - repaid : 0n;
  return {
    asOf,
    scheduledDue: cents(scheduledDue),
    repaid: cents(repaid),
    arrears: cents(arrears),
    daysPastDue: oldest === null ? 0 : actualDays(parseCalendarDate(oldest), day),
    oldestUnpaidDueOn: oldest,
  };
}
