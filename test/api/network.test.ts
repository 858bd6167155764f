/**
 * POST /api/network/relationships and GET /api/network/organisations/:id: relationships added through the API
 * show in the organisation's neighbourhood; both answers read back through the routes' response schemas.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  addOrganisationsResponse,
  addRelationshipsResponse,
  organisationNeighbourhoodResponse,
} from '../../src/api/responses/network.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

describeOnBackends('network API', (backend) => {
  let f: ApiFixture;
  const post = (url: string, key: string, payload: object) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${f.tokens.banker}`, 'idempotency-key': key },
      payload,
    });
  beforeAll(async () => {
    f = await apiFixture(backend);
    const added = await post('/api/network/organisations', 'net-orgs', {
      organisations: [
        { id: 'net-fund', name: 'Example Fund', kind: 'fund', country: 'US', source: 'synthetic (test)' },
        {
          id: 'net-miner',
          name: 'Example Miner',
          kind: 'company',
          country: 'CA',
          source: 'synthetic (test)',
        },
      ],
    });
    expect(added.statusCode).toBe(200);
    expect(addOrganisationsResponse.parse(added.json()).result).toEqual({ added: 2 });
  });
  afterAll(() => f.close());

  it('adds relationships all at once and answers {result, replayed}; a replay adds nothing', async () => {
    const body = {
      relationships: [
        {
          kind: 'client_of',
          fromOrganisation: 'net-miner',
          toOrganisation: 'net-fund',
          businessLine: 'asset_management',
          source: 'synthetic (test)',
        },
        {
          kind: 'ownership_stake',
          fromOrganisation: 'net-fund',
          toOrganisation: 'net-miner',
          percent: 12.5,
          since: '2025-06-30',
          source: 'synthetic (test)',
        },
      ],
    };
    const first = await post('/api/network/relationships', 'net-rels', body);
    expect(first.statusCode).toBe(200);
    expect(addRelationshipsResponse.parse(first.json())).toEqual({ result: { added: 2 }, replayed: false });
    const again = await post('/api/network/relationships', 'net-rels', body);
    expect(addRelationshipsResponse.parse(again.json())).toEqual({ result: { added: 2 }, replayed: true });
  });

  it("shows an organisation's neighbourhood with the relationships on either side", async () => {
    const res = await f.app.inject({
      method: 'GET',
      url: '/api/network/organisations/net-fund',
      headers: { authorization: `Bearer ${f.tokens.portfolio_manager}` },
    });
    expect(res.statusCode).toBe(200);
    const body = organisationNeighbourhoodResponse.parse(res.json());
    expect(body.centre).toMatchObject({ id: 'net-fund', name: 'Example Fund', kind: 'fund', country: 'US' });
    expect(body.organisations.map((o) => o.id).sort()).toEqual(['net-fund', 'net-miner']);
    expect(body.relationships.map((r) => [r.kind, r.from, r.to, r.percent]).sort()).toEqual([
      ['client_of', 'net-miner', 'net-fund', null],
      ['ownership_stake', 'net-fund', 'net-miner', 12.5],
    ]);
    expect(body.participations).toEqual([]);
  });

  it('answers 404 for an organisation that does not exist', async () => {
    const res = await f.app.inject({
      method: 'GET',
      url: '/api/network/organisations/no-such-org',
      headers: { authorization: `Bearer ${f.tokens.portfolio_manager}` },
    });
    expect(res.statusCode).toBe(404);
  });
});
