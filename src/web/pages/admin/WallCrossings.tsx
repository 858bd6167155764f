import { can, type Principal } from '../../../domain/roles.ts';
import { api } from '../../api.ts';
import { Empty, ErrorState, Refusal } from '../../components/States.tsx';
import { useAction } from '../../use-action.ts';
import { useApi } from '../../use-api.ts';

/**
 * Wall-crossings for risk & compliance. Four eyes: Approve is not offered on a crossing you requested (the
 * server refuses it too); Deny and Revoke stay.
 */
export function WallCrossings({ user }: { user: Principal }) {
  const crossings = useApi('/api/wall-crossings');
  const action = useAction(crossings.reload);
  const decide = (id: string, decision: 'approve' | 'deny' | 'revoke') =>
    action.run(
      () => api.post('/api/wall-crossings/:id/decision', { params: { id }, body: { decision, days: 7 } }),
      `Wall-crossing ${id}: ${decision} recorded.`,
    );
  const decides = can(user, 'wall_crossings.decide');
  return (
    <section className="panel">
      <h2>Wall-crossings</h2>
      <Refusal error={action.error} />
      {action.done && (
        <p className="notice ok" role="status">
          {action.done}
        </p>
      )}
      {crossings.error ? (
        <ErrorState error={crossings.error} />
      ) : !crossings.data?.items.length ? (
        <Empty>
          No wall-crossings. A private-side colleague requests one for an analyst, with a reason; a compliance
          officer other than the requester approves it here.
        </Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>Analyst</th>
              <th>Deal</th>
              <th>Reason</th>
              <th>Asked by</th>
              <th>Status</th>
              <th>Expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {crossings.data.items.map((c) => (
              <tr key={c.id} data-crossing={c.id}>
                <td>{c.id}</td>
                <td>{c.userId}</td>
                <td>{c.dealId}</td>
                <td>{c.reason}</td>
                <td>{c.requestedBy}</td>
                <td>{c.status}</td>
                <td>{c.expiresAt ?? '–'}</td>
                <td>
                  {decides && c.status === 'requested' && (
                    <>
                      {c.requestedBy === user.id ? (
                        <span className="muted">another officer must approve</span>
                      ) : (
                        <button type="button" onClick={() => decide(c.id, 'approve')}>
                          Approve 7 days
                        </button>
                      )}{' '}
                      <button type="button" onClick={() => decide(c.id, 'deny')}>
                        Deny
                      </button>
                    </>
                  )}
                  {decides && c.status === 'approved' && (
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
  );
}
