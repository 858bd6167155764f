/**
 * Arrears of a facility as of a date: the scheduled principal and interest fallen due against what the
 * ledger holds as paid, exact in cents.
 *
 * - Principal is paid by the ledger's repayments (they reduce what is outstanding). Interest and fees are
 *   paid by the deal's distributions: for a loan, a distribution is cash received that repays no principal.
 * - Each is applied to its oldest instalment first, so the days past due run from the due date of the oldest
 *   instalment, of principal or of interest, not yet covered in full (0 when nothing is overdue).
 * - The schedule is the one projected from the terms (the commitment drawn on the start date, floating
 *   periods priced on their fixings): actual draws that differ from it make its interest differ too.
 */
import { type Cents, cents } from '../money.ts';
import { actualDays, parseCalendarDate } from './day-count.ts';

export interface Instalment {
  /** The payment date of the period. */
  endsOn: string;
  principal: bigint;
  interest: bigint;
}

export interface Payment {
  effectiveOn: string;
  amount: bigint;
}

export interface Arrears {
  asOf: string;
  /** Scheduled principal past due: due dates before `asOf` (an instalment is on time on its due date). */
  scheduledDue: Cents;
  /** Repayments effective on or before `asOf`. */
  repaid: Cents;
  /** Principal overdue: scheduled due less repaid, never below zero (prepayment is not a negative arrear). */
  arrears: Cents;
  /** Scheduled interest past due, the interest received (distributions) and what is overdue of it. */
  interestDue: Cents;
  interestReceived: Cents;
  interestArrears: Cents;
  daysPastDue: number;
  /** Due date of the oldest instalment (principal or interest) not covered in full, when one is overdue. */
  oldestUnpaidDueOn: string | null;
}

/** What fell due, what was paid by `asOf`, and the due date of the oldest part not covered. */
function settle(
  due: readonly { endsOn: string; amount: bigint }[],
  payments: readonly Payment[],
  asOf: string,
) {
  const scheduled = due.reduce((sum, d) => sum + d.amount, 0n);
  const paid = payments.filter((p) => p.effectiveOn <= asOf).reduce((sum, p) => sum + p.amount, 0n);
  let covered = paid;
  let oldest: string | null = null;
  for (const instalment of due) {
    if (covered >= instalment.amount) {
      covered -= instalment.amount;
      continue;
    }
    oldest = instalment.endsOn;
    break;
  }
  return { scheduled, paid, overdue: scheduled > paid ? scheduled - paid : 0n, oldest };
}

export function arrearsAsOf(
  instalments: readonly Instalment[],
  payments: { repayments: readonly Payment[]; interest: readonly Payment[] },
  asOf: string,
): Arrears {
  const due = [...instalments].filter((i) => i.endsOn < asOf).sort((a, b) => (a.endsOn < b.endsOn ? -1 : 1));
  const principal = settle(
    due.map((i) => ({ endsOn: i.endsOn, amount: i.principal })),
    payments.repayments,
    asOf,
  );
  const interest = settle(
    due.map((i) => ({ endsOn: i.endsOn, amount: i.interest })),
    payments.interest,
    asOf,
  );
  const oldest = [principal.oldest, interest.oldest]
    .filter((d): d is string => d !== null)
    .sort()
    .at(0);
  return {
    asOf,
    scheduledDue: cents(principal.scheduled),
    repaid: cents(principal.paid),
    arrears: cents(principal.overdue),
    interestDue: cents(interest.scheduled),
    interestReceived: cents(interest.paid),
    interestArrears: cents(interest.overdue),
    daysPastDue: oldest === undefined ? 0 : actualDays(parseCalendarDate(oldest), parseCalendarDate(asOf)),
    oldestUnpaidDueOn: oldest ?? null,
  };
}
