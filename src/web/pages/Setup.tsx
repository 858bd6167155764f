import { type FormEvent, useEffect, useState } from 'react';
import { PASSWORD_MIN_CHARACTERS } from '../../domain/passwords.ts';
import { api, type Me } from '../api.ts';

/**
 * The page of the one-time setup link the server prints when there is no admin (src/app/setup.ts): it creates
 * the first admin, then signs them in. The token is in the URL's fragment, which the browser never sends.
 */
export function Setup({ token, onLogin }: { token: string; onLogin(me: Me): void }) {
  const [valid, setValid] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.post('/api/setup/check', { body: { token } }).then(
      (answer) => setValid(answer.valid),
      (e) => {
        setValid(false);
        setError((e as Error).message);
      },
    );
  }, [token]);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (form.get('password') !== form.get('confirm')) {
      setError('the two passwords differ');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const account = {
        id: String(form.get('id')),
        name: String(form.get('name')),
        email: String(form.get('email')),
        password: String(form.get('password')),
      };
      await api.post('/api/setup', { body: { token, ...account } });
      onLogin(
        await api.post('/api/auth/login', { body: { email: account.email, password: account.password } }),
      );
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <h1>Keel: first admin</h1>
      {valid === null && <p className="muted">Checking the link…</p>}
      {valid === false && (
        <p className="notice error" role="alert">
          This setup link has been used or has expired. <a href="#/">Sign in</a>, or restart the server for a
          new link if there is still no admin.
        </p>
      )}
      {valid && (
        <form onSubmit={submit}>
          <p className="muted">
            This link works once. The password needs {PASSWORD_MIN_CHARACTERS} or more characters and must not
            be a common one.
          </p>
          <label>
            User id
            <input name="id" required pattern="[a-z0-9][a-z0-9._\-]{0,63}" defaultValue="admin" />
          </label>
          <label>
            Name
            <input name="name" required autoComplete="name" />
          </label>
          <label>
            Email
            <input name="email" type="email" autoComplete="username" required />
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={PASSWORD_MIN_CHARACTERS}
            />
          </label>
          <label>
            Password again
            <input
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
              minLength={PASSWORD_MIN_CHARACTERS}
            />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create the admin and sign in'}
          </button>
          {error && (
            <p className="notice error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </main>
  );
}
