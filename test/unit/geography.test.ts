import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placeCapital } from '../../src/domain/geography.ts';

describe('placing capital on the map', () => {
  it('splits a deal across its facilities to the cent, falls back to HQ county, then HQ state', () => {
    const r = placeCapital([
      {
        dealId: 'a',
        deployedCents: 100n,
        pipelineCents: 0n,
        facilityCounties: ['16085', '16001', '30095'],
        hqCounty: '16001',
        hqState: '16',
      },
      {
        dealId: 'b',
        deployedCents: 0n,
        pipelineCents: 50n,
        facilityCounties: [],
        hqCounty: '48201',
        hqState: '48',
      },
      {
        dealId: 'c',
        deployedCents: 7n,
        pipelineCents: 0n,
        facilityCounties: [],
        hqCounty: null,
        hqState: '06',
      },
      {
        dealId: 'd',
        deployedCents: 5n,
        pipelineCents: 0n,
        facilityCounties: [],
        hqCounty: null,
        hqState: null,
      },
    ]);
    expect(r.counties.get('16085')?.deployedCents).toBe(34n); // 33 + the remainder cent
    expect(r.counties.get('16001')?.deployedCents).toBe(33n);
    expect(r.states.get('16')?.deployedCents).toBe(67n);
    expect(r.states.get('30')?.deployedCents).toBe(33n);
    expect(r.counties.get('48201')?.pipelineCents).toBe(50n);
    expect(r.states.get('06')?.deployedCents).toBe(7n);
    expect(r.unplaced.deployedCents).toBe(5n);
  });

  it('state totals plus the unplaced equal the deals, whatever the split', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            deployed: fc.bigInt({ min: 0n, max: 10n ** 15n }),
            counties: fc.array(fc.constantFrom('16085', '16001', '48201', '06037'), { maxLength: 4 }),
            hasState: fc.boolean(),
          }),
          { maxLength: 30 },
        ),
        (deals) => {
          const r = placeCapital(
            deals.map((d, i) => ({
              dealId: String(i),
              deployedCents: d.deployed,
              pipelineCents: 0n,
              facilityCounties: d.counties,
              hqCounty: null,
              hqState: d.hasState ? '11' : null,
            })),
          );
          const placed = [...r.states.values()].reduce((s, t) => s + t.deployedCents, 0n);
          expect(placed + r.unplaced.deployedCents).toBe(deals.reduce((s, d) => s + d.deployed, 0n));
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
