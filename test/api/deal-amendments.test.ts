/**
 * POST /api/deals/:id/amendments and GET /api/deals/:id/headroom (issue 15, item 1): who may edit a deal and
 * read its cap headroom, what an edit of a deal the ledger references needs (a reason), that the kept cap
 * usage and commitment totals follow a moved deal (audit verify still agrees with the ledger), replays,
 * absurd input, and that the public side learns nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amendDealResponse, dealHeadroomResponse, getDealResponse } from '../../src/api/responses/deals.ts';
import { createApiToken } from '../../src/app/auth.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { ROLES } from '../../src/domain/roles.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { seedDeals } from '../integration/fixtures.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture, SENTINEL } from './helpers.ts';

const WRITERS = new Set(['admin', 'portfolio_manager', 'banker']);

describeOnBackends('deal amendments and headroom API', (backend) => {
  let f: ApiFixture;
  let n = 0;
  const as = (role: keyof ApiFixture['tokens']) => ({ authorization: `Bearer ${f.tokens[role]}` });
  const amend = (id: string, payload: object, role: keyof ApiFixture['tokens'] = 'banker', key?: string) =>
    f.app.inject({
      method: 'POST',
      url: `/api/deals/${id}/amendments`,
      headers: { ...as(role), 'idempotency-key': key ?? `amend-${++n}` },
      payload,
    });
  const read = async (id: string, url = `/api/deals/${id}`) =>
    f.app.inject({ method: 'GET', url, headers: as('admin') });
  const openDeal = async (id: string) => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/deals',
      headers: { ...as('banker'), 'idempotency-key': `open-${id}` },
      payload: {
        id,
        name: 'Fresh deal',
        companyId: `${SENTINEL}-0-co`,
        subAreaId: 'robotics',
        instrument: 'term_loan',
        amount: '1000.00',
        classification: 'baseline',
        openedOn: '2026-03-01',
        source: 'synthetic (test)',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    f = await apiFixture(backend);
    await openDeal('fresh-deal');
    // A $600M term loan, committed: as equity it would break the $500M per-company equity cap.
    const [loan] = await seedDeals(f.keel, { prefix: 'big-loan', count: 1, amount: 600_000_000_00n });
    await recordLedgerEntry(f.keel, testAdmin, {
      clientKey: 'big-loan-commit',
      dealId: loan!,
      kind: 'commitment',
      amount: cents(600_000_000_00n),
      effectiveOn: asIsoDate('2026-03-01'),
    });
  }, 120_000);
  afterAll(() => f.close());

  it('lets the roles with deals.write edit and refuses every other role, the public side included', async () => {
    for (const role of [...ROLES, 'crossed_analyst'] as const) {
      const res = await amend('fresh-deal', { name: `Name by ${role}` }, role);
      expect(res.statusCode, `${role}: ${res.body}`).toBe(WRITERS.has(role) ? 200 : 403);
      expect(res.body).not.toContain(SENTINEL);
    }
  });

  it('refuses a read-scoped token', async () => {
    const token = await createApiToken(
      f.keel,
      { id: 'banker', role: 'banker' },
      { name: 'ro', scope: 'read' },
    );
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/deals/fresh-deal/amendments',
      headers: { authorization: `Bearer ${token.token}`, 'idempotency-key': 'ro-amend' },
      payload: { name: 'Read token rename' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('edits a deal without ledger entries directly, amount included, and keeps each change', async () => {
    const res = await amend('fresh-deal', { amount: '$2,500.50', announcedOn: '2026-04-01', team: ['ana'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(amendDealResponse.parse(res.json()).result.amended.sort()).toEqual([
      'amount',
      'announcedOn',
      'team',
    ]);
    const deal = getDealResponse.parse((await read('fresh-deal')).json());
    expect(deal.deal.amountCents).toBe('250050');
    const amount = deal.amendments.find((a) => a.field === 'amount')!;
    expect(amount).toMatchObject({
      fromValue: '1000.00',
      toValue: '2500.50',
      reason: null,
      amendedBy: 'banker',
    });
  });

  it('refuses absurd input with a message and changes nothing', async () => {
    const cases: Array<[object, number]> = [
      [{ amount: '-5' }, 400],
      [{ amount: '1e9' }, 400],
      [{ amount: '1.005' }, 400],
      [{ amount: 12.5 }, 400],
      [{ amount: '0' }, 400],
      [{ companyId: 'another-co' }, 400],
      [{ stage: 'closed' }, 400],
      [{ announcedOn: '2026-02-30' }, 400],
      [{ name: '' }, 400],
      [{ subAreaId: 'no-such-sub-area' }, 422],
      [{ reason: 'no change at all' }, 422],
      [{ name: 'Name by admin' }, 200],
      [{ name: 'Name by admin' }, 422],
    ];
    for (const [payload, status] of cases) {
      const res = await amend('fresh-deal', payload, 'admin');
      expect(res.statusCode, `${JSON.stringify(payload)}: ${res.body}`).toBe(status);
      if (status !== 200) expect(res.json().message.length).toBeGreaterThan(5);
    }
    expect((await amend('no-such-deal', { name: 'x' })).statusCode).toBe(404);
    const deal = getDealResponse.parse((await read('fresh-deal')).json());
    expect(deal.deal.amountCents).toBe('250050');
    expect(deal.deal.subAreaId).toBe('robotics');
  });

  describe('a deal the ledger references', () => {
    it('needs a reason to change its amount, and shows the amendment with its reason', async () => {
      const refused = await amend(f.sentinelDeal, { amount: '200000000.00' }, 'portfolio_manager');
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({ error: 'reason_required' });
      expect(refused.json().message).toContain('amount');
      const ok = await amend(
        f.sentinelDeal,
        { amount: '200000000.00', reason: 'term sheet revised at signing' },
        'portfolio_manager',
      );
      expect(ok.statusCode, ok.body).toBe(200);
      const deal = getDealResponse.parse((await read(f.sentinelDeal)).json());
      expect(deal.amendments.at(-1)).toMatchObject({
        field: 'amount',
        toValue: '200000000.00',
        reason: 'term sheet revised at signing',
        amendedBy: 'portfolio-manager',
      });
      // A name is not what the ledger counts by: no reason needed.
      expect((await amend(f.sentinelDeal, { name: 'Hypersonics plant' })).statusCode).toBe(200);
    });

    it('moves the kept cap usage with a new sub-area; audit verify still agrees with the ledger', async () => {
      const before = dealHeadroomResponse.parse(
        (await read(f.sentinelDeal, `/api/deals/${f.sentinelDeal}/headroom`)).json(),
      );
      const subAreaRow = (h: typeof before) => h.caps.find((c) => c.capId === 'equity-vc-per-sub-area')!;
      expect(subAreaRow(before)).toMatchObject({
        scopeKey: 'munitions-missiles-hypersonics',
        used: '1234567800',
      });
      const res = await amend(f.sentinelDeal, {
        subAreaId: 'critical-minerals',
        reason: 'reclassified by the sector team',
      });
      expect(res.statusCode, res.body).toBe(200);
      const after = dealHeadroomResponse.parse(
        (await read(f.sentinelDeal, `/api/deals/${f.sentinelDeal}/headroom`)).json(),
      );
      expect(subAreaRow(after)).toMatchObject({ scopeKey: 'critical-minerals', used: '1234567800' });
      const verify = await f.app.inject({ method: 'GET', url: '/api/audit/verify', headers: as('auditor') });
      expect(verify.statusCode, verify.body).toBe(200);
      expect(verify.json().ok, verify.body).toBe(true);
    });

    it('refuses a move that would break a cap, and changes nothing', async () => {
      const refused = await amend('big-loan-0', {
        instrument: 'direct_equity',
        reason: 'it is really equity',
      });
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json()).toMatchObject({ error: 'cap_exceeded' });
      expect(refused.json().message).toContain('Equity and VC per company');
      const deal = getDealResponse.parse((await read('big-loan-0')).json());
      expect(deal.deal.instrument).toBe('term_loan');
      expect(deal.amendments).toEqual([]);
    });

    it('moves the kept totals with a new classification and instrument; audit verify agrees', async () => {
      const res = await amend('big-loan-0', {
        classification: 'baseline',
        instrument: 'project_finance',
        reason: 'restructured as project finance',
      });
      expect(res.statusCode, res.body).toBe(200);
      const verify = await f.app.inject({ method: 'GET', url: '/api/audit/verify', headers: as('auditor') });
      expect(verify.json().ok, verify.body).toBe(true);
    });

    it('answers a replay of the same key with the stored result and records nothing twice', async () => {
      const body = { team: ['ana', 'bo'], reason: 'team change' };
      const first = await amend(f.sentinelDeal, body, 'banker', 'amend-replay');
      const again = await amend(f.sentinelDeal, body, 'banker', 'amend-replay');
      expect(amendDealResponse.parse(first.json()).replayed).toBe(false);
      expect(amendDealResponse.parse(again.json())).toEqual({ ...first.json(), replayed: true });
      const deal = getDealResponse.parse((await read(f.sentinelDeal)).json());
      expect(deal.amendments.filter((a) => a.field === 'team')).toHaveLength(1);
      const reused = await amend(f.sentinelDeal, { team: ['cy'] }, 'banker', 'amend-replay');
      expect(reused.statusCode).toBe(409);
    });
  });

  it("a wall-crossed analyst reads the deal's figures but not its amendments and their reasons", async () => {
    const asBanker = getDealResponse.parse((await read(f.sentinelDeal)).json());
    expect(asBanker.amendments.length).toBeGreaterThan(0);
    const crossed = await f.app.inject({
      method: 'GET',
      url: `/api/deals/${f.sentinelDeal}`,
      headers: as('crossed_analyst'),
    });
    expect(crossed.statusCode, crossed.body).toBe(200);
    const seen = getDealResponse.parse(crossed.json());
    expect(seen.deal.amountCents).toBe(asBanker.deal.amountCents);
    expect(seen.amendments).toEqual([]);
    for (const { reason } of asBanker.amendments) if (reason) expect(crossed.body).not.toContain(reason);
  });

  it('shows the headroom to the private side only', async () => {
    for (const role of [...ROLES, 'crossed_analyst'] as const) {
      const res = await f.app.inject({
        method: 'GET',
        url: `/api/deals/${f.sentinelDeal}/headroom`,
        headers: as(role),
      });
      const privateSide = !['research_analyst', 'council_member', 'crossed_analyst'].includes(role);
      expect(res.statusCode, `${role}: ${res.body}`).toBe(privateSide ? 200 : 403);
      if (!privateSide) expect(res.body).not.toContain('munitions');
    }
    expect((await read('x', '/api/deals/no-such-deal/headroom')).statusCode).toBe(404);
    // A term loan draws on no cap.
    const loan = dealHeadroomResponse.parse((await read('x', '/api/deals/fresh-deal/headroom')).json());
    expect(loan.caps).toEqual([]);
    // No committee approval limits a deal before its decision.
    expect(loan.approval).toBeNull();
  });
});
