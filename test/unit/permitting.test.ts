import { describe, expect, it } from 'vitest';
import type { Cents } from '../../src/domain/money.ts';
import {
  assertPermitMove,
  bottlenecks,
  daysInStages,
  nextPermitStages,
  PERMIT_STAGES,
  type PermitRecord,
} from '../../src/domain/permitting.ts';

const c = (n: bigint) => n as Cents;
const permit = (
  dealId: string,
  kind: PermitRecord['kind'],
  agency: string,
  amount: bigint,
  events: [string, string][],
): PermitRecord => ({
  dealId,
  kind,
  agency,
  dealAmount: c(amount),
  events: events.map(([stage, on]) => ({ stage: stage as PermitRecord['events'][number]['stage'], on })),
});

describe('permitting aggregation', () => {
  const asOf = '2026-12-31';
  const permits = [
    // An EIS decided after 400 days in review, and one still open after 300.
    permit('mine', 'nepa_environmental_impact_statement', 'BLM', 500n, [
      ['applied', '2025-01-01'],
      ['under_review', '2025-03-01'],
      ['approved', '2026-02-05'],
    ]),
    permit('smelter', 'nepa_environmental_impact_statement', 'BLM', 300n, [['applied', '2026-03-06']]),
    // The same open project also waits on two interconnection requests: its capital is blocked once.
    permit('smelter', 'grid_interconnection', 'PJM', 300n, [
      ['applied', '2026-06-01'],
      ['under_review', '2026-07-01'],
    ]),
    permit('plant', 'grid_interconnection', 'PJM', 200n, [
      ['applied', '2026-10-01'],
      ['under_review', '2026-11-01'],
    ]),
    permit('plant', 'local_zoning', 'County', 200n, [['not_started', '2026-12-01']]),
  ];

  it('days in each stage, to the next move or to the report date', () => {
    expect(daysInStages(permits[0]!.events, asOf)).toEqual({ applied: 59, under_review: 341, approved: 0 });
    expect(daysInStages(permits[1]!.events, asOf)).toEqual({ applied: 300 });
  });

  it('ranks the slowest bottlenecks and counts blocked capital once per project', () => {
    const r = bottlenecks(permits, asOf);
    expect(r.rows.map((b) => `${b.kind}/${b.agency}`)).toEqual([
      'nepa_environmental_impact_statement/BLM', // median of 400 and 300 days
      'grid_interconnection/PJM', // median of 213 and 91 days
      'local_zoning/County', // never applied
    ]);
    expect(r.rows[0]).toMatchObject({
      permits: 2,
      open: 1,
      projectsBlocked: 1,
      capitalBlocked: 300n,
      medianDaysInReview: 350,
    });
    expect(r.rows[1]).toMatchObject({
      permits: 2,
      open: 2,
      projectsBlocked: 2,
      capitalBlocked: 500n,
      medianDaysInReview: 152,
    });
    expect(r.projectsBlocked).toBe(2); // smelter and plant; the mine's permit is approved
    expect(r.capitalBlocked).toBe(500n);
  });

  it('refuses moves back, reopening and dates in the past', () => {
    const events = permits[0]!.events;
    expect(() => assertPermitMove(events, { stage: 'under_review', on: '2026-03-01' })).toThrow(
      /cannot move again/,
    );
    const open = permits[2]!.events;
    expect(() => assertPermitMove(open, { stage: 'applied', on: '2026-08-01' })).toThrow(/cannot go back/);
    expect(() => assertPermitMove(open, { stage: 'approved', on: '2026-06-30' })).toThrow(
      /before the last move/,
    );
    expect(() => assertPermitMove(open, { stage: 'approved', on: '2026-08-01' })).not.toThrow();
  });

  it('offers as next stages exactly the moves it accepts', () => {
    expect(nextPermitStages('applied')).toEqual(['under_review', 'approved', 'denied', 'withdrawn']);
    expect(nextPermitStages('under_review')).toEqual(['approved', 'denied', 'withdrawn']);
    expect(nextPermitStages('approved')).toEqual([]);
    for (const from of ['not_started', 'applied', 'under_review'] as const)
      for (const to of PERMIT_STAGES) {
        const move = () =>
          assertPermitMove([{ stage: from, on: '2026-01-01' }], { stage: to, on: '2026-02-01' });
        if (nextPermitStages(from).includes(to)) expect(move).not.toThrow();
        else expect(move).toThrow();
      }
  });
});
