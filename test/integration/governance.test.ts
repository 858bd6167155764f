import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  addMeeting,
  addRecommendation,
  councilBook,
  setRecommendationStatus,
} from '../../src/app/governance/council.ts';
import { addStaff, coverageReport, setHiringPlan } from '../../src/app/governance/coverage.ts';
import { addPermit, dealPermits, movePermit, permitBottlenecks } from '../../src/app/governance/permits.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { seedDeals } from './fixtures.ts';

const council = { id: 'carl', role: 'council_member' } as const;
const analyst = { id: 'ana', role: 'research_analyst' } as const;

describeOnBackends('governance: permitting, council, coverage', (backend) => {
  let keel: TestKeel;
  let deals: string[];
  beforeAll(async () => {
    keel = await freshKeel(backend);
    deals = await seedDeals(keel, {
      prefix: 'gov-secret',
      count: 3,
      stage: 'diligence',
      subAreaId: 'nuclear-energy',
      amount: 1_500_000_000_00n,
    });
  });
  afterAll(() => keel.close());

  it('permits: stage history, refused moves change nothing, bottlenecks without deal names', async () => {
    const { result: a } = await addPermit(keel, testAdmin, 'gov-p1', {
      dealId: deals[0]!,
      kind: 'nrc_licence',
      agency: 'NRC',
      jurisdiction: 'federal',
      stage: 'applied',
      on: asIsoDate('2025-06-01'),
    });
    await movePermit(keel, testAdmin, 'gov-p1-m', a.id, {
      stage: 'under_review',
      on: asIsoDate('2025-09-01'),
    });
    await expect(
      movePermit(keel, testAdmin, 'gov-p1-x', a.id, { stage: 'applied', on: asIsoDate('2025-10-01') }),
    ).rejects.toThrow(/cannot go back/);
    await addPermit(keel, testAdmin, 'gov-p2', {
      dealId: deals[1]!,
      kind: 'nrc_licence',
      agency: 'NRC',
      jurisdiction: 'federal',
      stage: 'applied',
      on: asIsoDate('2026-01-01'),
    });
    const { result: b } = await addPermit(keel, testAdmin, 'gov-p3', {
      dealId: deals[1]!,
      kind: 'grid_interconnection',
      agency: 'MISO',
      jurisdiction: 'utility',
      stage: 'applied',
      on: asIsoDate('2026-02-01'),
    });
    await movePermit(keel, testAdmin, 'gov-p3-m', b.id, { stage: 'approved', on: asIsoDate('2026-05-02') });
    const permits = await dealPermits(keel, testAdmin, deals[0]!, asIsoDate('2026-06-01'));
    expect(permits[0]?.events.map((e) => e.stage)).toEqual(['applied', 'under_review']);
    expect(permits[0]?.days).toEqual({ applied: 92, under_review: 273 });
    // Days in review: 365 (2025-06-01 to 2026-06-01) and 151 (2026-01-01 to 2026-06-01): median 258.
    // The private side sees every figure.
    const r = await permitBottlenecks(keel, testAdmin, asIsoDate('2026-06-01'));
    expect(r.rows[0]).toMatchObject({
      kind: 'nrc_licence',
      agency: 'NRC',
      open: 2,
      projectsBlocked: 2,
      capitalBlocked: 3_000_000_000_00n,
      medianDaysInReview: 258,
    });
    expect(r.rows[1]).toMatchObject({
      kind: 'grid_interconnection',
      open: 0,
      capitalBlocked: 0n,
      medianDaysInReview: 90,
    });
    expect(r.capitalBlocked).toBe(3_000_000_000_00n);
    // The council: two and one deals are fewer than k = 3, so both rows are merged and no figure is shown.
    const publicView = await permitBottlenecks(keel, council, asIsoDate('2026-06-01'));
    expect(publicView).toMatchObject({ projectsBlocked: null, capitalBlocked: null });
    expect(publicView.rows).toEqual([expect.objectContaining({ kind: 'other', capitalBlocked: null })]);
    expect(JSON.stringify(publicView, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(
      'gov-secret',
    );
    await expect(dealPermits(keel, analyst, deals[0]!)).rejects.toThrow(/does not allow permits.read/);
  });

  it('council: agendas carry aggregates only; recommendations have owners and status', async () => {
    const { result: m } = await addMeeting(keel, testAdmin, 'gov-m1', {
      heldOn: asIsoDate('2026-12-10'),
      title: 'Q4 council',
      items: ['Pacing', 'Permitting'],
    });
    const { result: rec } = await addRecommendation(keel, testAdmin, 'gov-r1', {
      meetingId: m.id,
      text: 'Publish NRC review times',
      owner: 'head of policy',
    });
    await setRecommendationStatus(keel, testAdmin, 'gov-r1-s', rec.id, { status: 'in_progress' });
    const book = await councilBook(keel, council);
    expect(book.meetings[0]?.agenda[1]?.facts.some((f) => f.includes('held back by open permits'))).toBe(
      true,
    );
    expect(book.meetings[0]?.recommendations[0]).toMatchObject({
      owner: 'head of policy',
      status: 'in_progress',
    });
    expect(JSON.stringify(book, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(
      'gov-secret',
    );
    await expect(
      addMeeting(keel, council, 'gov-m2', { heldOn: asIsoDate('2026-12-11'), title: 'x', items: ['x'] }),
    ).rejects.toThrow(/does not allow council.manage/);
  });

  it('coverage: sub-areas with pipeline and no specialist, overloaded specialists, hiring plan vs headcount', async () => {
    const before = await coverageReport(keel, testAdmin, 2026);
    expect(before.uncovered.map((u) => u.subAreaId)).toContain('nuclear-energy');
    await addStaff(keel, testAdmin, 'gov-s1', {
      id: 'nina',
      name: 'Nina',
      kind: 'sector_specialist',
      subAreas: ['nuclear-energy'],
      companies: [],
      joinedOn: asIsoDate('2026-01-05'),
    });
    await setHiringPlan(keel, testAdmin, 'gov-h1', {
      rows: [{ subAreaId: 'nuclear-energy', year: 2026, headcount: 3 }],
    });
    const after = await coverageReport(keel, testAdmin, 2026);
    expect(after.uncovered.map((u) => u.subAreaId)).not.toContain('nuclear-energy');
    const nina = after.load.find((l) => l.staffId === 'nina');
    expect(nina).toMatchObject({ openDeals: 3, openAmountCents: 4_500_000_000_00n, overloaded: true }); // $4.5B > $2B
    expect(after.hiring).toEqual([{ subAreaId: 'nuclear-energy', planned: 3, actual: 1 }]);
  });
});
