import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PROGRAMME, readJson } from '../../src/app/data-files.ts';
import type { Cents } from '../../src/domain/money.ts';
import {
  assertParticipationIsSound,
  type CandidateFacts,
  capitalStack,
  concentration,
  type Participation,
  rankCandidates,
} from '../../src/domain/network.ts';
import { parseProgramme } from '../../src/domain/programme.ts';

const programme = parseProgramme(readJson(REFERENCE_PROGRAMME));
const c = (n: bigint) => n as Cents;
let nextId = 1n;
const part = (over: Partial<Participation>): Participation => ({
  id: nextId++,
  organisationId: 'org',
  role: 'co_investor',
  instrument: 'direct_equity',
  amount: c(1_000_00n),
  arrangedByBank: false,
  status: 'committed',
  ...over,
});

describe('capital stack arithmetic and counting', () => {
  it('own and facilitated parts add up to the stack and count as the methodology says', () => {
    const stack = capitalStack(programme, { instrument: 'direct_equity', committed: c(75_000_000_00n) }, [
      part({ organisationId: 'agnico', amount: c(180_000_000_00n) }), // co-investor on its own: not counted
      part({
        organisationId: 'exim',
        role: 'government_lender',
        instrument: 'term_loan',
        amount: c(500_000_000_00n),
      }),
      part({
        organisationId: 'pension',
        role: 'syndicate_member',
        instrument: 'syndicated_loan',
        arrangedByBank: true,
        amount: c(200_000_000_00n),
      }),
      part({
        organisationId: 'fund',
        role: 'syndicate_member',
        instrument: 'syndicated_loan',
        arrangedByBank: true,
        amount: c(50_000_000_00n),
        status: 'soft_circled',
      }),
      part({ organisationId: 'gone', amount: c(9_00n), status: 'declined' }),
    ]);
    expect(stack.total).toBe(75_000_000_00n + 180_000_000_00n + 500_000_000_00n + 200_000_000_00n);
    expect(stack.countedOwn).toBe(75_000_000_00n);
    expect(stack.countedFacilitated).toBe(200_000_000_00n);
    expect(stack.notCounted).toBe(680_000_000_00n);
    expect(stack.pipeline).toBe(50_000_000_00n);
    expect(stack.countedOwn + stack.countedFacilitated + stack.notCounted).toBe(stack.total);
  });

  it('for any stack, counted + not counted = total, to the cent', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 14n }),
        fc.array(
          fc.record({
            amount: fc.bigInt({ min: 1n, max: 10n ** 13n }),
            instrument: fc.constantFrom(
              'direct_equity',
              'syndicated_loan',
              'bond_underwriting',
              'client_asset_allocation',
              'term_loan',
            ),
            arranged: fc.boolean(),
            status: fc.constantFrom('proposed', 'soft_circled', 'committed', 'declined'),
          }),
          { maxLength: 20 },
        ),
        (own, parts) => {
          const stack = capitalStack(
            programme,
            { instrument: 'term_loan', committed: c(own) },
            parts.map((p) =>
              part({
                amount: c(p.amount),
                instrument: p.instrument as Participation['instrument'],
                arrangedByBank: p.arranged,
                status: p.status as Participation['status'],
              }),
            ),
          );
          const committed = parts.filter((p) => p.status === 'committed').reduce((s, p) => s + p.amount, 0n);
          expect(stack.total).toBe(own + committed);
          expect(stack.countedOwn + stack.countedFacilitated + stack.notCounted).toBe(stack.total);
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });

  it("refuses another party's own-side instrument 'arranged by the bank'", () => {
    expect(() =>
      assertParticipationIsSound(programme, {
        instrument: 'term_loan',
        arrangedByBank: true,
        role: 'syndicate_member',
      }),
    ).toThrow(/facilitated instrument/);
    expect(() =>
      assertParticipationIsSound(programme, {
        instrument: 'syndicated_loan',
        arrangedByBank: true,
        role: 'government_lender',
      }),
    ).toThrow(/own account/);
  });
});

describe('co-investor ranking', () => {
  const org = (id: string, country = 'US', controlledFrom?: string) => ({
    id,
    name: id,
    kind: 'investor' as const,
    country,
    ...(controlledFrom ? { controlledFrom } : {}),
    source: 'test',
  });
  const deal = {
    subAreaId: 'critical-minerals',
    areaId: 'supply-chain-advanced-manufacturing',
    companyId: 'co',
  };
  const h = (subAreaId: string, dollars: bigint, areaId = 'supply-chain-advanced-manufacturing') => ({
    subAreaId,
    areaId,
    amount: c(dollars * 100n),
  });

  it('puts the known best candidate first and explains why; excludes conflicts and countries of concern', () => {
    const facts: CandidateFacts[] = [
      // Best by construction: most deals in the sub-area, tickets the size of the gap, an existing client.
      {
        organisation: org('best'),
        history: [
          h('critical-minerals', 100_000_000n),
          h('critical-minerals', 100_000_000n),
          h('critical-minerals', 90_000_000n),
        ],
        existingClient: true,
        conflict: null,
      },
      {
        organisation: org('small-tickets'),
        history: [h('critical-minerals', 1_000_000n), h('critical-minerals', 2_000_000n)],
        existingClient: true,
        conflict: null,
      },
      {
        organisation: org('elsewhere'),
        history: [
          h('solar', 100_000_000n, 'energy-independence-resilience'),
          h('solar', 100_000_000n, 'energy-independence-resilience'),
          h('solar', 100_000_000n, 'energy-independence-resilience'),
        ],
        existingClient: false,
        conflict: null,
      },
      {
        organisation: org('insider'),
        history: [
          h('critical-minerals', 100_000_000n),
          h('critical-minerals', 100_000_000n),
          h('critical-minerals', 100_000_000n),
        ],
        existingClient: true,
        conflict: 'board seat in the company',
      },
      {
        organisation: org('offshore', 'HK', 'CN'),
        history: [
          h('critical-minerals', 100_000_000n),
          h('critical-minerals', 100_000_000n),
          h('critical-minerals', 100_000_000n),
        ],
        existingClient: true,
        conflict: null,
      },
      { organisation: org('newcomer'), history: [], existingClient: false, conflict: null },
    ];
    const ranked = rankCandidates(deal, c(100_000_000_00n), facts);
    expect(ranked.map((r) => r.organisationId)).toEqual([
      'best',
      'small-tickets',
      'elsewhere',
      'newcomer',
      'insider',
      'offshore',
    ]);
    expect(ranked[0]?.components.appetite).toBe(1);
    expect(ranked[0]?.components.ticket).toBeCloseTo(1, 12);
    expect(ranked[0]?.reasons).toContain('existing client');
    expect(ranked.find((r) => r.organisationId === 'insider')?.excluded).toMatch(/conflict of interest/);
    expect(ranked.find((r) => r.organisationId === 'offshore')?.excluded).toMatch(
      /country of concern \(CN\)/,
    );
    expect(ranked.find((r) => r.organisationId === 'newcomer')?.score).toBe(0);
  });

  it('concentration: shares and HHI of facilitated capital by counterparty', () => {
    const r = concentration(
      new Map([
        ['a', 300n],
        ['b', 300n],
        ['c', 200n],
        ['d', 200n],
      ]),
    );
    expect(r.hhi).toBeCloseTo(2600, 9); // the merger-guidelines example again
    expect(r.shares[0]?.share).toBeCloseTo(0.3, 12);
  });
});
