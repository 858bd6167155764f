/**
 * Issue 13, defect 7 through HTTP: GET /api/audit/verify runs the same checks as `keel audit verify`, so a
 * ledger row edited in SQL (append-only trigger disabled) is named in the answer, not reported intact.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.ts';
import { addUser, createApiToken } from '../../src/app/auth.ts';
import { recordLedgerEntry } from '../../src/app/ledger.ts';
import { describeOnBackends, freshKeel, type TestKeel } from '../integration/backends.ts';
import { entry, seedDeals } from '../integration/fixtures.ts';
import { asAttacker } from '../integration/tamper.ts';
import { alice, testAdmin } from '../principals.ts';

describeOnBackends('GET /api/audit/verify after tampering', (backend) => {
  let keel: TestKeel;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let token: string;
  let seq: bigint;

  beforeAll(async () => {
    keel = await freshKeel(backend);
    const [deal] = await seedDeals(keel, { prefix: 'apiv', count: 1, instrument: 'direct_equity' });
    seq = (await recordLedgerEntry(keel, alice, entry('apiv-75m', deal!, 'commitment', 7_500_000_000n)))
      .result.firstSeq!;
    await addUser(keel, testAdmin, {
      id: 'auditor',
      email: 'auditor@example.org',
      name: 'auditor',
      role: 'auditor',
      password: 'correct horse battery staple',
    });
    token = (await createApiToken(keel, { id: 'auditor', role: 'auditor' }, { name: 't', scope: 'read' }))
      .token;
    app = await buildServer(keel);
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await keel.close();
  });

  const verify = () =>
    app.inject({ method: 'GET', url: '/api/audit/verify', headers: { authorization: `Bearer ${token}` } });

  it('answers intact, then names the ledger row changed from $75M to $0.01', async () => {
    const intact = await verify();
    expect(intact.statusCode).toBe(200);
    expect(intact.json()).toMatchObject({ ok: true });
    await asAttacker(keel.database.db, (tx) =>
      sql`UPDATE ledger_entries SET amount_cents = 1 WHERE seq = ${seq}`.execute(tx),
    );
    const broken = await verify();
    expect(broken.statusCode).toBe(200);
    expect(broken.json()).toMatchObject({
      ok: false,
      fault: { table: 'ledger_entries', seq: seq.toString() },
    });
  });
});
