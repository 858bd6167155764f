import { describe, expect, it } from 'vitest';
import {
  applyEntry,
  capDelta,
  type DealBalances,
  type DealForLedger,
  EMPTY_BALANCES,
} from '../../src/domain/ledger.ts';
import type { Cents } from '../../src/domain/money.ts';

const deal: DealForLedger = { id: 'd1', stage: 'closed', instrument: 'term_loan' };
const c = (n: number) => BigInt(n) as Cents;
const run = (entries: Array<[Parameters<typeof applyEntry>[2]['kind'], number]>, d = deal): DealBalances =>
  entries.reduce((b, [kind, amount]) => applyEntry(d, b, { kind, amount: c(amount) }), EMPTY_BALANCES);

describe('ledger rules', () => {
  it('derives balances from entries', () => {
    const b = run([
      ['commitment', 1000],
      ['draw', 600],
      ['repayment', 100],
      ['cancellation', 400],
    ]);
    expect(b).toMatchObject({ committed: 1000n, cancelled: 400n, drawn: 600n, repaid: 100n });
  });

  it('refuses to draw more than is committed and undrawn', () => {
    expect(() =>
      run([
        ['commitment', 100],
        ['draw', 101],
      ]),
    ).toThrow(/cannot draw \$1.01: only \$1.00 is committed and undrawn/);
  });

  it('refuses to cancel what was already drawn', () => {
    expect(() =>
      run([
        ['commitment', 100],
        ['draw', 60],
        ['cancellation', 41],
      ]),
    ).toThrow(/cannot cancel/);
  });

  it('refuses to repay more than is outstanding', () => {
    expect(() =>
      run([
        ['commitment', 100],
        ['draw', 60],
        ['repayment', 61],
      ]),
    ).toThrow(/cannot repay/);
  });

  it('refuses money movements before approval, and zero amounts', () => {
    expect(() => run([['commitment', 100]], { ...deal, stage: 'diligence' as never })).toThrow(
      /needs the deal to be approved/,
    );
    expect(() => run([['commitment', 0]])).toThrow(/greater than zero/);
  });

  it('accepts valuation marks only on equity positions', () => {
    expect(() => run([['valuation', 10]])).toThrow(/valuation marks apply to equity positions/);
    const equity: DealForLedger = { ...deal, instrument: 'direct_equity' };
    expect(
      run(
        [
          ['commitment', 100],
          ['draw', 100],
          ['valuation', 150],
        ],
        equity,
      ).lastMark,
    ).toBe(150n);
  });

  it('moves caps only for commitments and cancellations', () => {
    expect(capDelta({ kind: 'commitment', amount: c(5) })).toBe(5n);
    expect(capDelta({ kind: 'cancellation', amount: c(5) })).toBe(-5n);
    expect(capDelta({ kind: 'draw', amount: c(5) })).toBe(0n);
  });
});
