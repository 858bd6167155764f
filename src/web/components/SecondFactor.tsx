import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { Refusal } from './States.tsx';

/**
 * Turns on the optional TOTP second factor (src/app/totp.ts): the secret and its otpauth:// URI go into an
 * authenticator app, whose first code confirms it. From then on, signing in asks for a code.
 */
export function SecondFactor() {
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const start = async () => {
    setError(null);
    try {
      setEnrolment(await api.post('/api/me/totp', {}));
    } catch (e) {
      setError(e);
    }
  };
  const confirm = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    try {
      const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
      await api.post('/api/me/totp/confirm', { body: { code } });
      setDone(true);
      setEnrolment(null);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="panel">
      <h2>Second factor</h2>
      <Refusal error={error} />
      {done && (
        <p className="notice ok" role="status">
          Second factor on: signing in now asks for a code from your authenticator app.
        </p>
      )}
      {!done && !enrolment && (
        <button type="button" onClick={start}>
          Set up an authenticator app
        </button>
      )}
      {enrolment && (
        <form onSubmit={confirm}>
          <p>
            Add this key to your authenticator app (or open the link on the phone), then enter the code it
            shows.
          </p>
          <pre data-testid="totp-secret">{enrolment.secret}</pre>
          <p>
            <a href={enrolment.uri}>{enrolment.uri}</a>
          </p>
          <label>
            Code
            <input name="code" inputMode="numeric" pattern="[0-9]{6}" autoComplete="one-time-code" required />
          </label>
          <button type="submit">Turn on</button>
        </form>
      )}
    </section>
  );
}
