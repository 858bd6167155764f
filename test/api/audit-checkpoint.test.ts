/**
 * POST /api/audit/checkpoints: the audit log page's "Sign a checkpoint" (issue 15: audit checkpoints were
 * taken only from the command line). Who may sign, what the same request does twice, and that the signed
 * head is the one `keel audit verify` then checks against.
 */
import { chmodSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkpointAuditResponse } from '../../src/api/responses/audit.ts';
import { buildServer } from '../../src/api/server.ts';
import { createApiToken } from '../../src/app/auth.ts';
import { describeOnBackends } from '../integration/backends.ts';
import { type ApiFixture, apiFixture } from './helpers.ts';

describeOnBackends('audit checkpoints API', (backend) => {
  let f: ApiFixture;
  let app: FastifyInstance;
  const sign = (token: string, key: string) =>
    app.inject({
      method: 'POST',
      url: '/api/audit/checkpoints',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
    });
  const stored = async () =>
    Number(
      (
        await f.keel.database.db
          .selectFrom('audit_checkpoints')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    // Its server has an audit key beside its data, as `keel serve` finds one (created on first use).
    f = await apiFixture(backend);
    app = f.app;
  });
  afterAll(() => f.close());

  it('signs the verified head for an admin or a risk & compliance officer; verify checks against it', async () => {
    const first = await sign(f.tokens.risk_compliance, 'cp-1');
    expect(first.statusCode, first.body).toBe(200);
    const signed = checkpointAuditResponse.parse(first.json());
    expect(signed.replayed).toBe(false);
    expect(signed.result).toMatchObject({ kind: 'keel-audit-checkpoint', version: 1 });
    expect(BigInt(signed.result.seq)).toBeGreaterThan(0n);
    const verify = await app.inject({
      method: 'GET',
      url: '/api/audit/verify',
      headers: { authorization: `Bearer ${f.tokens.auditor}` },
    });
    expect(verify.json()).toMatchObject({ ok: true, checkpoint: { seq: signed.result.seq } });
    const byAdmin = await sign(f.tokens.admin, 'cp-admin');
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    // The first checkpoint's own audit row came after the head it signed: the next head is further on.
    expect(BigInt(byAdmin.json().result.seq)).toBeGreaterThan(BigInt(signed.result.seq));
  });

  it('answers the same request twice with the checkpoint already signed, and signs nothing twice', async () => {
    const before = await stored();
    const first = await sign(f.tokens.admin, 'cp-twice');
    const again = await sign(f.tokens.admin, 'cp-twice');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    expect(await stored()).toBe(before + 1);
    // The same key from another person is theirs: a checkpoint of their own, not the first one's answer.
    const other = await sign(f.tokens.risk_compliance, 'cp-twice');
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json().replayed).toBe(false);
    expect(await stored()).toBe(before + 2);
  });

  it('refuses every other role, a read-scoped token and a request without a key, and signs nothing', async () => {
    const before = await stored();
    for (const role of [
      'auditor',
      'banker',
      'portfolio_manager',
      'research_analyst',
      'council_member',
    ] as const) {
      const refused = await sign(f.tokens[role], `cp-${role}`);
      expect(refused.statusCode, role).toBe(403);
    }
    const { token: readOnly } = await createApiToken(
      f.keel,
      { id: 'admin', role: 'admin' },
      { name: 'read', scope: 'read' },
    );
    expect((await sign(readOnly, 'cp-read')).statusCode).toBe(403);
    const keyless = await app.inject({
      method: 'POST',
      url: '/api/audit/checkpoints',
      headers: { authorization: `Bearer ${f.tokens.admin}` },
    });
    expect(keyless.statusCode).toBe(400);
    expect(keyless.json().message).toContain('idempotency-key');
    expect(await stored()).toBe(before);
  });

  it('signs once for two simultaneous submits of one request', async () => {
    const before = await stored();
    const [a, b] = await Promise.all([sign(f.tokens.admin, 'cp-race'), sign(f.tokens.admin, 'cp-race')]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json().result).toEqual(b.json().result);
    expect(await stored()).toBe(before + 1);
  });

  // Found by the fresh-eyes attack: the key file's refusals named its path, now shown in a browser.
  it('refuses a key file other users can read, naming the file but not the server folder it is in', async () => {
    const file = f.keel.config.auditKeyFile!;
    expect((await sign(f.tokens.admin, 'cp-before-chmod')).statusCode).toBe(200);
    chmodSync(file, 0o644);
    try {
      const refused = await sign(f.tokens.admin, 'cp-shared-key');
      expect(refused.statusCode).toBe(503);
      expect(refused.json().message).toContain(
        `the audit key file ${basename(file)} (KEEL_AUDIT_KEY) can be read by other users`,
      );
      expect(refused.body).not.toContain(dirname(file));
    } finally {
      chmodSync(file, 0o600);
    }
  });

  it('says so when the server has no audit key configured', async () => {
    const keyless = await buildServer({ ...f.keel, auditKeyFile: undefined });
    const refused = await keyless.inject({
      method: 'POST',
      url: '/api/audit/checkpoints',
      headers: { authorization: `Bearer ${f.tokens.admin}`, 'idempotency-key': 'cp-nokey' },
    });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ error: 'no_audit_key' });
    await keyless.close();
  });
});
