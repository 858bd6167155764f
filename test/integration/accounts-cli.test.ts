/**
 * Accounts from the command line, through the real `keel` child process: `keel token list` and `keel token
 * revoke`, `keel user disable` (sessions and tokens end) and `enable`, `keel user role` with four eyes, and the password
 * rules on `keel user add`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser, createApiToken, login, resolveApiToken, resolveSession } from '../../src/app/auth.ts';
import { requestRoleChange } from '../../src/app/role-changes.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';

const PASSWORD = 'correct horse battery staple';

describeOnBackends('accounts from the CLI', (backend) => {
  let keel: TestKeel;
  let tokens: { keep: { id: string; token: string }; revoke: { id: string; token: string } };
  let leaverToken: string;
  let leaverSession: string;

  beforeAll(async () => {
    keel = await freshKeel(backend);
    for (const id of ['analyst', 'leaver'])
      await addUser(keel, testAdmin, {
        id,
        email: `${id}@example.org`,
        name: id,
        role: 'research_analyst',
        password: PASSWORD,
      });
    const analyst = { id: 'analyst', role: 'research_analyst' } as const;
    tokens = {
      keep: await createApiToken(keel, analyst, { name: 'keep', scope: 'read' }),
      revoke: await createApiToken(keel, analyst, { name: 'revoke-me', scope: 'write' }),
    };
    leaverToken = (
      await createApiToken(
        keel,
        { id: 'leaver', role: 'research_analyst' },
        { name: 'laptop', scope: 'write' },
      )
    ).token;
    leaverSession = (await login(keel, { email: 'leaver@example.org', password: PASSWORD })).token;
    // A role change asked for by another admin, for the CLI operator to approve.
    await requestRoleChange(keel, testAdmin, 'role-for-cli', 'analyst', {
      role: 'sector_specialist',
      reason: 'joins the sector team',
    });
    await keel.closeConnection();
  });
  afterAll(async () => {
    keel = await keel.reopen();
    await keel.close();
  });

  it('keel token list shows ids, users and scopes, never secrets; keel token revoke ends one token', async () => {
    const list = await runKeel(['token', 'list', '--user', 'analyst'], keel.env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(tokens.keep.id);
    expect(list.stdout).toContain(tokens.revoke.id);
    expect(list.stdout).toMatch(/revoke-me\s+write/);
    expect(list.stdout).not.toContain('keel_');
    expect(list.stdout).not.toContain('leaver');

    const revoke = await runKeel(['token', 'revoke', tokens.revoke.id], keel.env);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toMatch(`revoked token ${tokens.revoke.id}`);
    const bad = await runKeel(['token', 'revoke', 'not-a-token'], keel.env);
    expect(bad.code).toBe(2);
  });

  it('keel user disable ends the sessions and revokes the tokens of the user', async () => {
    const disable = await runKeel(['user', 'disable', 'leaver'], keel.env);
    expect(disable.code, disable.stderr).toBe(0);
    expect(disable.stdout).toMatch(
      /disabled user leaver: 1 session ended, 1 API token revoked, 0 open jobs cancelled/,
    );
    // Enabled again (a return from leave): the account signs in; its revoked token stays revoked.
    const enable = await runKeel(['user', 'enable', 'leaver'], keel.env);
    expect(enable.code, enable.stderr).toBe(0);
    expect(enable.stdout).toMatch(
      /enabled user leaver \(\w+\): they sign in again; their old API tokens stay revoked/,
    );
    const again = await runKeel(['user', 'enable', 'leaver'], keel.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/leaver is not disabled/);
    // And disabled again, for what the last test checks.
    expect((await runKeel(['user', 'disable', 'leaver'], keel.env)).code).toBe(0);
  });

  it('keel user role: the operator approves another admin’s request, but never their own', async () => {
    const approve = await runKeel(['user', 'role', 'approve', '1'], keel.env);
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.stdout).toMatch(/role change 1 approved: analyst research_analyst → sector_specialist/);

    const own = await runKeel(
      ['user', 'role', 'request', 'analyst', 'auditor', '--reason', 'moves to internal audit'],
      keel.env,
    );
    expect(own.code, own.stderr).toBe(0);
    const self = await runKeel(['user', 'role', 'approve', '2'], keel.env);
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/another person must approve it/);
    const list = await runKeel(['user', 'role', 'list'], keel.env);
    expect(list.stdout).toMatch(/2\s+analyst\s+sector_specialist\s+auditor\s+requested/);
  });

  it('keel user add refuses a short or common password and an email taken in another case', async () => {
    const short = await runKeel(['user', 'add', 'weak', 'weak@example.org', 'auditor'], {
      ...keel.env,
      KEEL_PASSWORD: 'aaaaaaaaaaaa',
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/password: must be at least 15 characters/);
    const common = await runKeel(['user', 'add', 'weak', 'weak@example.org', 'auditor'], {
      ...keel.env,
      KEEL_PASSWORD: 'passwordpassword',
    });
    expect(common.code).toBe(2);
    expect(common.stderr).toMatch(/commonly used/);
    const clash = await runKeel(['user', 'add', 'analyst2', 'ANALYST@example.org', 'auditor'], {
      ...keel.env,
      KEEL_PASSWORD: PASSWORD,
    });
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/already exists/);
  });

  it('what the CLI did is in force', async () => {
    keel = await keel.reopen();
    try {
      expect(await resolveApiToken(keel, tokens.revoke.token)).toBeNull();
      expect(await resolveApiToken(keel, tokens.keep.token)).toMatchObject({ role: 'sector_specialist' });
      expect(await resolveApiToken(keel, leaverToken)).toBeNull();
      expect(await resolveSession(keel, leaverSession)).toBeNull();
      await expect(login(keel, { email: 'leaver@example.org', password: PASSWORD })).rejects.toMatchObject({
        code: 'unauthenticated',
      });
    } finally {
      await keel.closeConnection();
    }
  });
});
