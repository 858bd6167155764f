/**
 * Ledger rules. The ledger is append-only; a deal's balances are derived from its entries, and every new
 * entry is checked against those balances before it is written. Amounts on entries are always positive:
 * the kind says which way the money moves.
 */
import { invariant, KeelError } from './errors.ts';
import { EQUITY_INSTRUMENTS, type Instrument } from './instruments.ts';
import { assertPositiveAmount, type Cents, cents, formatDollars, MAX_ENTRY_CENTS, ZERO } from './money.ts';
import { FUNDABLE_STAGES, type Stage } from './stages.ts';

export const ENTRY_KINDS = [
  'commitment',
  'cancellation',
  'draw',
  'repayment',
  'distribution',
  'valuation',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface DealBalances {
  committed: Cents;
  cancelled: Cents;
  drawn: Cents;
  repaid: Cents;
  distributed: Cents;
  /** Latest valuation mark, or null if the position was never marked. */
  lastMark: Cents | null;
}

export const EMPTY_BALANCES: DealBalances = Object.freeze({
  committed: ZERO,
  cancelled: ZERO,
  drawn: ZERO,
  repaid: ZERO,
  distributed: ZERO,
  lastMark: null,
});

export interface DealForLedger {
  id: string;
  stage: Stage;
  instrument: Instrument;
}

export interface NewEntry {
  kind: EntryKind;
  amount: Cents;
}

export const netCommitted = (b: DealBalances): Cents => cents(b.committed - b.cancelled);
export const undrawn = (b: DealBalances): Cents => cents(b.committed - b.cancelled - b.drawn);
export const outstanding = (b: DealBalances): Cents => cents(b.drawn - b.repaid);

/**
 * The amount an entry of this kind may carry: a valuation mark may be zero, every other entry moves money and
 * is positive; none exceeds the per-entry maximum. A form checks it before it asks for confirmation.
 */
export function assertEntryAmount(
  kind: EntryKind,
  amount: bigint,
  refuse: (message: string) => never = (message) => {
    throw new KeelError('ledger_rule', message, { kind });
  },
): void {
  if (kind === 'valuation') {
    if (amount < 0n) refuse('a valuation mark cannot be negative');
    if (amount > MAX_ENTRY_CENTS)
      refuse(`a valuation mark cannot exceed the per-entry maximum of ${formatDollars(MAX_ENTRY_CENTS)}`);
  } else {
    assertPositiveAmount(amount);
  }
}

/**
 * Checks one entry against the deal's balances and returns the balances after it. Pure, so a batch is
 * validated by folding its entries in order, and the same rules serve a single write and a 100k-row import.
 */
export function applyEntry(deal: DealForLedger, balances: DealBalances, entry: NewEntry): DealBalances {
  const refuse = (message: string) => {
    throw new KeelError('ledger_rule', `deal ${deal.id}: ${message}`, { dealId: deal.id, kind: entry.kind });
  };
  assertEntryAmount(entry.kind, entry.amount, refuse);
  if (!FUNDABLE_STAGES.has(deal.stage) && entry.kind !== 'valuation') {
    refuse(`${entry.kind} needs the deal to be approved, closed or in monitoring; it is ${deal.stage}`);
  }

  const next: DealBalances = { ...balances };
  switch (entry.kind) {
    case 'commitment':
      next.committed = cents(balances.committed + entry.amount);
      break;
    case 'cancellation':
      if (entry.amount > undrawn(balances)) {
        refuse(
          `cannot cancel ${formatDollars(entry.amount)}: only ${formatDollars(undrawn(balances))} is committed and undrawn`,
        );
      }
      next.cancelled = cents(balances.cancelled + entry.amount);
      break;
    case 'draw':
      if (entry.amount > undrawn(balances)) {
        refuse(
          `cannot draw ${formatDollars(entry.amount)}: only ${formatDollars(undrawn(balances))} is committed and undrawn`,
        );
      }
      next.drawn = cents(balances.drawn + entry.amount);
      break;
    case 'repayment':
      if (entry.amount > outstanding(balances)) {
        refuse(
          `cannot repay ${formatDollars(entry.amount)}: only ${formatDollars(outstanding(balances))} is drawn and outstanding`,
        );
      }
      next.repaid = cents(balances.repaid + entry.amount);
      break;
    case 'distribution':
      if (balances.drawn === 0n) refuse('a distribution needs capital to have been drawn first');
      next.distributed = cents(balances.distributed + entry.amount);
      break;
    case 'valuation':
      if (!EQUITY_INSTRUMENTS.has(deal.instrument))
        refuse(`valuation marks apply to equity positions, not ${deal.instrument}`);
      next.lastMark = entry.amount;
      break;
  }
  invariant(next.drawn <= next.committed - next.cancelled, 'drawn never exceeds net commitment');
  invariant(next.repaid <= next.drawn, 'repaid never exceeds drawn');
  return next;
}

/** How an entry moves the cap usage of its deal's instrument: commitments use headroom, cancellations free it. */
export function capDelta(entry: NewEntry): bigint {
  if (entry.kind === 'commitment') return entry.amount;
  if (entry.kind === 'cancellation') return -entry.amount;
  return 0n;
}

/** Folds the per-kind sums read from the database into balances. */
export function balancesFromSums(
  sums: Partial<Record<EntryKind, bigint>>,
  lastMark: bigint | null,
): DealBalances {
  return {
    committed: cents(sums.commitment ?? 0n),
    cancelled: cents(sums.cancellation ?? 0n),
    drawn: cents(sums.draw ?? 0n),
    repaid: cents(sums.repayment ?? 0n),
    distributed: cents(sums.distribution ?? 0n),
    lastMark: lastMark === null ? null : cents(lastMark),
  };
}
