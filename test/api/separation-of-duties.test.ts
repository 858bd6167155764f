/**
 * Four eyes through HTTP: the risk & compliance officer who asked for a wall-crossing cannot approve it, and a
 * user's role changes only when an admin other than the requester (and other than the user) approves.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/app/auth.ts';
import type { Role } from '../../src/domain/roles.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';
import { type ApiFixture, apiFixture, PASSWORD } from './helpers.ts';

describeOnBackends('separation of duties', (backend) => {
  let f: ApiFixture;
  /** A second person per role, for the approvals that must come from someone else. */
  const second = {} as Record<'admin' | 'risk_compliance', string>;

  beforeAll(async () => {
    f = await apiFixture(backend);
    for (const role of ['admin', 'risk_compliance'] as const) {
      const id = `${role.replaceAll('_', '-')}-2`;
      await addUser(f.keel, testAdmin, {
        id,
        email: `${id}@example.org`,
        name: id,
        role,
        password: PASSWORD,
      });
      second[role] = (await createApiToken(f.keel, { id, role }, { name: 'test', scope: 'write' })).token;
    }
  });
  afterAll(() => f.close());

  const post = (token: string, url: string, key: string, payload: object) =>
    f.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
      payload,
    });

  it('the risk & compliance officer who requested a wall-crossing cannot approve it', async () => {
    const requested = await post(f.tokens.risk_compliance, '/api/wall-crossings', 'self-cross', {
      userId: 'research-analyst',
      dealId: f.sentinelDeal,
      reason: 'sector note on hypersonics valuations',
    });
    expect(requested.statusCode, requested.body).toBe(200);
    const id = requested.json().result.id;
    const self = await post(f.tokens.risk_compliance, `/api/wall-crossings/${id}/decision`, 'self-ok', {
      decision: 'approve',
      days: 3,
    });
    expect(self.statusCode, self.body).toBe(403);
    expect(self.json()).toMatchObject({
      error: 'separation_of_duties',
      message: expect.stringMatching(/requested by risk-compliance; another person must approve it/),
    });
    // Still requested, and the analyst still cannot see the deal.
    const deal = await f.app.inject({
      method: 'GET',
      url: `/api/deals/${f.sentinelDeal}`,
      headers: { authorization: `Bearer ${f.tokens.research_analyst}` },
    });
    expect(deal.statusCode).toBe(403);
    const other = await post(second.risk_compliance, `/api/wall-crossings/${id}/decision`, 'other-ok', {
      decision: 'approve',
      days: 3,
    });
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json().result.status).toBe('approved');
  });

  const role = async (token: string) =>
    (
      await f.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } })
    ).json().user.role as Role;

  it("a role change needs a second admin: the requester's approval is refused and changes nothing", async () => {
    const requested = await post(f.tokens.admin, '/api/users/auditor/role', 'role-1', {
      role: 'risk_compliance',
      reason: 'moves to the compliance team',
    });
    expect(requested.statusCode, requested.body).toBe(200);
    expect(requested.json().result).toMatchObject({
      from: 'auditor',
      to: 'risk_compliance',
      status: 'requested',
    });
    expect(await role(f.tokens.auditor)).toBe('auditor');

    const id = requested.json().result.id;
    const self = await post(f.tokens.admin, `/api/role-changes/${id}/decision`, 'role-1-self', {
      decision: 'approve',
    });
    expect(self.statusCode, self.body).toBe(403);
    expect(self.json().error).toBe('separation_of_duties');
    expect(await role(f.tokens.auditor)).toBe('auditor');

    // A non-admin cannot approve either.
    const banker = await post(f.tokens.banker, `/api/role-changes/${id}/decision`, 'role-1-banker', {
      decision: 'approve',
    });
    expect(banker.statusCode).toBe(403);

    const other = await post(second.admin, `/api/role-changes/${id}/decision`, 'role-1-other', {
      decision: 'approve',
    });
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json().result.status).toBe('approved');
    expect(await role(f.tokens.auditor)).toBe('risk_compliance');

    const again = await post(second.admin, `/api/role-changes/${id}/decision`, 'role-1-again', {
      decision: 'deny',
    });
    expect(again.statusCode).toBe(422);
    expect(again.json().error).toBe('invalid_role_change');

    const list = await f.app.inject({
      method: 'GET',
      url: '/api/role-changes',
      headers: { authorization: `Bearer ${f.tokens.admin}` },
    });
    expect(list.json().items[0]).toMatchObject({
      requestedBy: 'admin',
      decidedBy: 'admin-2',
      status: 'approved',
    });
    const audit = await f.keel.database.db
      .selectFrom('audit_log')
      .select('body')
      .where('body', 'like', '%user.role.%')
      .execute();
    expect(audit.map((r) => JSON.parse(r.body).action)).toEqual(['user.role.request', 'user.role.approve']);
  });

  it('an admin cannot approve a change of their own role, and a read token cannot ask for one', async () => {
    const requested = await post(second.admin, '/api/users/admin/role', 'role-2', {
      role: 'auditor',
      reason: 'leaves the platform team',
    });
    expect(requested.statusCode, requested.body).toBe(200);
    const own = await post(
      f.tokens.admin,
      `/api/role-changes/${requested.json().result.id}/decision`,
      'role-2-own',
      {
        decision: 'approve',
      },
    );
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({
      error: 'separation_of_duties',
      message: expect.stringMatching(/your own role/),
    });
    expect(await role(f.tokens.admin)).toBe('admin');
    // The requester may withdraw (deny) their own request: that grants nothing.
    const withdrawn = await post(
      second.admin,
      `/api/role-changes/${requested.json().result.id}/decision`,
      'role-2-no',
      {
        decision: 'deny',
      },
    );
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);

    const readToken = (
      await createApiToken(f.keel, { id: 'admin', role: 'admin' }, { name: 'ro', scope: 'read' })
    ).token;
    const viaRead = await post(readToken, '/api/users/banker/role', 'role-3', {
      role: 'admin',
      reason: 'should never get through',
    });
    expect(viaRead.statusCode).toBe(403);
  });
});
