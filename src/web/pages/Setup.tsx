import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { PASSWORD_MIN_CHARACTERS } from '../../domain/passwords.ts';
import { api, type Me, type ResponseOf } from '../api.ts';
import { useTitle } from '../use-title.ts';

type LinkCheck = ResponseOf<'POST /api/setup/check'>;

/**
 * The page of a one-time link: the setup link the server prints when there is no admin (src/app/setup.ts),
 * which creates the first admin, or a password-reset link an admin issued (src/app/password-reset.ts), which
 * sets the user's new password. Either then signs the person in. The token is in the URL's fragment, which
 * the browser never sends.
 */
export function Setup({ token, onLogin }: { token: string; onLogin(me: Me): void }) {
  const [check, setCheck] = useState<LinkCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.post('/api/setup/check', { body: { token } }).then(setCheck, (e) => {
      setCheck({ valid: false, reset: null });
      setError((e as Error).message);
    });
  }, [token]);
  const reset = check?.reset;
  useTitle(reset ? 'A new password' : check?.valid ? 'First admin' : 'One-time link');
  return (
    <main className="login">
      <h1>{reset ? 'Keel: a new password' : 'Keel: first admin'}</h1>
      {!check && <p className="muted">Checking the link…</p>}
      {check && !check.valid && !reset && (
        <p className="notice error" role="alert">
          This link has been used or has expired. <a href="#/">Sign in</a>, ask an admin for a new
          password-reset link, or restart the server for a new setup link if there is still no admin.
        </p>
      )}
      {reset && <ResetForm token={token} account={reset} onLogin={onLogin} />}
      {check?.valid && !reset && <FirstAdminForm token={token} onLogin={onLogin} />}
      {error && !check?.valid && !reset && <p className="muted">{error}</p>}
    </main>
  );
}

/** A form of this page: checks the two passwords agree, runs `act`, shows the server's refusal. */
function useLinkForm(act: (form: FormData) => Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
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
      await act(form);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { submit, error, busy };
}

function NewPasswordFields({ error, children }: { error: string | null; children: ReactNode }) {
  return (
    <>
      <p className="muted">
        This link works once. The password needs {PASSWORD_MIN_CHARACTERS} or more characters and must not be
        a common one.
      </p>
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
      {children}
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function ResetForm({
  token,
  account,
  onLogin,
}: {
  token: string;
  account: NonNullable<LinkCheck['reset']>;
  onLogin(me: Me): void;
}) {
  const form = useLinkForm(async (f) => {
    const password = String(f.get('password'));
    await api.post('/api/setup/password', { body: { token, password } });
    onLogin(await api.post('/api/auth/login', { body: { email: account.email, password } }));
  });
  return (
    <form onSubmit={form.submit} aria-label="Set a new password">
      <p>
        A new password for <strong>{account.name}</strong> ({account.email}).
      </p>
      <input type="hidden" name="username" autoComplete="username" value={account.email} readOnly />
      <NewPasswordFields error={form.error}>
        <button type="submit" disabled={form.busy}>
          {form.busy ? 'Saving…' : 'Set the password and sign in'}
        </button>
      </NewPasswordFields>
    </form>
  );
}

function FirstAdminForm({ token, onLogin }: { token: string; onLogin(me: Me): void }) {
  const form = useLinkForm(async (f) => {
    const account = {
      id: String(f.get('id')),
      name: String(f.get('name')),
      email: String(f.get('email')),
      password: String(f.get('password')),
    };
    await api.post('/api/setup', { body: { token, ...account } });
    onLogin(
      await api.post('/api/auth/login', { body: { email: account.email, password: account.password } }),
    );
  });
  return (
    <form onSubmit={form.submit}>
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
      <NewPasswordFields error={form.error}>
        <button type="submit" disabled={form.busy}>
          {form.busy ? 'Creating…' : 'Create the admin and sign in'}
        </button>
      </NewPasswordFields>
    </form>
  );
}
