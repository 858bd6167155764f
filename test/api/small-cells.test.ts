/**
 * Small-cell suppression through HTTP (issue 13, defect 8): with one or two deals, a public-side token
 * (research analyst, council member) sees no amount or count of those deals in any response it may read,
 * not even by subtracting published figures from a total; with k = 3 deals the figures appear; the private
 * side keeps exact figures throughout.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents, formatDollars } from '../../src/domain/money.ts';
import type { Role } from '../../src/domain/roles.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

const SUB_AREA = 'munitions-missiles-hypersonics';
/** The fixture's sentinel deal: proposed $1,000,000.00, committed $12,345,678.00 in 2026. */
const SENTINEL = { proposed: 100_000_000n, committed: 1_234_567_800n };
const SECOND = { proposed: 222_222_200n, committed: 987_654_300n };
const THIRD = { proposed: 333_333_300n, committed: 555_555_500n };

/** Every GET route a public-side role may read that carries programme figures. */
const PUBLIC_READS: Array<{ url: string; roles: Role[] }> = [
  { url: '/api/programme/aggregates', roles: ['research_analyst', 'council_member'] },
  { url: '/api/pacing', roles: ['research_analyst', 'council_member'] },
  { url: '/api/permits/bottlenecks', roles: ['research_analyst', 'council_member'] },
  { url: '/api/peers', roles: ['research_analyst', 'council_member'] },
  { url: '/api/reshoring', roles: ['research_analyst', 'council_member'] },
  { url: '/api/council', roles: ['council_member'] },
];

/** The ways an amount (in cents) can be written in a response: cents, dollars, formatted dollars. */
function spellings(amount: bigint): string[] {
  const dollars = Number(amount) / 100;
  return [
    String(amount),
    String(dollars),
    formatDollars(amount as never),
    formatDollars(amount as never).replace(/\.00$/, ''),
  ];
}

/** An amount as a whole token: not part of a longer number (a $10B cap limit contains "100000000"). */
const amountPattern = (text: string) =>
  new RegExp(`(?<![\\d.])(?<!\\d,)${text.replace(/[$.]/g, (c) => `\\${c}`)}(?!\\d|,\\d|\\.\\d*[1-9])`);

/** Every amount of one deal, and of the deals together (what a subtraction from a total would give). */
function forbiddenFor(deals: Array<{ proposed: bigint; committed: bigint }>): string[] {
  const amounts = new Set<bigint>();
  for (const d of deals) {
    amounts.add(d.proposed);
    amounts.add(d.committed);
  }
  amounts.add(deals.reduce((s, d) => s + d.committed, 0n));
  amounts.add(deals.reduce((s, d) => s + d.proposed, 0n));
  return [...amounts].flatMap(spellings);
}

