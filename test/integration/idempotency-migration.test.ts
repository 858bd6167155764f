/**
 * Migration 0013 keeps every old idempotency key and gives it an owner: the keys the server made go to the
 * server's namespace, a client's key to the principal its audit entry names, an unattributable one to
 * `legacy`. An old client key that copied a server key's text (the attack) lands with its sender, where it
 * blocks nothing.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initKeel } from '../../src/app/init.ts';
import { appendAudit } from '../../src/db/audit-repo.ts';
import { migrate } from '../../src/db/migrate.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';

const MIGRATION = '0013_idempotency_owner';

/** Puts the table back as it was before 0013 (one namespace), as an upgraded database would have it. */
async function undoMigration(keel: TestKeel) {
  await sql
    .raw(`
      ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_owner_kind;
      ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
      ALTER TABLE idempotency_keys DROP COLUMN owner;
      ALTER TABLE idempotency_keys ADD PRIMARY KEY (key);
      DELETE FROM schema_migrations WHERE version = '${MIGRATION}';`)
    .execute(keel.database.db);
}

/** An old write: the key claimed in the one namespace, and its audit entry naming the principal. */
async function oldWrite(keel: TestKeel, key: string, action: string, actor: string | null) {
  await keel.database.db.transaction().execute(async (tx) => {
    await sql`INSERT INTO idempotency_keys (key, action, request_sha256, response)
              VALUES (${key}, ${action}, 'sha', '{}')`.execute(tx);
    if (actor) await appendAudit(tx, { actor, role: 'admin', action, subject: 'x', details: { key } });
  });
}

describeOnBackends('migration 0013: idempotency keys get an owner', (backend) => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel(backend);
  });
  afterAll(() => keel.close());

  it('keeps every row, and gives each the owner it had in fact', async () => {
    await undoMigration(keel);
    await oldWrite(keel, 'token:revoke:tok_attacked', 'research.scenario.run', 'council-member');
    await oldWrite(keel, 'token:revoke:tok_revoked', 'token.revoke', 'banker');
    await oldWrite(keel, 'user:add:newcomer', 'user.add', 'admin');
    await oldWrite(keel, 'run-1', 'research.scenario.run', 'admin');
    await oldWrite(keel, 'orphan', 'ledger.record', null);
    // Audit bodies jsonb cannot read (an escaped NUL, a lone surrogate): the migration passes them by.
    for (const key of ['a\u0000b', 'lone \ud800 surrogate'])
      await keel.database.db.transaction().execute(async (tx) => {
        await appendAudit(tx, { actor: 'x', role: 'admin', action: 'note', subject: 'x', details: { key } });
      });
    const before = await keel.database.db.selectFrom('idempotency_keys').select('key').execute();

    expect(await migrate(keel.database.db)).toEqual([MIGRATION]);

    const rows = await keel.database.db
      .selectFrom('idempotency_keys')
      .select(['owner', 'key'])
      .orderBy('key')
      .execute();
    expect(rows.map((r) => r.key).sort()).toEqual(before.map((r) => r.key).sort());
    const owner = (key: string) => rows.find((r) => r.key === key)?.owner;
    expect(owner('token:revoke:tok_attacked')).toBe('principal:council-member');
    expect(owner('token:revoke:tok_revoked')).toBe('server');
    expect(owner('user:add:newcomer')).toBe('server');
    expect(owner('run-1')).toBe('principal:admin');
    expect(owner('orphan')).toBe('legacy');
    // What init wrote before the upgrade is the server's: init again replays it, no new programme version.
    expect(rows.filter((r) => /^(taxonomy|programme):/.test(r.key)).map((r) => r.owner)).toEqual([
      'server',
      'server',
    ]);
    await initKeel(keel, testAdmin, { withReferenceDeals: false });
    const versions = await keel.database.db.selectFrom('programme_versions').select('version').execute();
    expect(versions).toHaveLength(1);
  });

  it('refuses an owner outside the principal and server namespaces', async () => {
    await expect(
      sql`INSERT INTO idempotency_keys (owner, key, action, request_sha256) VALUES ('someone', 'k', 'a', 's')`.execute(
        keel.database.db,
      ),
    ).rejects.toThrow(/idempotency_keys_owner_kind/);
  });
});
