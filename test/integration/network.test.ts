import { afterAll, beforeAll, expect, it } from 'vitest';
import { importFile } from '../../src/app/import.ts';
import { recordLedgerEntries } from '../../src/app/ledger.ts';
import { addOrganisations, addRelationships } from '../../src/app/network/organisations.ts';
import { addParticipation, capitalStackOf, setParticipationStatus } from '../../src/app/network/stacks.ts';
import { candidatesFor, neighbourhood, networkActivity } from '../../src/app/network/views.ts';
import { programmeSummary } from '../../src/app/summary.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import type { Cents } from '../../src/domain/money.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { entry, seedDeals } from './fixtures.ts';

const banker = { id: 'bob', role: 'banker' } as const;
const analyst = { id: 'ana', role: 'research_analyst' } as const;
const counted = async (keel: TestKeel) => (await programmeSummary(keel, testAdmin)).counted;

describeOnBackends('client networks and capital stacks', (backend) => {
  let keel: TestKeel;
  let deal: string;
  let earlier: string[];
  beforeAll(async () => {
    keel = await freshKeel(backend);
    [deal] = (await seedDeals(keel, {
      prefix: 'net',
      count: 1,
      instrument: 'term_loan',
      amount: 100_000_000_00n,
    })) as [string];
    earlier = await seedDeals(keel, { prefix: 'net-old', count: 3 });
    await recordLedgerEntries(keel, testAdmin, 'net-own', [
      entry('net-own-c', deal, 'commitment', 100_000_000_00n),
    ]);
    await addOrganisations(keel, banker, 'net-orgs', [
      { id: 'pension-a', name: 'Pension A', kind: 'fund', country: 'US', source: 'synthetic (test)' },
      { id: 'bank-b', name: 'Bank B', kind: 'bank', country: 'GB', source: 'synthetic (test)' },
      {
        id: 'exim',
        name: 'Export–Import Bank of the United States',
        kind: 'government_programme',
        country: 'US',
        source: 'synthetic (test)',
      },
      {
        id: 'state-fund',
        name: 'State Fund',
        kind: 'fund',
        country: 'HK',
        controlledFrom: 'CN',
        source: 'synthetic (test)',
      },
    ]);
    await addRelationships(keel, banker, 'net-rels', [
      {
        kind: 'client_of',
        fromOrganisation: 'pension-a',
        toOrganisation: 'bank-b',
        businessLine: 'asset_management',
        source: 'synthetic (test)',
      },
    ]);
    // History: Pension A committed in three earlier critical-minerals deals at the size of today's gap.
    for (const [n, id] of earlier.entries()) {
      const { result: p } = await addParticipation(keel, banker, `net-hist-${n}`, {
        dealId: id,
        organisationId: 'pension-a',
        role: 'co_investor',
        instrument: 'direct_equity',
        amount: 50_000_000_00n as Cents,
        arrangedByBank: false,
        status: 'proposed',
        source: 'synthetic (test)',
      });
      await setParticipationStatus(keel, banker, `net-hist-${n}-c`, p.id, { status: 'committed' });
    }
  });
  afterAll(() => keel.close());

  it('committing an arranged syndicate part books it in the ledger and moves the programme totals by exactly that much', async () => {
    const before = await counted(keel);
    const { result: p } = await addParticipation(keel, testAdmin, 'net-p1', {
      dealId: deal,
      organisationId: 'bank-b',
      role: 'syndicate_member',
      instrument: 'syndicated_loan',
      amount: 250_000_000_00n as Cents,
      arrangedByBank: true,
      status: 'soft_circled',
      source: 'synthetic (test)',
    });
    expect(p.counts).toBe(true);
    expect((await counted(keel)).total).toBe(before.total); // soft-circled: nothing counted yet
    // A banker may run the network but not book the ledger: refused, nothing changes.
    await expect(
      setParticipationStatus(keel, banker, 'net-p1-b', p.id, { status: 'committed' }),
    ).rejects.toThrow(/ledger.write/);
    const { result: committed } = await setParticipationStatus(keel, testAdmin, 'net-p1-c', p.id, {
      status: 'committed',
      effectiveOn: asIsoDate('2026-04-01'),
    });
    expect(committed.countedDealId).toBe(`${deal}-p${p.id}`);
    const moves = await keel.database.db
      .selectFrom('deal_stage_moves')
      .select(['from_stage', 'to_stage'])
      .where('deal_id', '=', committed.countedDealId as string)
      .execute();
    expect(moves).toEqual([{ from_stage: null, to_stage: 'approved' }]);
    const after = await counted(keel);
    expect(after.total - before.total).toBe(250_000_000_00n);
    expect(after.facilitated - before.facilitated).toBe(250_000_000_00n);
    expect(after.own).toBe(before.own);

    const stack = await capitalStackOf(keel, testAdmin, deal);
    expect(stack.countedOwn).toBe(100_000_000_00n);
    expect(stack.countedFacilitated).toBe(250_000_000_00n);
    expect(stack.countedOwn + stack.countedFacilitated + stack.notCounted).toBe(stack.total);

    // A government lender beside the deal is in the stack but not in the programme.
    const { result: exim } = await addParticipation(keel, testAdmin, 'net-p2', {
      dealId: deal,
      organisationId: 'exim',
      role: 'government_lender',
      instrument: 'term_loan',
      amount: 400_000_000_00n as Cents,
      arrangedByBank: false,
      status: 'proposed',
      source: 'synthetic (test)',
    });
    await setParticipationStatus(keel, testAdmin, 'net-p2-c', exim.id, { status: 'committed' });
    expect((await counted(keel)).total).toBe(after.total);
    expect((await capitalStackOf(keel, testAdmin, deal)).notCounted).toBe(400_000_000_00n);

    // Withdrawing the syndicate part books the cancellation: totals return to where they were.
    await setParticipationStatus(keel, testAdmin, 'net-p1-d', p.id, {
      status: 'declined',
      effectiveOn: asIsoDate('2026-05-01'),
    });
    expect((await counted(keel)).total).toBe(before.total);
    await expect(
      setParticipationStatus(keel, testAdmin, 'net-p1-e', p.id, { status: 'committed' }),
    ).rejects.toThrow(/a declined participation cannot become committed/);
  });

  it('ranks Pension A first for the gap, and excludes the fund controlled from a country of concern', async () => {
    const r = await candidatesFor(keel, banker, deal, { gap: 50_000_000_00n as Cents, top: 10 });
    expect(r.candidates[0]?.organisationId).toBe('pension-a');
    expect(r.candidates[0]?.reasons).toContain('existing client');
    expect(r.excluded.map((e) => e.organisationId)).toContain('state-fund');
  });

  it('shows neighbourhoods, activity and concentration to the private side only', async () => {
    const n = await neighbourhood(keel, banker, 'pension-a');
    expect(n.participations).toHaveLength(3);
    expect(n.relationships[0]?.kind).toBe('client_of');
    const activity = await networkActivity(keel, banker);
    expect(
      activity.subAreas.find((s) => s.subAreaId === 'critical-minerals')?.coInvestors[0]?.organisationId,
    ).toBe('pension-a');
    await expect(neighbourhood(keel, analyst, 'pension-a')).rejects.toThrow(/does not allow network.read/);
    await expect(capitalStackOf(keel, analyst, deal)).rejects.toThrow(/does not allow network.read/);
  });

  it('imports organisations from CSV all or none, naming the bad line and column', async () => {
    const bad = 'id,name,kind,country,source\nok-org,OK,fund,US,test\nbad-org,Bad,fund,USA,test\n';
    await expect(importFile(keel, testAdmin, 'organisations', bad)).rejects.toThrow(/line 3, field country/);
    const good = 'id,name,kind,country,source\nok-org,OK,fund,US,test\n';
    expect((await importFile(keel, testAdmin, 'organisations', good)).rows).toBe(1);
  });
});
