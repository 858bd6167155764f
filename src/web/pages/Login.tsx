import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api, type Me } from '../api.ts';

/** Why the server sent the browser back from a single sign-on (app/sso.ts, SsoRefusal). */
const SSO_REFUSALS: Record<string, string> = {
  off: 'Single sign-on is not configured on this server.',
  expired: 'The sign-in took too long or was not started here: sign in with SSO again.',
  provider: "The sign-on provider's answer could not be accepted: sign in with SSO again.",
  role: 'Your sign-on account has no Keel role: ask your administrator to give you one at the provider.',
  disabled: 'Your Keel account is disabled: ask an administrator.',
  email_taken: 'Another Keel account already uses your email address: ask an administrator.',
  not_sso: 'This account is a local Keel account: sign in with its email and password.',
};

export function Login({ onLogin, ssoRefusal }: { onLogin(me: Me): void; ssoRefusal?: string | null }) {
  const [error, setError] = useState<string | null>(
    ssoRefusal ? (SSO_REFUSALS[ssoRefusal] ?? 'Single sign-on was refused.') : null,
  );
  const [sso, setSso] = useState(false);
  useEffect(() => {
    api.get('/api/auth/oidc').then(
      (status) => setSso(status.enabled),
      () => setSso(false),
    );
  }, []);
  const [busy, setBusy] = useState(false);
  // Asked for once the server says the account has a second factor (src/app/totp.ts).
  const [needCode, setNeedCode] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const me = await api.post('/api/auth/login', {
        body: {
          email: String(form.get('email')),
          password: String(form.get('password')),
          ...(needCode ? { code: String(form.get('code') ?? '').trim() } : {}),
        },
      });
      onLogin(me);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'second_factor_required') setNeedCode(true);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <h1>Keel</h1>
      <p className="muted">Strategic-industrial capital programme</p>
      {sso && (
        // A navigation, not a fetch: the provider's login page takes the whole window.
        <p>
          <a className="button" href="/api/auth/oidc/login">
            Sign in with SSO
          </a>
        </p>
      )}
      <form onSubmit={submit} aria-label={sso ? 'Local account' : undefined}>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {needCode && (
          <label>
            Code from your authenticator app
            <input name="code" inputMode="numeric" pattern="[0-9]{6}" autoComplete="one-time-code" required />
          </label>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p className="notice error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
