/**
 * Seeded generator of synthetic companies, deals and ledger entries for tests and benchmarks. Everything it
 * makes is labelled synthetic (ids start with `syn-`, `synthetic: true`, source "synthetic (seed N)"): it
 * is never presented as a fact.
 */
import type { CompanyInput } from './company.ts';
import type { DealInput } from './deal.ts';
import { asIsoDate } from './fields.ts';
import type { Instrument } from './instruments.ts';
import { cents, toDecimalString } from './money.ts';

/** mulberry32: small, fast, good enough to spread synthetic data; same seed, same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOAN_INSTRUMENTS: Instrument[] = [
  'term_loan',
  'revolving_credit',
  'project_finance',
  'syndicated_loan',
  'bond_underwriting',
];

export interface SyntheticBook {
  companies: CompanyInput[];
  deals: DealInput[];
}

export function syntheticBook(
  seed: number,
  size: { companies: number; deals: number },
  subAreaIds: readonly string[],
): SyntheticBook {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const source = `synthetic (seed ${seed})`;
  const companies: CompanyInput[] = Array.from({ length: size.companies }, (_, i) => ({
    id: `syn-co-${seed}-${i}`,
    name: `Synthetic Company ${i}`,
    usBased: random() < 0.9,
    existingClient: random() < 0.5,
    foreignControl: false,
    source,
    synthetic: true,
    facilities: [],
  }));
  const deals: DealInput[] = Array.from({ length: size.deals }, (_, i) => ({
    id: `syn-deal-${seed}-${i}`,
    companyId: companies[i % companies.length]!.id,
    subAreaId: pick(subAreaIds),
    // Loans mostly: synthetic books exercise the ledger, not the equity cap.
    instrument: pick(LOAN_INSTRUMENTS),
    amount: cents((BigInt(Math.floor(random() * 500_000_000)) + 1_000_000n) * 100n),
    // A synthetic book is already decided: brought in (by an admin) as a historical import.
    stage: 'monitoring',
    historicalDecisionRef: `${source}: decided outside Keel`,
    classification: random() < 0.67 ? 'baseline' : 'incremental',
    openedOn: asIsoDate('2026-01-15'),
    team: [],
    source,
    synthetic: true,
  }));
  return { companies, deals };
}

/** Ledger rows as CSV text: each deal gets a commitment, then draws and repayments that respect the rules. */
export function syntheticLedgerCsv(seed: number, deals: readonly DealInput[], rows: number): string {
  const random = seededRandom(seed ^ 0x5eed);
  const lines = ['key,deal_id,kind,amount_usd,effective_on,note'];
  const state = deals.map(() => ({ undrawn: 0n, outstanding: 0n }));
  for (let i = 0; i < rows; i++) {
    const d = i % deals.length;
    const deal = deals[d]!;
    const s = state[d]!;
    const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
    const date = `${2026 + Math.floor(random() * 9)}-${month}-15`;
    let kind: 'commitment' | 'draw' | 'repayment';
    let amount: bigint;
    if (s.undrawn === 0n && s.outstanding === 0n) {
      kind = 'commitment';
      amount = BigInt(1 + Math.floor(random() * 1_000_000)) * 100n;
      s.undrawn += amount;
    } else if (s.undrawn > 0n && (s.outstanding === 0n || random() < 0.5)) {
      kind = 'draw';
      amount = s.undrawn;
      s.undrawn = 0n;
      s.outstanding += amount;
    } else {
      kind = 'repayment';
      amount = s.outstanding;
      s.outstanding = 0n;
    }
    lines.push(`syn-${seed}-${i},${deal.id},${kind},${toDecimalString(amount)},${date},synthetic`);
  }
  return `${lines.join('\n')}\n`;
}
