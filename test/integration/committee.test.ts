import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser } from '../../src/app/auth.ts';
import {
  addToAgenda,
  castVote,
  declareConflict,
  listAgenda,
  recordDecision,
  updateCondition,
} from '../../src/app/committee.ts';
import { moveDealStage } from '../../src/app/deals.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { decisionInputSchema, type Vote } from '../../src/domain/committee.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import type { Principal } from '../../src/domain/roles.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { seedDeals } from './fixtures.ts';

const member = (id: string): Principal => ({ id, role: 'investment_committee' });
const [a, b, c, d] = ['ic-a', 'ic-b', 'ic-c', 'ic-d'].map(member) as [
  Principal,
  Principal,
  Principal,
  Principal,
];
const pm: Principal = { id: 'pm', role: 'portfolio_manager' };
const decision = (dealId: string, decisionName: string, more: object = {}) =>
  decisionInputSchema.parse({ dealId, decision: decisionName, decidedOn: '2026-11-15', ...more });

describeOnBackends('investment committee', (backend) => {
  let keel: TestKeel;
  let n = 0;
  const key = (tag: string) => `${tag}-${n++}`;
  const vote = (who: Principal, dealId: string, v: Vote) =>
    castVote(keel, who, key('vote'), { dealId, vote: v });
  const votes = async (dealId: string, ballot: Array<[Principal, Vote]>) => {
    for (const [who, v] of ballot) await vote(who, dealId, v);
  };
  const record = (who: Principal, dealId: string, name: string, more: object = {}) =>
    recordDecision(keel, who, key('decide'), decision(dealId, name, more));
  const move = (dealId: string, to: 'approved' | 'declined' | 'diligence' | 'committee' | 'closed') =>
    moveDealStage(keel, pm, { key: key('move'), dealId, to });
  /** A deal brought in at diligence, then put before the committee by the portfolio manager. */
  const beforeCommittee = async (prefix: string) => {
    const [id] = (await seedDeals(keel, { prefix, count: 1, stage: 'diligence' })) as [string];
    await move(id, 'committee');
    return id;
  };
  const stageOf = async (dealId: string) =>
    (
      await keel.database.db
        .selectFrom('deals')
        .select('stage')
        .where('id', '=', dealId)
        .executeTakeFirstOrThrow()
    ).stage;

  beforeAll(async () => {
    keel = await freshKeel(backend);
    for (const p of [a, b, c, d, pm])
      await addUser(keel, testAdmin, {
        id: p.id,
        email: `${p.id}@example.org`,
        name: p.id,
        role: p.role,
        password: 'correct horse battery staple',
      });
  });
  afterAll(() => keel.close());

  it('no deal leaves the committee by hand; the decision moves it, and a deferral keeps it there', async () => {
    const deal = await beforeCommittee('ic-move');
    await expect(move(deal, 'approved')).rejects.toThrow(/only by the committee's recorded decision/);
    await expect(move(deal, 'declined')).rejects.toThrow(/only by the committee's recorded decision/);
    await record(a, deal, 'defer');
    expect(await stageOf(deal)).toBe('committee');
    await votes(deal, [
      [a, 'for'],
      [b, 'for'],
      [c, 'against'],
    ]);
    const approved = await record(d, deal, 'approve');
    expect(approved.result).toMatchObject({ decision: 'approve', stage: 'approved' });
    expect(approved.result.tally).toEqual({ for: 2, against: 1, abstain: 0, present: 3 });
    expect(await stageOf(deal)).toBe('approved');
  });

  it('a decline moves the deal to declined', async () => {
    const deal = await beforeCommittee('ic-decline');
    await votes(deal, [
      [a, 'against'],
      [b, 'against'],
      [c, 'abstain'],
    ]);
    await expect(record(d, deal, 'approve')).rejects.toThrow(/more votes for \(0\) than against \(2\)/);
    await record(d, deal, 'decline');
    expect(await stageOf(deal)).toBe('declined');
  });

  it('one vote each, by members only; conflicted members cannot vote; quorum from the programme (default 3)', async () => {
    const deal = await beforeCommittee('ic-rules');
    await vote(a, deal, 'for');
    await expect(vote(a, deal, 'for')).rejects.toMatchObject({ code: 'already_voted' });
    await expect(castVote(keel, pm, 'ic-pm-vote', { dealId: deal, vote: 'for' })).rejects.toThrow(
      /does not allow committee.vote/,
    );
    await declareConflict(keel, b, key('conflict'), { dealId: deal, note: 'board seat at the company' });
    await declareConflict(keel, c, key('conflict'), { dealId: deal, note: 'spouse works for the lender' });
    await expect(vote(b, deal, 'for')).rejects.toThrow(
      /ic-b declared a conflict of interest and cannot vote/,
    );
    await expect(vote(c, deal, 'for')).rejects.toMatchObject({ code: 'conflict_of_interest' });
    await vote(d, deal, 'for');
    await expect(record(d, deal, 'approve')).rejects.toMatchObject({
      code: 'quorum_not_met',
      details: { quorum: 3, present: 2 },
    });
    // A vote cast before its member declares a conflict is not counted.
    await declareConflict(keel, d, key('conflict'), { dealId: deal, note: 'advised the company last year' });
    await expect(record(a, deal, 'approve')).rejects.toMatchObject({ details: { present: 1 } });
    await expect(recordDecision(keel, pm, 'ic-pm-decide', decision(deal, 'approve'))).rejects.toThrow(
      /does not allow committee.decide/,
    );
    expect(await stageOf(deal)).toBe('committee');
  });

  it('four eyes: whoever put the deal on the agenda can neither vote on it nor record its decision', async () => {
    const deal = await beforeCommittee('ic-four-eyes');
    await addToAgenda(keel, a, key('agenda'), {
      dealIds: [deal],
      meetingOn: asIsoDate('2027-01-20'),
      source: 'manual',
    });
    await expect(vote(a, deal, 'for')).rejects.toMatchObject({ code: 'separation_of_duties' });
    await votes(deal, [
      [b, 'for'],
      [c, 'for'],
      [d, 'for'],
    ]);
    await expect(record(a, deal, 'approve')).rejects.toThrow(
      /ic-a put deal .* before the committee and cannot record/,
    );
    await expect(record(testAdmin, deal, 'approve')).resolves.toMatchObject({
      result: { stage: 'approved' },
    });
    const agenda = await listAgenda(keel, testAdmin);
    // Decided: the item has left the agenda.
    expect(agenda.find((i) => i.dealId === deal)).toBeUndefined();
  });

  it('an approval belongs to its committee cycle: votes and decisions of an earlier cycle do not carry over', async () => {
    const deal = await beforeCommittee('ic-cycle');
    await votes(deal, [
      [a, 'for'],
      [b, 'for'],
    ]);
    await move(deal, 'diligence');
    await move(deal, 'committee');
    // The two votes were cast in the previous cycle: the new one starts empty.
    await vote(c, deal, 'for');
    await expect(record(d, deal, 'approve')).rejects.toMatchObject({ details: { present: 1 } });
    await votes(deal, [
      [a, 'for'],
      [b, 'against'],
    ]);
    await record(d, deal, 'approve');
    await expect(
      recordLedgerEntry(keel, testAdmin, {
        clientKey: key('commit'),
        dealId: deal,
        kind: 'commitment',
        amount: cents(1_000_00n),
        effectiveOn: asIsoDate('2026-12-20'),
      }),
    ).resolves.toMatchObject({ result: { recorded: 1 } });
  });

  it('tracks conditions of approval to closing', async () => {
    const deal = await beforeCommittee('ic-cond');
    await votes(deal, [
      [a, 'for'],
      [b, 'for'],
      [c, 'for'],
    ]);
    await expect(record(d, deal, 'approve_with_conditions')).rejects.toThrow(/needs at least one condition/);
    const recorded = await record(d, deal, 'approve_with_conditions', {
      conditions: ['NEPA record of decision', 'offtake agreement signed'],
    });
    await expect(move(deal, 'closed')).rejects.toThrow(
      /cannot close while 2 committee condition\(s\) are open: "NEPA record of decision", "offtake agreement signed"/,
    );
    await updateCondition(keel, d, key('cond'), { decisionId: recorded.result.id, index: 0, status: 'met' });
    await expect(move(deal, 'closed')).rejects.toThrow(
      /1 committee condition\(s\) are open: "offtake agreement signed"/,
    );
    await updateCondition(keel, d, key('cond'), {
      decisionId: recorded.result.id,
      index: 1,
      status: 'waived',
    });
    await expect(move(deal, 'closed')).resolves.toMatchObject({ result: { to: 'closed' } });
    await expect(
      updateCondition(keel, d, key('cond'), { decisionId: recorded.result.id, index: 9, status: 'met' }),
    ).rejects.toThrow(/has no condition 9 \(it has 2\)/);
  });

  it('takes the optimiser selection onto a meeting agenda, once', async () => {
    const [x, y] = await seedDeals(keel, { prefix: 'ic-agenda', count: 2, stage: 'committee' });
    await addToAgenda(keel, testAdmin, 'ag-1', {
      dealIds: [y!, x!],
      meetingOn: asIsoDate('2027-02-20'),
      source: 'optimiser',
    });
    await addToAgenda(keel, testAdmin, 'ag-2', {
      dealIds: [y!],
      meetingOn: asIsoDate('2027-02-20'),
      source: 'manual',
    });
    const agenda = (await listAgenda(keel, testAdmin)).filter((i) => i.meetingOn === '2027-02-20');
    expect(agenda.map((i) => [i.dealId, i.source])).toEqual([
      [x, 'optimiser'],
      [y, 'optimiser'],
    ]);
    expect(agenda[0]!.ballot).toEqual({
      votes: [],
      conflicts: [],
      requesters: ['test-admin'],
      requesterNames: ['test-admin'],
    });
  });
});
