import { describe, expect, it } from 'vitest';
import { reshoringSeries } from '../../src/domain/reshoring.ts';

describe('reshoring series', () => {
  it('observed shares, then the projection with capacity added from its online year', () => {
    const r = reshoringSeries(
      [
        { year: 2023, us: 0, world: 83_000 },
        { year: 2022, us: 0, world: 90_000 },
      ],
      [{ dealId: 'd', capacity: 2_000, onlineYear: 2028 }],
      2029,
    );
    expect(r.history.map((h) => h.year)).toEqual([2022, 2023]);
    expect(r.projection.find((p) => p.year === 2027)?.share).toBe(0);
    expect(r.projection.find((p) => p.year === 2028)?.share).toBeCloseTo(2_000 / 85_000, 12);
    expect(r.projection).toHaveLength(6);
  });
});
