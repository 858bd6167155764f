import { can, type Principal } from '../../domain/roles.ts';
import { api } from '../api.ts';
import { Empty, ErrorState } from '../components/States.tsx';
import { useApi } from '../use-api.ts';

interface Crossing {
  id: string;
  user_id: string;
  deal_id: string;
  reason: string;
  status: string;
  requested_by: string;
  expires_at: string | null;
}

export function Admin({ user }: { user: Principal }) {
  const users = useApi<{ items: Array<{ id: string; email: string; role: string }> }>(
    can(user, 'users.manage') ? '/api/users' : null,
  );
  const crossings = useApi<{ items: Crossing[] }>(
    can(user, 'wall_crossings.read') ? '/api/wall-crossings' : null,
  );
  const decide = async (id: string, decision: 'approve' | 'deny' | 'revoke') => {
    await api(`/api/wall-crossings/${id}/decision`, { method: 'POST', body: { decision, days: 7 } });
    crossings.reload();
  };
  return (
    <>
      <h1>Admin</h1>
      {can(user, 'wall_crossings.read') && (
        <section className="panel">
          <h2>Wall-crossings</h2>
          {crossings.error ? (
            <ErrorState error={crossings.error} />
          ) : !crossings.data?.items.length ? (
            <Empty>No wall-crossings.</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>#</th>
                  <th>Analyst</th>
                  <th>Deal</th>
                  <th>Reason</th>
                  <th>Status</th>
                  <th>Expires</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {crossings.data.items.map((c) => (
                  <tr key={c.id}>
                    <td>{c.id}</td>
                    <td>{c.user_id}</td>
                    <td>{c.deal_id}</td>
                    <td>{c.reason}</td>
                    <td>{c.status}</td>
                    <td>{c.expires_at ?? '–'}</td>
                    <td>
                      {can(user, 'wall_crossings.decide') && c.status === 'requested' && (
                        <>
                          <button type="button" onClick={() => decide(c.id, 'approve')}>
                            Approve 7 days
                          </button>{' '}
                          <button type="button" onClick={() => decide(c.id, 'deny')}>
                            Deny
                          </button>
                        </>
                      )}
                      {can(user, 'wall_crossings.decide') && c.status === 'approved' && (
                        <button type="button" onClick={() => decide(c.id, 'revoke')}>
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
      )}
      {can(user, 'users.manage') && (
        <section className="panel">
          <h2>Users</h2>
          {users.error ? (
            <ErrorState error={users.error} />
          ) : (
            <table>
              <tbody>
                {users.data?.items.map((u) => (
                  <tr key={u.id}>
                    <td>{u.id}</td>
                    <td>{u.email}</td>
                    <td>{u.role.replaceAll('_', ' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="muted">
            Add users with <code>keel user add</code> or <code>POST /api/users</code>; API tokens with{' '}
            <code>POST /api/tokens</code>.
          </p>
        </section>
      )}
    </>
  );
}
