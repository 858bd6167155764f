import { can, MAX_CROSSING_DAYS, type Principal } from '../../../domain/roles.ts';
import { api } from '../../api.ts';
import { Empty, ErrorState, Refusal } from '../../components/States.tsx';
import { countOf, formatMoment } from '../../format.ts';
import { useAction } from '../../use-action.ts';
import { useApi } from '../../use-api.ts';

/**
 * Wall-crossings for risk & compliance. Four eyes: Approve is not offered on a crossing you requested (the
 * server refuses it too); Deny and Revoke stay.
 */
export function WallCrossings({ user }: { user: Principal }) {
  const crossings = useApi('/api/wall-crossings');
  const action = useAction(crossings.reload);
  const decide = (id: string, decision: 'approve' | 'deny' | 'revoke', days?: number) =>
    action.run(
      () =>
        api.post('/api/wall-crossings/:id/decision', {
          params: { id },
          body: days === undefined ? { decision } : { decision, days },
        }),
      `Wall-crossing ${id}: ${decision}${days ? ` for ${countOf(days, ['day', 'days'])}` : ''} recorded.`,
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
              <th className="num">Days asked</th>
              <th>Status</th>
              <th>Expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {crossings.data.items.map((c) => (
              <tr key={c.id} data-crossing={c.id}>
                <td>{c.id}</td>
                <td>{c.userName ?? c.userId}</td>
                <td>
                  <a href={`#/deals/${encodeURIComponent(c.dealId)}`}>{c.dealName ?? c.dealId}</a>
                </td>
                <td>{c.reason}</td>
                <td>{c.requestedByName ?? c.requestedBy}</td>
                <td className="num">{c.requestedDays}</td>
                <td>{c.status}</td>
                <td>{c.expiresAt ? formatMoment(c.expiresAt) : '–'}</td>
                <td>
                  {decides && c.status === 'requested' && (
                    <>
                      {c.requestedBy === user.id ? (
                        <span className="muted">another officer must approve</span>
                      ) : (
                        <ApproveForm
                          id={c.id}
                          days={c.requestedDays}
                          onApprove={(days) => decide(c.id, 'approve', days)}
                        />
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

/** Approval for a length compliance chooses, from 1 day to the most allowed; the requested length first. */
function ApproveForm({ id, days, onApprove }: { id: string; days: number; onApprove(days: number): void }) {
  return (
    <form
      className="inline"
      aria-label={`Approve wall-crossing ${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        onApprove(Number(new FormData(e.currentTarget).get('days')));
      }}
    >
      <label>
        Days <input name="days" type="number" min={1} max={MAX_CROSSING_DAYS} defaultValue={days} required />
      </label>{' '}
      <button type="submit">Approve</button>
    </form>
  );
}
