import { type FormEvent, useState } from 'react';
import { ApiError, api, type Me } from '../api.ts';

export function Login({ onLogin }: { onLogin(me: Me): void }) {
  const [error, setError] = useState<string | null>(null);
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
      <form onSubmit={submit}>
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
