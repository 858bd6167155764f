import { afterAll, beforeAll, expect, it } from 'vitest';
import { addToAgenda, listAgenda, recordDecision, updateCondition } from '../../src/app/committee.ts';
import { moveDealStage } from '../../src/app/deals.ts';
import { decisionInputSchema } from '../../src/domain/committee.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { seedDeals } from './fixtures.ts';

const ic = { id: 'ic-chair', role: 'investment_committee' } as const;
const decision = (dealId: string, decisionName: string, more: object = {}) =>
  decisionInputSchema.parse({
    dealId,
    decision: decisionName,
    decidedOn: '2026-12-15',
    votes: [
      { member: 'a', vote: 'for' },
      { member: 'b', vote: 'for' },
      { member: 'c', vote: 'against' },
    ],
    ...more,
  });

describeOnBackends('investment committee', (backend) => {
  let keel: TestKeel;
  let deals: string[];
  beforeAll(async () => {
    keel = await freshKeel(backend);
    deals = await seedDeals(keel, { prefix: 'ic', count: 3, stage: 'committee' });
  });
  afterAll(() => keel.close());
  let n = 0;
  const move = (dealId: string, to: 'approved' | 'declined') =>
    moveDealStage(keel, ic, { key: `ic-move-${n++}`, dealId, to });

  it('no deal leaves the committee stage without a recorded decision, and a deferral keeps it there', async () => {
    await expect(move(deals[0]!, 'approved')).rejects.toThrow(
      /only after the committee records approve or approve_with_conditions; its latest decision is none/,
    );
    await recordDecision(keel, ic, 'ic-d0', decision(deals[0]!, 'defer'));
    await expect(move(deals[0]!, 'approved')).rejects.toThrow(/its latest decision is defer/);
    await expect(move(deals[0]!, 'declined')).rejects.toThrow(/records decline/);
    await recordDecision(keel, ic, 'ic-d0b', decision(deals[0]!, 'approve'));
    await expect(move(deals[0]!, 'approved')).resolves.toMatchObject({ result: { to: 'approved' } });
  });

  it('a decline allows declined and not approved', async () => {
    await recordDecision(
      keel,
      ic,
      'ic-d1',
      decision(deals[1]!, 'decline', { votes: [{ member: 'a', vote: 'against' }] }),
    );
    await expect(move(deals[1]!, 'approved')).rejects.toThrow(/latest decision is decline/);
    await expect(move(deals[1]!, 'declined')).resolves.toMatchObject({ result: { to: 'declined' } });
  });

  it('refuses unsound decisions: conflicted voters, approvals without a majority, conditions missing', async () => {
    await expect(
      recordDecision(
        keel,
        ic,
        'ic-x1',
        decision(deals[2]!, 'approve', { conflicts: [{ member: 'b', note: 'board seat at the company' }] }),
      ),
    ).rejects.toThrow(/b declared a conflict of interest and cannot vote/);
    await expect(
      recordDecision(
        keel,
        ic,
        'ic-x2',
        decision(deals[2]!, 'approve', {
          votes: [
            { member: 'a', vote: 'for' },
            { member: 'b', vote: 'against' },
          ],
        }),
      ),
    ).rejects.toThrow(/more votes for \(1\) than against \(1\)/);
    await expect(
      recordDecision(keel, ic, 'ic-x3', decision(deals[2]!, 'approve_with_conditions')),
    ).rejects.toThrow(/needs at least one condition/);
    await expect(
      recordDecision(keel, { id: 'pm', role: 'portfolio_manager' }, 'ic-x4', decision(deals[2]!, 'approve')),
    ).rejects.toThrow(/does not allow committee.decide/);
    const rows = await keel.database.db
      .selectFrom('committee_decisions')
      .select('id')
      .where('deal_id', '=', deals[2]!)
      .execute();
    expect(rows).toEqual([]);
  });

  it('takes the optimiser selection onto a meeting agenda, once', async () => {
    await addToAgenda(keel, testAdmin, 'ag-1', {
      dealIds: [deals[2]!, deals[0]!],
      meetingOn: asIsoDate('2027-01-20'),
      source: 'optimiser',
    });
    await addToAgenda(keel, testAdmin, 'ag-2', {
      dealIds: [deals[2]!],
      meetingOn: asIsoDate('2027-01-20'),
      source: 'manual',
    });
    const agenda = await listAgenda(keel, testAdmin);
    expect(agenda.map((a) => [a.deal_id, a.source])).toEqual([
      [deals[0], 'optimiser'],
      [deals[2], 'optimiser'],
    ]);
  });

  it('tracks conditions of approval to closing', async () => {
    const [d] = await seedDeals(keel, { prefix: 'ic-cond', count: 1, stage: 'committee' });
    const recorded = await recordDecision(
      keel,
      ic,
      'ic-c1',
      decision(d!, 'approve_with_conditions', {
        conditions: ['NEPA record of decision', 'offtake agreement signed'],
      }),
    );
    await move(d!, 'approved');
    const close = () => moveDealStage(keel, ic, { key: `ic-close-${n++}`, dealId: d!, to: 'closed' });
    await expect(close()).rejects.toThrow(
      /cannot close while 2 committee condition\(s\) are open: "NEPA record of decision", "offtake agreement signed"/,
    );
    await updateCondition(keel, ic, 'ic-c1-0', { decisionId: recorded.result.id, index: 0, status: 'met' });
    await expect(close()).rejects.toThrow(/1 committee condition\(s\) are open: "offtake agreement signed"/);
    await updateCondition(keel, ic, 'ic-c1-1', {
      decisionId: recorded.result.id,
      index: 1,
      status: 'waived',
    });
    await expect(close()).resolves.toMatchObject({ result: { to: 'closed' } });
    await expect(
      updateCondition(keel, ic, 'ic-c1-9', { decisionId: recorded.result.id, index: 9, status: 'met' }),
    ).rejects.toThrow(/has no condition 9 \(it has 2\)/);
  });
});
