/**
 * The optional TOTP second factor through HTTP: enrol, confirm with a first code, then login asks for a code,
 * refuses a wrong one and never takes the same code twice. Codes are made with otplib from the secret the
 * server handed out, as an authenticator app would (the algorithm itself is checked against RFC 6238's
 * vectors in test/unit/totp.test.ts).
 */
import { generateSync } from 'otplib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/api/session-names.ts';
import { addUser } from '../../src/app/auth.ts';
import { resetTotp } from '../../src/app/totp.ts';
import { describeOnBackends, freshKeel, type TestKeel } from '../integration/backends.ts';
import { testAdmin } from '../principals.ts';

const PASSWORD = 'two factors are better than one';
const EMAIL = 'totp-user@example.org';

describeOnBackends('TOTP second factor', (backend) => {
  let keel: TestKeel;
  let app: Awaited<ReturnType<typeof buildServer>>;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    app = await buildServer(keel, { loginRateLimit: 1_000 });
    await addUser(keel, testAdmin, {
      id: 'totp-user',
      email: EMAIL,
      name: 'Totp User',
      role: 'auditor',
      password: PASSWORD,
    });
  });
  afterAll(async () => {
    await app.close();
    await keel.close();
  });

  const login = (code?: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: EMAIL, password: PASSWORD, code },
    });
  let n = 0;
  const post = (session: Awaited<ReturnType<typeof login>>, url: string, payload?: object) =>
    app.inject({
      method: 'POST',
      url,
      cookies: { [SESSION_COOKIE]: session.cookies.find((c) => c.name === SESSION_COOKIE)!.value },
      headers: { 'idempotency-key': `totp-${++n}`, [CSRF_HEADER]: session.json().csrfToken },
      ...(payload ? { payload } : {}),
    });
  const codeAt = (secret: string, offsetSeconds = 0) =>
    generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

  it('enrols, confirms, then asks for a code at every login, each code once', async () => {
    const session = await login();
    expect(session.statusCode).toBe(200);
    const enrol = await post(session, '/api/me/totp');
    expect(enrol.statusCode, enrol.body).toBe(200);
    const { secret, uri } = enrol.json();
    // At rest the seed is sealed (AES-256-GCM, app/secret-box.ts): the database alone does not give it away.
    const stored = await keel.database.db
      .selectFrom('users')
      .select('totp_secret')
      .where('id', '=', 'totp-user')
      .executeTakeFirstOrThrow();
    expect(stored.totp_secret).toMatch(/^v1\./);
    expect(stored.totp_secret).not.toContain(secret);
    expect(uri).toBe(`otpauth://totp/Keel:${encodeURIComponent(EMAIL)}?secret=${secret}&issuer=Keel`);
    expect((await login()).statusCode).toBe(200); // not required until confirmed

    const wrong = await post(session, '/api/me/totp/confirm', { code: codeAt(secret, 300) });
    expect(wrong.statusCode).toBe(400);
    const confirmed = await post(session, '/api/me/totp/confirm', { code: codeAt(secret) });
    expect(confirmed.statusCode, confirmed.body).toBe(200);

    const noCode = await login();
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error).toBe('second_factor_required');
    const badCode = await login(codeAt(secret, 300));
    expect(badCode.statusCode).toBe(401);
    expect(badCode.json().error).toBe('unauthenticated');

    // The confirming code's step is spent: the next step's code (the authenticator 30 s ahead) logs in, once.
    const next = codeAt(secret, 30);
    const ok = await login(next);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().user).toEqual({ id: 'totp-user', role: 'auditor' });
    expect((await login(next)).statusCode).toBe(401);
    expect((await login(codeAt(secret))).statusCode).toBe(401); // an earlier step than the last one used

    const again = await post(ok, '/api/me/totp');
    expect(again.statusCode).toBe(409); // on stays on: no silent re-enrolment

    await expect(resetTotp(keel, { id: 'totp-user', role: 'auditor' }, 'totp-user')).rejects.toThrow(
      /users\.manage/,
    );
    await resetTotp(keel, testAdmin, 'totp-user'); // an admin, for a lost phone
    expect((await login()).statusCode).toBe(200);
  });
});
