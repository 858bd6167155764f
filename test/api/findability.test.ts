/**
 * Findability over the API (issue 15): the deals list pages, sorts and filters on the server; the pipeline's
 * stage totals come from the server; global search finds a deal by a word of its name (a prefix, a
 * misspelling), and respects the information barrier: a research analyst finds nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addCompanies } from '../../src/app/companies.ts';
import { openDeals } from '../../src/app/deals.ts';
import { uploadDocument } from '../../src/app/documents.ts';
import { addOrganisations } from '../../src/app/network/organisations.ts';
import { addParticipation, setParticipationStatus } from '../../src/app/network/stacks.ts';
import { addPipelineNote } from '../../src/app/pipeline-notes.ts';
import type { DealInput } from '../../src/domain/deal.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import { cents } from '../../src/domain/money.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

describeOnBackends('findability', (backend) => {
  let f: ApiFixture;
  const get = async (who: keyof ApiFixture['tokens'], url: string) => {
    const response = await f.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${f.tokens[who]}` },
    });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    f = await apiFixture(backend);
    await addCompanies(f.keel, testAdmin, 'find-companies', [
      {
        id: 'find-perpetua',
        name: 'Perpetua Resources',
        usBased: true,
        existingClient: false,
        foreignControl: false,
        source: 'synthetic (test)',
        synthetic: true,
        facilities: [],
      },
    ]);
    const deal = (i: number, extra: Partial<DealInput> = {}): DealInput => ({
      id: `find-${String(i).padStart(3, '0')}`,
      companyId: 'find-perpetua',
      subAreaId: i % 2 ? 'critical-minerals' : 'shipbuilding',
      instrument: 'term_loan',
      amount: cents(BigInt(1_000_000_00 + i * 1_000_00)),
      stage: 'sourced',
      classification: 'incremental',
      openedOn: asIsoDate('2026-01-15'),
      team: i % 3 ? [] : ['bo'],
      source: 'synthetic (test)',
      synthetic: true,
      ...extra,
    });
    await openDeals(f.keel, testAdmin, 'find-deals', [
      deal(0, { name: 'Stibnite antimony smelter restart' }),
      ...Array.from({ length: 118 }, (_, i) => deal(i + 1, { name: `Plant expansion ${i + 1}` })),
      deal(119, { name: 'Fonderie électrique d’Alès' }),
    ]);
    await addOrganisations(f.keel, testAdmin, 'find-orgs', [
      {
        id: 'find-fund',
        name: 'Smelter Partners Fund',
        kind: 'fund',
        country: 'US',
        source: 'synthetic (test)',
      },
      {
        id: 'find-societe',
        name: 'Société Générale Minière',
        kind: 'bank',
        country: 'FR',
        source: 'synthetic (test)',
      },
      {
        id: 'find-bank',
        name: 'Harbour Merchant Bank',
        kind: 'bank',
        country: 'GB',
        source: 'synthetic (test)',
      },
    ]);
    // The fund stands in two deals and has committed to one of them.
    const part = (dealId: string, amount: bigint) => ({
      dealId,
      organisationId: 'find-fund',
      role: 'co_investor' as const,
      instrument: 'direct_equity' as const,
      amount: cents(amount),
      arrangedByBank: false,
      status: 'proposed' as const,
      source: 'synthetic (test)',
    });
    const first = await addParticipation(f.keel, testAdmin, 'find-part-1', part('find-001', 5_000_000_00n));
    await addParticipation(f.keel, testAdmin, 'find-part-2', part('find-002', 7_000_000_00n));
    await setParticipationStatus(f.keel, testAdmin, 'find-part-1-commit', first.result.id, {
      status: 'committed',
    });
  });
  afterAll(() => f?.close());

  it('search finds a deal by a word of its name, a prefix and a misspelling', async () => {
    for (const q of ['smelter', 'SMEL', 'antimony smelter', 'smeltr']) {
      const { status, body } = await get('banker', `/api/search?q=${encodeURIComponent(q)}`);
      expect(status, q).toBe(200);
      const deal = body.results.find((r: { kind: string }) => r.kind === 'deal');
      expect(deal, q).toMatchObject({ id: 'find-000', title: 'Stibnite antimony smelter restart' });
      expect(deal.subtitle).toContain('Perpetua Resources');
    }
    const { body } = await get('banker', '/api/search?q=smelter');
    expect(body.results.map((r: { kind: string; id: string }) => `${r.kind}:${r.id}`)).toContain(
      'organisation:find-fund',
    );
    expect((await get('banker', '/api/search?q=perpetua')).body.results).toContainEqual(
      expect.objectContaining({ kind: 'company', id: 'find-perpetua' }),
    );
  });

  it('the public side finds research nodes only: not the deal, its company, an organisation, a note or a document', async () => {
    for (const who of ['research_analyst', 'crossed_analyst', 'council_member'] as const) {
      for (const q of ['smelter', 'perpetua', 'tailings', 'feasibility', 'antimony']) {
        const { status, body } = await get(who, `/api/search?q=${q}`);
        expect(status).toBe(200);
        expect(
          body.results.filter((r: { kind: string }) => r.kind !== 'research'),
          `${who} ${q}`,
        ).toEqual([]);
      }
    }
    expect((await get('research_analyst', '/api/deal-list')).status).toBe(403);
    expect((await get('research_analyst', '/api/pipeline/stages')).status).toBe(403);
    expect((await get('banker', '/api/search?q=')).status).toBe(400);
  });

  it('search finds a note by a word of its text and a document by its title (its newest version once)', async () => {
    await addPipelineNote(f.keel, testAdmin, 'find-note', {
      subjectKind: 'deal',
      subjectId: 'find-000',
      bodyMarkdown: 'Site visit: the **tailings** dam needs a second survey before the committee.',
    });
    for (const version of [1, 2])
      await uploadDocument(f.keel, testAdmin, `find-doc-${version}`, {
        fields: { subjectKind: 'company', subjectId: 'find-perpetua', title: 'Bankable feasibility study' },
        filename: `bfs-v${version}.txt`,
        content: new TextEncoder().encode(`version ${version}`),
      });
    const note = (await get('banker', '/api/search?q=tailings')).body.results;
    expect(note).toEqual([
      expect.objectContaining({
        kind: 'note',
        title: 'Note on Stibnite antimony smelter restart',
        about: { kind: 'deal', id: 'find-000' },
      }),
    ]);
    expect(note[0].subtitle).toContain('tailings');
    const docs = (await get('portfolio_manager', '/api/search?q=feasib')).body.results;
    expect(docs).toEqual([
      expect.objectContaining({
        kind: 'document',
        title: 'Bankable feasibility study',
        subtitle: 'Perpetua Resources · bfs-v2.txt',
        about: { kind: 'company', id: 'find-perpetua' },
      }),
    ]);
  });

  it('search finds a research node by its name, for every role that reads research', async () => {
    for (const who of ['banker', 'research_analyst', 'council_member'] as const) {
      const { body } = await get(who, '/api/search?q=antimony');
      expect(body.results, who).toContainEqual(
        expect.objectContaining({
          kind: 'research',
          id: 'antimony',
          about: { kind: 'node', id: 'antimony' },
        }),
      );
    }
  });

  it('the company index pages, sorts by deals and amount, and finds by a word; the public side is refused', async () => {
    const byDeals = (await get('banker', '/api/company-list?sort=deals&dir=desc&limit=2')).body;
    // The sentinel's company (one deal) and Perpetua (120 deals): Perpetua first, its amounts summed exactly.
    expect(byDeals.total).toBeGreaterThanOrEqual(2);
    expect(byDeals.items[0]).toMatchObject({ id: 'find-perpetua', name: 'Perpetua Resources', deals: 120 });
    const expected = Array.from({ length: 120 }, (_, i) => 1_000_000_00n + BigInt(i) * 1_000_00n).reduce(
      (a, b) => a + b,
    );
    expect(byDeals.items[0].amountCents).toBe(String(expected));
    const found = (await get('banker', '/api/company-list?q=perpet')).body;
    expect(found.items.map((c: { id: string }) => c.id)).toEqual(['find-perpetua']);
    const second = (await get('banker', '/api/company-list?sort=name&dir=asc&limit=1&offset=1')).body;
    expect(second.items).toHaveLength(1);
    expect(second.offset).toBe(1);
    for (const who of ['research_analyst', 'crossed_analyst', 'council_member'] as const)
      expect((await get(who, '/api/company-list')).status, who).toBe(403);
    for (const bad of ['sort=ticker', 'limit=0', 'limit=201', 'offset=-1', 'dir=sideways'])
      expect((await get('banker', `/api/company-list?${bad}`)).status, bad).toBe(400);
  });

  it('the organisation index pages, sorts by deals and committed amount, filters by words, kind and country; the public side is refused', async () => {
    const byCommitted = (await get('banker', '/api/organisation-list?sort=committed&dir=desc&limit=1')).body;
    expect(byCommitted.total).toBeGreaterThanOrEqual(2);
    expect(byCommitted.items).toEqual([
      expect.objectContaining({
        id: 'find-fund',
        name: 'Smelter Partners Fund',
        deals: 2,
        committedCents: '500000000',
      }),
    ]);
    const banks = (await get('banker', '/api/organisation-list?kind=bank&country=GB')).body;
    expect(banks.items.map((o: { id: string }) => o.id)).toEqual(['find-bank']);
    expect(banks.items[0]).toMatchObject({ deals: 0, committedCents: '0' });
    const found = (await get('banker', '/api/organisation-list?q=harb')).body;
    expect(found.items.map((o: { id: string }) => o.id)).toEqual(['find-bank']);
    const second = (await get('banker', '/api/organisation-list?sort=name&limit=1&offset=1')).body;
    expect(second).toMatchObject({ offset: 1, limit: 1 });
    expect(second.items).toHaveLength(1);
    for (const who of ['research_analyst', 'crossed_analyst', 'council_member'] as const)
      expect((await get(who, '/api/organisation-list')).status, who).toBe(403);
    for (const bad of [
      'sort=id',
      'kind=pirate',
      'country=usa',
      'limit=201',
      'offset=-1',
      `q=${'x'.repeat(201)}`,
    ])
      expect((await get('banker', `/api/organisation-list?${bad}`)).status, bad).toBe(400);
  });

  it('the deal, company and organisation lists also find a name by a misspelt word (trigram word similarity)', async () => {
    const deals = (await get('banker', '/api/deal-list?q=stibnte&limit=5')).body;
    expect(deals.items.map((d: { name: string }) => d.name)).toContain('Stibnite antimony smelter restart');
    const companies = (await get('banker', '/api/company-list?q=perpetau')).body;
    expect(companies.items.map((c: { id: string }) => c.id)).toEqual(['find-perpetua']);
    const organisations = (await get('banker', '/api/organisation-list?q=harbout')).body;
    expect(organisations.items.map((o: { id: string }) => o.id)).toEqual(['find-bank']);
    // A word like no name matches nothing.
    expect((await get('banker', '/api/deal-list?q=zzqqxx')).body.total).toBe(0);
  });

  it('a name typed in full comes first, before names only similar to it, whatever the sort', async () => {
    // 118 "Plant expansion n" names are a few trigrams apart: all match by similarity, the typed one first.
    const byName = (await get('banker', '/api/deal-list?q=Plant%20expansion%2097&sort=name&dir=asc&limit=5'))
      .body;
    expect(byName.items[0].name).toBe('Plant expansion 97');
    const byAmount = (await get('banker', '/api/deal-list?q=plant%20expansion%2097&limit=5')).body;
    expect(byAmount.items[0].name).toBe('Plant expansion 97');
    const companies = (await get('banker', '/api/company-list?q=perpetua%20resources&sort=deals')).body;
    expect(companies.items[0].id).toBe('find-perpetua');
    const organisations = (await get('banker', '/api/organisation-list?q=harbour%20merchant&sort=country'))
      .body;
    expect(organisations.items[0].id).toBe('find-bank');
  });

  it('names are found with or without their accents, typed either way (composed or not)', async () => {
    for (const q of ['societe generale', 'Société', 'SOCIETE', 'socie\u0301te\u0301', 'minier']) {
      const organisations = (await get('banker', `/api/organisation-list?q=${encodeURIComponent(q)}`)).body;
      expect(
        organisations.items.map((o: { id: string }) => o.id),
        q,
      ).toEqual(['find-societe']);
      const found = (await get('banker', `/api/search?q=${encodeURIComponent(q)}`)).body.results;
      expect(found, q).toContainEqual(expect.objectContaining({ kind: 'organisation', id: 'find-societe' }));
    }
    for (const q of ['electrique', 'Électrique', 'ales', 'electriqe']) {
      const deals = (await get('banker', `/api/deal-list?q=${encodeURIComponent(q)}`)).body;
      expect(
        deals.items.map((d: { id: string }) => d.id),
        q,
      ).toEqual(['find-119']);
    }
    // An accent typed where the name has none.
    const harbour = (await get('banker', `/api/organisation-list?q=${encodeURIComponent('Hárbour')}`)).body;
    expect(harbour.items.map((o: { id: string }) => o.id)).toEqual(['find-bank']);
  });

  it('words with nothing searchable in them (%, _, brackets, an emoji) match nothing in every list, not everything', async () => {
    for (const q of ['%25', '_', '(((', '%F0%9F%98%80'])
      for (const list of ['deal-list', 'company-list', 'organisation-list', 'ledger-list']) {
        const { status, body } = await get('banker', `/api/${list}?q=${q}`);
        expect(status, `${list} ${q}`).toBe(200);
        expect(body.total, `${list} ${q}`).toBe(0);
      }
    // Blank words are no filter at all.
    expect((await get('banker', '/api/deal-list?q=%20')).body.total).toBe(121);
  });

  it('the deals list pages, sorts and filters on the server', async () => {
    const first = await get('banker', '/api/deal-list?sort=amount&dir=desc&limit=25');
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(121); // 120 here and the fixture's sentinel deal
    expect(first.body.items).toHaveLength(25);
    expect(first.body.items[0]).toMatchObject({
      id: 'find-119',
      amountCents: '111900000',
      company: 'Perpetua Resources',
    });
    const amounts = first.body.items.map((d: { amountCents: string }) => BigInt(d.amountCents));
    expect([...amounts].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(amounts);
    const second = await get('banker', '/api/deal-list?sort=amount&dir=desc&limit=25&offset=25');
    expect(second.body.items[0].id).toBe('find-094');

    const byName = await get('banker', '/api/deal-list?sort=name&dir=asc&limit=3&q=plant');
    expect(byName.body.total).toBe(118);
    expect(byName.body.items.map((d: { name: string }) => d.name)).toEqual([
      'Plant expansion 1',
      'Plant expansion 10',
      'Plant expansion 100',
    ]);
    const filtered = await get('banker', '/api/deal-list?subAreaId=shipbuilding&banker=bo&limit=200');
    expect(filtered.body.total).toBe(20); // even i, multiple of 3: 0, 6, …, 114
    expect(
      filtered.body.items.every(
        (d: { subAreaId: string; team: string[] }) => d.subAreaId === 'shipbuilding' && d.team.includes('bo'),
      ),
    ).toBe(true);
    const ended = await get('banker', '/api/deal-list?stage=exited,declined,withdrawn');
    expect(ended.body.total).toBe(0);
    const lending = await get('banker', '/api/deal-list?pipeline=equity&q=plant');
    expect(lending.body.total).toBe(0);
    expect((await get('banker', '/api/deal-list?sort=colour')).status).toBe(400);
    expect((await get('banker', '/api/deal-list?stage=sourced,nowhere')).status).toBe(400);
    expect((await get('banker', '/api/deal-list?limit=1000')).status).toBe(400);
  });

  it('the board’s stage totals come from the server, for every stage', async () => {
    const { status, body } = await get('banker', '/api/pipeline/stages?q=find');
    expect(status).toBe(200);
    expect(body.stages.map((s: { stage: string }) => s.stage)[0]).toBe('sourced');
    const sourced = body.stages.find((s: { stage: string }) => s.stage === 'sourced');
    // 120 deals of $1,000,000 + i × $1,000: $120M + $7.14M.
    expect(sourced).toEqual({
      stage: 'sourced',
      deals: 120,
      amountCents: String(120n * 100_000_000n + 7_140n * 100_000n),
    });
    expect(body.stages.find((s: { stage: string }) => s.stage === 'exited')).toEqual({
      stage: 'exited',
      deals: 0,
      amountCents: '0',
    });
  });
});