describeOnBackends('small-cell suppression', (backend) => {
  let f: ApiFixture;
  const get = (url: string, who: Role | 'admin') =>
    f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${f.tokens[who]}` } });
  const post = (url: string, who: Role, key: string, payload: unknown) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${f.tokens[who]}`, 'idempotency-key': key },
      payload: payload as object,
    });

  async function addDeal(n: number, amounts: { proposed: bigint; committed: bigint }) {
    const [dealId] = await seedDeals(f.keel, {
      prefix: `cells${n}`,
      count: 1,
      instrument: 'direct_equity',
      subAreaId: SUB_AREA,
      amount: amounts.proposed,
    });
    await recordLedgerEntry(f.keel, testAdmin, {
      clientKey: `cells-commit-${n}`,
      dealId: dealId as string,
      kind: 'commitment',
      amount: cents(amounts.committed),
      effectiveOn: asIsoDate('2026-02-01'),
    });
    await addPermitAndCapacity(dealId as string, n);
  }

  async function addPermitAndCapacity(dealId: string, n: number) {
    const permit = await post('/api/permits', 'banker', `cells-permit-${n}`, {
      dealId,
      kind: 'grid_interconnection',
      agency: 'PJM Interconnection',
      jurisdiction: 'utility',
      stage: 'applied',
      on: '2026-03-01',
    });
    expect(permit.statusCode).toBe(200);
    const capacity = await post('/api/reshoring/capacity', 'banker', `cells-capacity-${n}`, {
      dealId,
      materialId: 'antimony',
      capacity: 1000 + n,
      unit: 't antimony content, mine production',
      onlineYear: 2028,
      source: 'synthetic (test)',
    });
    expect(capacity.statusCode).toBe(200);
  }

  async function publicBodies(): Promise<Array<{ url: string; role: Role; body: string }>> {
    const out = [];
    for (const { url, roles } of PUBLIC_READS)
      for (const role of roles) {
        const response = await get(url, role);
        expect(response.statusCode, `${role} GET ${url}: ${response.body}`).toBe(200);
        out.push({ url, role, body: response.body });
      }
    return out;
  }

  async function expectNothingOf(deals: Array<{ proposed: bigint; committed: bigint }>) {
    const forbidden = forbiddenFor(deals);
    for (const { url, role, body } of await publicBodies()) {
      for (const text of forbidden)
        expect(body, `${role} GET ${url} shows ${text}`).not.toMatch(amountPattern(text));
    }
    const aggregates = (await get('/api/programme/aggregates', 'council_member')).json();
    expect(aggregates.disclosure).toEqual({ minimumCellSize: 3 });
    expect(aggregates.counted.total).toBeNull();
    // No count of the deals either: no pipeline row shows fewer than k deals.
    for (const row of aggregates.pipeline) expect(row.deals === null || row.deals >= 3).toBe(true);
    const permits = (await get('/api/permits/bottlenecks', 'research_analyst')).json();
    expect(permits.projectsBlocked).toBeNull();
    expect(permits.capitalBlocked).toBeNull();
    for (const row of permits.rows) expect(row.projectsBlocked).toBeNull();
    const pacing = (await get('/api/pacing', 'research_analyst')).json();
    expect(pacing.lines.find((l: { target: string }) => l.target === 'total').counted).toBeNull();
    const reshoring = (await get('/api/reshoring', 'council_member')).json();
    const antimony = reshoring.materials.find((m: { material: string }) => m.material === 'antimony');
    expect(antimony.portfolioCapacity).toBeNull();
    for (const p of antimony.projection) expect(p.added === null || p.added === 0).toBe(true);
    const peers = (await get('/api/peers', 'research_analyst')).json();
    for (const row of peers.overlap)
      expect(row.ourOpenPipeline === null || row.ourOpenPipeline === 0).toBe(true);
  }

  beforeAll(async () => {
    f = await apiFixture(backend);
    await addPermitAndCapacity(f.sentinelDeal, 1);
    // A meeting set before small-cell suppression stored the one deal's amount in its facts.
    await f.keel.database.db
      .insertInto('council_meetings')
      .values({
        held_on: '2026-01-20',
        title: 'Old council',
        agenda: JSON.stringify([
          { item: 'Pacing', facts: [`Counted to date: ${formatDollars(SENTINEL.committed as never)}`] },
        ]),
        created_by: 'admin',
      })
      .execute();
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it('one deal: the public side sees no amount or count of it, the council facts store none', async () => {
    const meeting = await post('/api/council/meetings', 'admin', 'cells-meeting-1', {
      heldOn: '2026-12-10',
      title: 'Q4 council',
      items: ['Pacing'],
    });
    expect(meeting.statusCode).toBe(200);
    await expectNothingOf([SENTINEL]);
    // Nothing below k is stored: the stored facts carry the note, whoever reads them.
    const stored = await f.keel.database.db.selectFrom('council_meetings').select('agenda').execute();
    const facts = JSON.stringify(stored.map((m) => m.agenda).slice(-1));
    expect(facts).toContain('fewer than 3 deals — not shown');
    const council = (await get('/api/council', 'council_member')).json();
    const old = council.meetings.find((m: { title: string }) => m.title === 'Old council');
    expect(old.agenda[0].facts[0]).toMatch(/not shown/);
  });

  it('one deal: the private side keeps exact figures', async () => {
    const aggregates = (await get('/api/programme/aggregates', 'portfolio_manager')).json();
    expect(aggregates.counted.total).toBe(String(SENTINEL.committed));
    const permits = (await get('/api/permits/bottlenecks', 'banker')).json();
    expect(permits.projectsBlocked).toBe(1);
    expect(permits.capitalBlocked).toBe(String(SENTINEL.proposed));
    const council = (await get('/api/council', 'admin')).json();
    const old = council.meetings.find((m: { title: string }) => m.title === 'Old council');
    expect(old.agenda[0].facts[0]).toContain('$12,345,678.00');
  });

  it('two deals: nothing of either, nor of both together', async () => {
    await addDeal(2, SECOND);
    await expectNothingOf([SENTINEL, SECOND]);
  });

  it('k = 3 deals: the figures appear, and still add up', async () => {
    await addDeal(3, THIRD);
    const total = SENTINEL.committed + SECOND.committed + THIRD.committed;
    const aggregates = (await get('/api/programme/aggregates', 'council_member')).json();
    expect(aggregates.counted.total).toBe(String(total));
    expect(aggregates.bySubArea).toEqual([{ key: SUB_AREA, counted: String(total) }]);
    expect(aggregates.bySubAreaYear).toEqual([
      expect.objectContaining({ subAreaId: SUB_AREA, year: 2026, counted: String(total) }),
    ]);
    expect(aggregates.caps).toContainEqual(
      expect.objectContaining({ capId: 'equity-vc-per-sub-area', scopeKey: SUB_AREA, used: String(total) }),
    );
    expect(aggregates.pipeline).toEqual([
      { stage: 'approved', deals: 3, amount: String(SENTINEL.proposed + SECOND.proposed + THIRD.proposed) },
    ]);
    const reshoring = (await get('/api/reshoring', 'council_member')).json();
    const antimony = reshoring.materials.find((m: { material: string }) => m.material === 'antimony');
    expect(antimony.portfolioCapacity).toBe(1001 + 1002 + 1003);
    const peers = (await get('/api/peers', 'council_member')).json();
    expect(peers.overlap.find((o: { subAreaId: string }) => o.subAreaId === SUB_AREA).ourOpenPipeline).toBe(
      Number(SENTINEL.proposed + SECOND.proposed + THIRD.proposed) / 100,
    );
    const permits = (await get('/api/permits/bottlenecks', 'council_member')).json();
    expect(permits.projectsBlocked).toBe(3);
    expect(permits.rows[0]).toEqual(expect.objectContaining({ projectsBlocked: 3, permits: 3 }));
    const meeting = await post('/api/council/meetings', 'admin', 'cells-meeting-3', {
      heldOn: '2026-12-11',
      title: 'Q4 council, again',
      items: ['Pacing'],
    });
    expect(meeting.statusCode).toBe(200);
    const council = (await get('/api/council', 'council_member')).json();
    const latest = council.meetings.find((m: { title: string }) => m.title === 'Q4 council, again');
    expect(latest.agenda[0].facts[0]).toContain(formatDollars(total as never));
  });
});
