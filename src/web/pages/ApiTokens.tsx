import { type FormEvent, useState } from 'react';
import { api, type ResponseOf } from '../api.ts';
import { SecondFactor } from '../components/SecondFactor.tsx';
import { Empty, ErrorState, Refusal } from '../components/States.tsx';
import { formatMoment } from '../format.ts';
import { useAction } from '../use-action.ts';
import { useApi } from '../use-api.ts';

type TokenRow = ResponseOf<'GET /api/tokens'>['items'][number];
type CreatedToken = ResponseOf<'POST /api/tokens'>['result'];

/**
 * API tokens, for every signed-in user: your own (an admin sees everyone's), never their secrets. A new
 * token's secret is shown once, right after it is made; the server keeps only its hash.
 */
export function ApiTokens() {
  const tokens = useApi('/api/tokens');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [createError, setCreateError] = useState<unknown>(null);
  const revoke = useAction(tokens.reload);
  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    const days = String(f.get('expiresInDays') ?? '').trim();
    setCreateError(null);
    setCreated(null);
    try {
      setCreated(
        (
          await api.post('/api/tokens', {
            body: {
              name: String(f.get('name') ?? '').trim(),
              scope: String(f.get('scope')) === 'write' ? 'write' : 'read',
              ...(days ? { expiresInDays: Number(days) } : {}),
            },
          })
        ).result,
      );
      form.reset();
      tokens.reload();
    } catch (e) {
      setCreateError(e);
    }
  };
  const revokeToken = (t: TokenRow) => {
    if (!window.confirm(`Revoke the token "${t.name}" (${t.id})? Whatever uses it stops working.`)) return;
    return revoke.run(async () => {
      await api.delete('/api/tokens/:id', { params: { id: t.id } });
      // A revoked token's secret is of no use any more: stop showing it.
      setCreated((shown) => (shown?.id === t.id ? null : shown));
    }, `Token ${t.id} revoked.`);
  };
  const items = tokens.data?.items ?? [];
  return (
    <>
      <h1>API tokens</h1>
      <SecondFactor />
      <section className="panel">
        <h2>New token</h2>
        <Refusal error={createError} />
        {created && (
          <div className="notice ok" role="status">
            Token {created.id} created ({created.scope}
            {created.expiresAt ? `, expires ${formatMoment(created.expiresAt)}` : ', no expiry'}). Copy it
            now: it will not be shown again.
            <pre data-testid="new-token">{created.token}</pre>
          </div>
        )}
        <form className="filters" aria-label="New API token" onSubmit={create}>
          <label>
            Token name <input name="name" required maxLength={100} placeholder="reporting script" />
          </label>
          <label>
            Scope{' '}
            <select name="scope" defaultValue="read">
              <option value="read">read</option>
              <option value="write">write</option>
            </select>
          </label>
          <label>
            Expires in days <input name="expiresInDays" type="number" min={1} max={366} defaultValue={90} />
          </label>
          <button type="submit">Create token</button>
        </form>
      </section>
      <section className="panel">
        <h2>Tokens</h2>
        {tokens.error ? <ErrorState error={tokens.error} /> : null}
        <Refusal error={revoke.error} />
        {revoke.done && (
          <p className="notice ok" role="status">
            {revoke.done}
          </p>
        )}
        {!items.length ? (
          <Empty>No API tokens. Make one above for a script or another system; it is shown once.</Empty>
        ) : (
          <table data-testid="tokens">
            <thead>
              <tr>
                <th>Id</th>
                <th>User</th>
                <th>Name</th>
                <th>Scope</th>
                <th>Created</th>
                <th>Expires</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((t) => (
                <tr key={t.id} data-token={t.id}>
                  <td>{t.id}</td>
                  <td>{t.userId}</td>
                  <td>{t.name}</td>
                  <td>{t.scope}</td>
                  <td>{formatMoment(t.createdAt)}</td>
                  <td>{t.expiresAt ? formatMoment(t.expiresAt) : 'never'}</td>
                  <td data-token-status={t.id}>
                    {t.revokedAt ? `revoked ${formatMoment(t.revokedAt)}` : 'active'}
                  </td>
                  <td>
                    {!t.revokedAt && (
                      <button type="button" onClick={() => revokeToken(t)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
