/**
 * The ledger list over the API (issue 15): a page of ledger entries with their deal's and company's names,
 * filtered (kinds, deal, company, sub-area, effective dates, words) and sorted on the server, with the
 * filtered set's count and exact sum per kind, checked here against sums computed from the entries recorded.
 * Private side only: the public side (research analysts, the council) is refused; absurd input is a 400.
 * The ledger export takes the same filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCompanies } from '../../src/app/companies.ts';
import { openDeals } from '../../src/app/deals.ts';
import { recordLedgerEntries } from '../../src/app/ledger.ts';
import type { DealInput, LedgerEntryInput } from '../../src/domain/deal.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { ENTRY_KINDS, type EntryKind } from '../../src/domain/ledger.ts';
import { cents } from '../../src/domain/money.ts';
import { can, ROLES } from '../../src/domain/roles.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture, SENTINEL } from './helpers.ts';

interface Entry {
  seq: string;
  dealId: string;
  dealName: string | null;
  companyId: string;
  company: string;
  subAreaId: string;
  kind: EntryKind;
  amountCents: string;
  effectiveOn: string;
  recordedByName: string;
}

const company = (id: string, name: string) => ({
  id,
  name,
  usBased: true,
  existingClient: false,
  foreignControl: false,
  source: 'synthetic (test)',
  synthetic: true,
  facilities: [],
});

const deal = (id: string, companyId: string, extra: Partial<DealInput>): DealInput => ({
  id,
  companyId,
  subAreaId: 'critical-minerals',
  instrument: 'term_loan',
  amount: cents(100_000_000_00n),
  stage: 'approved',
  historicalDecisionRef: 'synthetic decision (ledger list test)',
  classification: 'incremental',
  openedOn: asIsoDate('2026-01-05'),
  team: [],
  source: 'synthetic (test)',
  synthetic: true,
  ...extra,
});

/** A deal's entries: a commitment, then draws, repayments, a cancellation (and marks for equity). */
function entriesOf(dealId: string, n: number, equity: boolean): LedgerEntryInput[] {
  const on = (month: number, day: number) =>
    asIsoDate(`2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  const entry = (i: number, kind: EntryKind, amount: bigint, month: number): LedgerEntryInput => ({
    clientKey: `ll-${dealId}-${i}`,
    dealId,
    kind,
    amount: cents(amount),
    effectiveOn: on(month, 1 + ((i * 7 + n) % 27)),
  });
  const list = [entry(0, 'commitment', 50_000_000_00n + BigInt(n) * 1_00n, 1)];
  for (let i = 1; i <= 8; i++) list.push(entry(i, 'draw', 1_000_000_00n + BigInt(i * 101 + n), 1 + i));
  for (let i = 9; i <= 11; i++) list.push(entry(i, 'repayment', 100_000_00n + BigInt(i * 13 + n), i));
  list.push(entry(12, 'cancellation', 2_000_000_00n + BigInt(n), 12));
  if (equity) {
    list.push(entry(13, 'valuation', 60_000_000_00n + BigInt(n), 11));
    list.push(entry(14, 'distribution', 300_000_00n + BigInt(n), 12));
  }
  return list;
}

describeOnBackends('ledger list', (backend) => {
  let f: ApiFixture;
  const recorded: LedgerEntryInput[] = [];
  const get = async (who: keyof ApiFixture['tokens'], url: string) => {
    const response = await f.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${f.tokens[who]}` },
    });
    const json = response.headers['content-type']?.toString().startsWith('application/json');
    return { status: response.statusCode, body: json ? response.json() : null, text: response.body };
  };
  const list = async (query: string) => {
    const { status, body } = await get('portfolio_manager', `/api/ledger-list?${query}`);
    expect(status, `${query}: ${JSON.stringify(body)}`).toBe(200);
    return body as {
      items: Entry[];
      total: number;
      kinds: Array<{ kind: EntryKind; entries: number; amountCents: string }>;
    };
  };
  /** The sums per kind of the recorded entries `keep` selects, computed here. */
  const expectedKinds = (keep: (e: LedgerEntryInput) => boolean) =>
    ENTRY_KINDS.map((kind) => {
      const of = recorded.filter((e) => keep(e) && e.kind === kind);
      return {
        kind,
        entries: of.length,
        amountCents: String(of.reduce((sum, e) => sum + (e.amount as bigint), 0n)),
      };
    });
  const dealOf: Record<string, { companyId: string; subAreaId: string }> = {
    'll-gallium': { companyId: 'll-ashby', subAreaId: 'critical-minerals' },
    'll-drydock': { companyId: 'll-ashby', subAreaId: 'shipbuilding' },
    'll-boron': { companyId: 'll-borax', subAreaId: 'critical-minerals' },
    // The fixture's own deal and its one commitment (test/api/helpers.ts).
    [`${SENTINEL}-0`]: { companyId: `${SENTINEL}-0-co`, subAreaId: 'munitions-missiles-hypersonics' },
  };

  beforeAll(async () => {
    f = await apiFixture(backend);
    recorded.push({
      clientKey: 'sentinel-commit',
      dealId: `${SENTINEL}-0`,
      kind: 'commitment',
      amount: cents(12_345_678_00n),
      effectiveOn: asIsoDate('2026-02-01'),
    });
    await addCompanies(f.keel, testAdmin, 'll-companies', [
      company('ll-ashby', 'Ashby Forge Works'),
      company('ll-borax', 'Borax Metals'),
    ]);
    await openDeals(f.keel, testAdmin, 'll-deals', [
      deal('ll-gallium', 'll-ashby', { name: 'Gallium recovery line' }),
      deal('ll-drydock', 'll-ashby', {
        name: 'Drydock expansion',
        subAreaId: 'shipbuilding',
        instrument: 'direct_equity',
      }),
      deal('ll-boron', 'll-borax', { name: 'Zinc refinery' }),
    ]);
    const ours = [
      ...entriesOf('ll-gallium', 1, false),
      ...entriesOf('ll-drydock', 2, true),
      ...entriesOf('ll-boron', 3, false),
    ];
    await recordLedgerEntries(f.keel, testAdmin, 'll-entries', ours);
    recorded.push(...ours);
  });
  afterAll(() => f?.close());

  it('pages the whole ledger newest first, with names, the total and the exact sum per kind', async () => {
    const first = await list('limit=10');
    expect(first.total).toBe(recorded.length);
    expect(first.items).toHaveLength(10);
    expect(first.kinds).toEqual(expectedKinds(() => true));
    const dates = first.items.map((e) => e.effectiveOn);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(first.items[0]!.recordedByName).toBeTruthy();
    expect(first.items[0]!.recordedByName).not.toMatch(/^\d+$/);
    // Every entry once across the pages, in the same order as one long page.
    const all = await list('limit=200');
    for (const e of all.items) expect(e, e.dealId).toMatchObject(dealOf[e.dealId]!);
    expect(all.items.find((e) => e.dealId === 'll-drydock')).toMatchObject({
      dealName: 'Drydock expansion',
      company: 'Ashby Forge Works',
    });
    const paged: Entry[] = [];
    for (let offset = 0; offset < recorded.length; offset += 7)
      paged.push(...(await list(`limit=7&offset=${offset}`)).items);
    expect(paged.map((e) => e.seq)).toEqual(all.items.map((e) => e.seq));
    expect(new Set(paged.map((e) => e.seq)).size).toBe(recorded.length);
    const beyond = await list(`offset=${recorded.length}`);
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(recorded.length);
  });

  it('filters by kinds, deal, company, sub-area, dates and words; the sums follow the filters', async () => {
    const cases: Array<[string, (e: LedgerEntryInput) => boolean]> = [
      ['kind=draw', (e) => e.kind === 'draw'],
      ['kind=repayment,cancellation', (e) => e.kind === 'repayment' || e.kind === 'cancellation'],
      ['dealId=ll-boron', (e) => e.dealId === 'll-boron'],
      ['companyId=ll-ashby', (e) => dealOf[e.dealId]!.companyId === 'll-ashby'],
      ['subAreaId=critical-minerals', (e) => dealOf[e.dealId]!.subAreaId === 'critical-minerals'],
      [
        'from=2026-03-01&to=2026-06-30',
        (e) => e.effectiveOn >= '2026-03-01' && e.effectiveOn <= '2026-06-30',
      ],
      ['from=2026-10-01', (e) => e.effectiveOn >= '2026-10-01'],
      ['to=2026-01-31', (e) => e.effectiveOn <= '2026-01-31'],
      ['q=gallium', (e) => e.dealId === 'll-gallium'],
      ['q=ASHBY', (e) => dealOf[e.dealId]!.companyId === 'll-ashby'], // a word of the company's name
      ['q=bor', (e) => e.dealId === 'll-boron'], // a prefix
      [
        'kind=draw&companyId=ll-ashby&from=2026-04-01',
        (e) =>
          e.kind === 'draw' && dealOf[e.dealId]!.companyId === 'll-ashby' && e.effectiveOn >= '2026-04-01',
      ],
      ['q=nothing-like-it', () => false],
      ["q=' OR 1=1 --", () => false], // SQL-ish words are words
      ['q=%25%3A*%20%7C%20!', () => false], // only punctuation: nothing searchable, so nothing matches
      ['q=%20%20', () => true], // only spaces: no words typed, so no filter
      ['dealId=ll-nowhere', () => false],
    ];
    for (const [query, keep] of cases) {
      const page = await list(`${query}&limit=200`);
      const expected = recorded.filter(keep);
      expect(page.total, query).toBe(expected.length);
      expect(page.kinds, query).toEqual(expectedKinds(keep));
      expect(page.items.map((e) => `${e.dealId}/${e.kind}/${e.amountCents}`).sort(), query).toEqual(
        expected.map((e) => `${e.dealId}/${e.kind}/${e.amount}`).sort(),
      );
    }
  });

  it('sorts by date, amount, recorded order, deal, company, kind and recorder, both ways', async () => {
    const asc = (xs: string[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const byNumber = (xs: string[]) => [...xs].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const column: Record<string, (e: Entry) => string> = {
      date: (e) => e.effectiveOn,
      deal: (e) => (e.dealName ?? e.company).toLowerCase(),
      company: (e) => e.company.toLowerCase(),
      kind: (e) => e.kind,
      recordedBy: (e) => e.recordedByName.toLowerCase(),
    };
    for (const [sort, value] of Object.entries(column)) {
      const up = (await list(`sort=${sort}&dir=asc&limit=200`)).items.map(value);
      expect(up, sort).toEqual(asc(up));
      const down = (await list(`sort=${sort}&dir=desc&limit=200`)).items.map(value);
      expect(down, sort).toEqual(asc(down).reverse());
    }
    for (const sort of ['amount', 'seq']) {
      const value = (e: Entry) => (sort === 'amount' ? e.amountCents : e.seq);
      const up = (await list(`sort=${sort}&dir=asc&limit=200`)).items.map(value);
      expect(up, sort).toEqual(byNumber(up));
      const down = (await list(`sort=${sort}&dir=desc&limit=200`)).items.map(value);
      expect(down, sort).toEqual(byNumber(down).reverse());
    }
    const biggest = await list('sort=amount&dir=desc&limit=1');
    const max = recorded.reduce((m, e) => ((e.amount as bigint) > m ? (e.amount as bigint) : m), 0n);
    expect(biggest.items[0]!.amountCents).toBe(String(max));
  });

  it('refuses the public side and roles without ledger.read', async () => {
    for (const role of [...ROLES, 'crossed_analyst'] as const) {
      const { status } = await get(role, '/api/ledger-list');
      const allowed = role !== 'crossed_analyst' && can({ id: 'x', role }, 'ledger.read');
      expect(status, role).toBe(allowed ? 200 : 403);
    }
    for (const role of ['research_analyst', 'council_member', 'crossed_analyst'] as const) {
      const { status, text } = await get(role, '/api/ledger-list?q=gallium');
      expect(status, role).toBe(403);
      expect(text).not.toContain('Gallium');
      expect(text).not.toContain(SENTINEL);
    }
  });

  it('refuses absurd input with a 400 that says why', async () => {
    for (const query of [
      'limit=10000',
      'limit=0',
      'offset=-1',
      'offset=99999999',
      'from=2026-02-30',
      'to=yesterday',
      'from=2026-06-01&to=2026-05-31',
      'kind=gift',
      'kind=draw,gift',
      'sort=colour',
      'dir=sideways',
      'dealId=NOT%20A%20SLUG',
      `q=${'x'.repeat(201)}`,
    ]) {
      const { status, body } = await get('portfolio_manager', `/api/ledger-list?${query}`);
      expect(status, query).toBe(400);
      expect(body.message, query).toBeTruthy();
    }
    const order = await get('portfolio_manager', '/api/ledger-list?from=2026-06-01&to=2026-05-31');
    expect(JSON.stringify(order.body)).toContain('from must not be after to');
  });

  it('saves the ledger list’s view (a saved-view page since migration 0031)', async () => {
    const saved = await f.app.inject({
      method: 'POST',
      url: '/api/saved-views',
      headers: { authorization: `Bearer ${f.tokens.portfolio_manager}`, 'idempotency-key': 'll-view' },
      payload: { page: 'ledger', name: 'Draws this spring', query: 'kind=draw&from=2026-03-01&sort=amount' },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const views = await get('portfolio_manager', '/api/saved-views?page=ledger');
    expect(views.body.items).toMatchObject([
      { page: 'ledger', name: 'Draws this spring', query: 'kind=draw&from=2026-03-01&sort=amount' },
    ]);
  });

  describe('export', () => {
    it('exports the filtered set of the ledger as CSV with the same filters', async () => {
      const { status, text } = await get(
        'portfolio_manager',
        '/api/exports/ledger?format=csv&kind=draw&dealId=ll-boron',
      );
      expect(status).toBe(200);
      const lines = text.trim().split('\n');
      expect(lines[0]).toContain('seq');
      expect(lines).toHaveLength(
        1 + recorded.filter((e) => e.kind === 'draw' && e.dealId === 'll-boron').length,
      );
      expect(lines.slice(1).every((line) => line.includes(',ll-boron,draw,'))).toBe(true);
      const whole = await get('portfolio_manager', '/api/exports/ledger?format=csv');
      expect(whole.text.trim().split('\n')).toHaveLength(1 + recorded.length);
      expect(
        (await get('portfolio_manager', '/api/exports/ledger?from=2026-06-01&to=2026-05-31')).status,
      ).toBe(400);
      expect((await get('portfolio_manager', '/api/exports/deals?kind=draw')).status).toBe(400);
      expect((await get('research_analyst', '/api/exports/ledger?kind=draw')).status).toBe(403);
    });
  });
});
