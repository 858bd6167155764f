import { api, type ResponseOf } from '../../api.ts';
import { Empty, ErrorState, Refusal } from '../../components/States.tsx';
import { label } from '../../format.ts';
import { useAction } from '../../use-action.ts';

export type RoleChange = ResponseOf<'GET /api/role-changes'>['items'][number];

/**
 * Role change requests, newest first. Four eyes: Approve is not offered on a request you made or on one about
 * your own role (the server refuses both with separation_of_duties); Deny stays, to withdraw a request.
 */
export function RoleChanges({
  me,
  changes,
  error,
  manage,
  onDecided,
}: {
  me: string;
  changes: RoleChange[] | undefined;
  error: unknown;
  manage: boolean;
  onDecided(): void;
}) {
  const action = useAction(onDecided);
  const decide = (id: string, decision: 'approve' | 'deny') =>
    action.run(
      () => api.post('/api/role-changes/:id/decision', { params: { id }, body: { decision } }),
      `Role change ${id} ${decision === 'approve' ? 'approved' : 'denied'}.`,
    );
  const items = changes ?? [];
  return (
    <section className="panel">
      <h2>Role changes</h2>
      {error ? <ErrorState error={error} /> : null}
      <Refusal error={action.error} />
      {action.done && (
        <p className="notice ok" role="status">
          {action.done}
        </p>
      )}
      {!items.length ? (
        <Empty>
          No role change requests. Ask for one from a user's row above; a second admin approves it.
        </Empty>
      ) : (
        <table data-testid="role-changes">
          <thead>
            <tr>
              <th>#</th>
              <th>User</th>
              <th>From</th>
              <th>To</th>
              <th>Reason</th>
              <th>Asked by</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((c) => {
              const own = c.requestedBy === me || c.userId === me;
              return (
                <tr key={c.id} data-role-change={c.id} data-role-change-of={c.userId}>
                  <td>{c.id}</td>
                  <td>{c.userId}</td>
                  <td>{label(c.fromRole)}</td>
                  <td>{label(c.toRole)}</td>
                  <td>{c.reason}</td>
                  <td>{c.requestedBy}</td>
                  <td>{c.status + (c.decidedBy ? ` by ${c.decidedBy}` : '')}</td>
                  <td>
                    {manage && c.status === 'requested' && (
                      <>
                        {own ? (
                          <span className="muted">another admin must approve</span>
                        ) : (
                          <button type="button" onClick={() => decide(c.id, 'approve')}>
                            Approve
                          </button>
                        )}{' '}
                        <button type="button" onClick={() => decide(c.id, 'deny')}>
                          Deny
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
