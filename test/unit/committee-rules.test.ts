import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PROGRAMME } from '../../src/app/data-files.ts';
import { assertDecisionIsSound, type Ballot, decisionInputSchema } from '../../src/domain/committee.ts';
import {
  assertCapsHold,
  capUsageFromLedger,
  DEFAULT_COMMITTEE_QUORUM,
  parseProgramme,
} from '../../src/domain/programme.ts';
import { assertOpeningStage } from '../../src/domain/stages.ts';

const reference = () => JSON.parse(readFileSync(REFERENCE_PROGRAMME, 'utf8'));
const decision = (name: string) =>
  decisionInputSchema.parse({ dealId: 'd', decision: name, decidedOn: '2026-12-15' });
const ballot = (more: Partial<Ballot> = {}): Ballot => ({
  dealId: 'd',
  votes: [
    { member: 'a', vote: 'for' },
    { member: 'b', vote: 'for' },
    { member: 'c', vote: 'against' },
  ],
  conflicts: [],
  requesters: new Set(['pm']),
  ...more,
});

describe('committee rules', () => {
  it('reads quorum and conflict rules from the programme file, with a documented default', () => {
    expect(parseProgramme(reference()).committee).toEqual({
      quorum: DEFAULT_COMMITTEE_QUORUM,
      conflictedCountTowardQuorum: false,
    });
    const file = reference();
    file.committee = { quorum: 5, conflictedCountTowardQuorum: true };
    expect(parseProgramme(file).committee).toEqual({ quorum: 5, conflictedCountTowardQuorum: true });
    file.committee = { quorum: 0 };
    expect(() => parseProgramme(file)).toThrow(/committee.quorum/);
  });

  it('counts conflicted members toward the quorum only when the programme says so', () => {
    const withConflicts = ballot({
      votes: [
        { member: 'a', vote: 'for' },
        { member: 'b', vote: 'for' },
      ],
      conflicts: [{ member: 'c', note: 'board seat' }],
    });
    const rules = { quorum: 3, conflictedCountTowardQuorum: false };
    expect(() => assertDecisionIsSound(decision('approve'), withConflicts, rules, 'chair')).toThrow(
      /quorum is 3 and 2 member\(s\) have voted/,
    );
    expect(
      assertDecisionIsSound(
        decision('approve'),
        withConflicts,
        { ...rules, conflictedCountTowardQuorum: true },
        'chair',
      ),
    ).toEqual({ for: 2, against: 0, abstain: 0, present: 3 });
    expect(assertDecisionIsSound(decision('defer'), ballot({ votes: [] }), rules, 'chair').present).toBe(0);
  });

  it('refuses the requester as recorder, and a decline that more members voted for', () => {
    const rules = { quorum: 3, conflictedCountTowardQuorum: false };
    expect(() => assertDecisionIsSound(decision('approve'), ballot(), rules, 'pm')).toThrow(/four eyes/);
    expect(() => assertDecisionIsSound(decision('decline'), ballot(), rules, 'chair')).toThrow(
      /a decline cannot stand on more votes for \(2\) than against \(1\)/,
    );
  });

  it('refuses a chair who declared a conflict on the question as its recorder', () => {
    const rules = { quorum: 3, conflictedCountTowardQuorum: false };
    const conflictedChair = ballot({ conflicts: [{ member: 'chair', note: 'director of the borrower' }] });
    expect(() => assertDecisionIsSound(decision('defer'), conflictedChair, rules, 'chair')).toThrow(
      /you declared a conflict of interest on .*: another chair records its decision/,
    );
  });

  it('opens deals at sourced; a later stage only as an admin historical import with a reference', () => {
    expect(() => assertOpeningStage({ role: 'banker' }, { id: 'x', stage: 'sourced' })).not.toThrow();
    expect(() => assertOpeningStage({ role: 'admin' }, { id: 'x', stage: 'approved' })).toThrow(
      /cannot open at approved/,
    );
    expect(() =>
      assertOpeningStage(
        { role: 'banker' },
        { id: 'x', stage: 'approved', historicalDecisionRef: 'IC 2025-09' },
      ),
    ).toThrow(/only an admin/);
    expect(() =>
      assertOpeningStage(
        { role: 'admin' },
        { id: 'x', stage: 'monitoring', historicalDecisionRef: 'IC 2025-09' },
      ),
    ).not.toThrow();
  });
});

describe('cap usage from the ledger', () => {
  it('folds net commitments into every cap row, and refuses caps the ledger already exceeds', () => {
    const programme = parseProgramme(reference());
    const usage = capUsageFromLedger(programme, [
      { instrument: 'direct_equity', subAreaId: 'critical-minerals', companyId: 'p', net: 600_000_000_00n },
      { instrument: 'venture_capital', subAreaId: 'robotics', companyId: 'q', net: 10_00n },
      { instrument: 'term_loan', subAreaId: 'robotics', companyId: 'q', net: 99n },
    ]);
    expect(usage.map((u) => [u.capId, u.scopeKey, u.used])).toEqual([
      ['equity-vc', '*', 600_000_010_00n],
      ['equity-vc-per-company', 'p', 600_000_000_00n],
      ['equity-vc-per-company', 'q', 10_00n],
      ['equity-vc-per-sub-area', 'critical-minerals', 600_000_000_00n],
      ['equity-vc-per-sub-area', 'robotics', 10_00n],
    ]);
    expect(() => assertCapsHold(programme, usage)).toThrow(
      'cap "Equity and VC per company" (equity-vc-per-company, company p): $600,000,000.00 already committed against a limit of $500,000,000.00',
    );
  });
});
