/**
 * Attacks on the idempotency keys, through HTTP. Keys the server makes for itself (`token:revoke:<id>`,
 * `user:add:<id>`) were predictable and shared one namespace with clients' keys, so anyone could claim one
 * first and block the operation; and a key was shared across principals, so replaying an admin's key
 * returned the admin's stored response, holdings included, to the public side.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser } from '../../src/app/auth.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture, SENTINEL } from './helpers.ts';

const SCENARIO_RUNS = '/api/research/scenarios/antimony-export-ban/runs';

describeOnBackends('idempotency keys belong to a principal', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await apiFixture(backend);
  });
  afterAll(() => f.close());

  const inject = (
    token: string,
    method: 'POST' | 'DELETE' | 'GET',
    url: string,
    key?: string,
    payload?: object,
  ) =>
    f.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
      ...(payload ? { payload } : {}),
    });

  it("a council member who sends a server key's text cannot stop a token from being revoked", async () => {
    const created = await inject(f.tokens.banker, 'POST', '/api/tokens', 'banker-token', {
      name: 'laptop',
      scope: 'write',
    });
    expect(created.statusCode).toBe(200);
    const { id, token } = created.json().result;
    // The council may call one write: a scenario run. Its key is the text the server used for the revoke.
    const claim = await inject(f.tokens.council_member, 'POST', SCENARIO_RUNS, `token:revoke:${id}`);
    expect(claim.statusCode).toBe(200);

    const revoked = await inject(f.tokens.banker, 'DELETE', `/api/tokens/${id}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().result).toEqual({ id, revoked: true });
    expect((await inject(token, 'GET', '/api/me')).statusCode).toBe(401);
    // Revoking again, by the owner or an admin, is the same operation: answered, not refused.
    expect((await inject(f.tokens.admin, 'DELETE', `/api/tokens/${id}`)).statusCode).toBe(200);
  });

  it("a council member who sends a server key's text cannot stop a user from being added", async () => {
    for (const id of ['newcomer', 'cli-newcomer']) {
      const claim = await inject(f.tokens.council_member, 'POST', SCENARIO_RUNS, `user:add:${id}`);
      expect(claim.statusCode).toBe(200);
    }
    const added = await inject(f.tokens.admin, 'POST', '/api/users', 'add-newcomer', {
      id: 'newcomer',
      email: 'newcomer@example.org',
      name: 'Newcomer',
      role: 'banker',
      password: 'a sufficiently long password',
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().result).toEqual({ id: 'newcomer', role: 'banker' });
    // The command line adds users without a client key: its key is the server's own, out of a client's reach.
    const cli = await addUser(f.keel, testAdmin, {
      id: 'cli-newcomer',
      email: 'cli-newcomer@example.org',
      name: 'Newcomer',
      role: 'auditor',
      password: 'a sufficiently long password',
    });
    expect(cli).toEqual({ result: { id: 'cli-newcomer', role: 'auditor' }, replayed: false });
  });

  it("replaying an admin's scenario-run key gives the analyst and the council their own run, without holdings", async () => {
    const admin = await inject(f.tokens.admin, 'POST', SCENARIO_RUNS, 'run-1');
    expect(admin.statusCode).toBe(200);
    expect(admin.json().result.includesHoldings).toBe(true);
    expect(admin.body).toContain(SENTINEL);

    const runIds = new Set([admin.json().result.runId]);
    for (const who of ['research_analyst', 'council_member'] as const) {
      const replay = await inject(f.tokens[who], 'POST', SCENARIO_RUNS, 'run-1');
      expect(replay.statusCode, replay.body).toBe(200);
      const run = replay.json().result;
      expect(run.includesHoldings).toBe(false);
      expect(replay.body.toLowerCase()).not.toContain(SENTINEL);
      expect(run.result.capitalAtRiskCents).toBe('0');
      expect(runIds.has(run.runId)).toBe(false);
      runIds.add(run.runId);
      // Their own replay of their own key is still a replay.
      const again = await inject(f.tokens[who], 'POST', SCENARIO_RUNS, 'run-1');
      expect(again.json().result.runId).toBe(run.runId);
    }
  });

  it('a reused key is refused naming only the caller’s own earlier request', async () => {
    const note = {
      title: 'Gallium',
      bodyMarkdown: 'Supply is **concentrated**.',
      subjectKind: 'node',
      subjectId: 'gallium',
    };
    expect((await inject(f.tokens.admin, 'POST', '/api/research/notes', 'mixed-1', note)).statusCode).toBe(
      200,
    );
    const own = await inject(f.tokens.research_analyst, 'POST', SCENARIO_RUNS, 'mixed-1');
    expect(own.statusCode).toBe(200);
    const reused = await inject(f.tokens.research_analyst, 'POST', '/api/research/notes', 'mixed-1', note);
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error).toBe('idempotency_key_reused');
    expect(reused.json().message).toContain('research.scenario.run');
    expect(reused.json().message).not.toMatch(/research\.note|admin/);
  });

  it("a ledger key already taken is refused without a word about the other principal's entry", async () => {
    const entry = { dealId: f.sentinelDeal, kind: 'valuation', amount: '2.00', effectiveOn: '2026-06-30' };
    const first = await inject(f.tokens.portfolio_manager, 'POST', '/api/ledger', 'wire-77', entry);
    expect(first.statusCode, first.body).toBe(200);
    const again = await inject(f.tokens.admin, 'POST', '/api/ledger', 'wire-77', {
      ...entry,
      amount: '3.00',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toBe('duplicate_key');
    expect(again.json().message).not.toMatch(/portfolio-manager|2\.00|200|valuation|idempotency/);
  });

  it('the ledger key of an arranged commitment cannot be claimed first by a ledger writer', async () => {
    const org = {
      id: 'arranger-fund',
      name: 'Arranger Fund',
      kind: 'fund',
      country: 'US',
      source: 'synthetic (test)',
    };
    const orgs = await inject(f.tokens.admin, 'POST', '/api/network/organisations', 'orgs-1', {
      organisations: [org],
    });
    expect(orgs.statusCode, orgs.body).toBe(200);
    const added = await inject(f.tokens.banker, 'POST', '/api/participations', 'part-1', {
      dealId: f.sentinelDeal,
      organisationId: org.id,
      role: 'syndicate_member',
      instrument: 'syndicated_loan',
      amount: '1000.00',
      arrangedByBank: true,
      source: 'synthetic (test)',
    });
    expect(added.statusCode, added.body).toBe(200);
    const id = added.json().result.id;
    for (const suffix of ['commitment', 'cancellation']) {
      const claim = await inject(f.tokens.portfolio_manager, 'POST', '/api/ledger', `stack:${id}:${suffix}`, {
        dealId: f.sentinelDeal,
        kind: 'valuation',
        amount: '1.00',
        effectiveOn: '2026-07-31',
      });
      expect(claim.statusCode, claim.body).toBe(200);
    }
    for (const status of ['committed', 'declined']) {
      const moved = await inject(
        f.tokens.admin,
        'POST',
        `/api/participations/${id}/status`,
        `part-1-${status}`,
        {
          status,
          effectiveOn: '2026-08-01',
        },
      );
      expect(moved.statusCode, moved.body).toBe(200);
    }
  });
});
