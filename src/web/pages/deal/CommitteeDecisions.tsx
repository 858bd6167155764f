import { api, type ResponseOf } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { Empty, ErrorState, Refusal } from '../../components/States.tsx';
import { label } from '../../format.ts';
import { useAction } from '../../use-action.ts';
import { useApi } from '../../use-api.ts';

type Decision = ResponseOf<'GET /api/deals/:id/decisions'>['items'][number];

/**
 * The committee's decisions on this deal: outcome, date, the votes' tally and the conditions to meet before
 * closing. Those who manage the committee mark an open condition met or waive it.
 */
export function CommitteeDecisions({ dealId, manage }: { dealId: string; manage: boolean }) {
  const decisions = useApi('/api/deals/:id/decisions', { params: { id: dealId } });
  const action = useAction(decisions.reload);
  const mark = (decision: Decision, index: number, status: 'met' | 'waived') =>
    action.run(
      () =>
        api.post('/api/committee/decisions/:id/conditions/:index', {
          params: { id: decision.id, index },
          body: { status },
        }),
      `Condition "${decision.conditions[index]?.text}" is ${status}.`,
    );
  return (
    <section className="panel" aria-label="Committee decisions" data-testid="committee-decisions">
      <h2>Committee decisions</h2>
      {action.done && (
        <p className="notice ok" role="status">
          {action.done}
        </p>
      )}
      <Refusal error={action.error} />
      {decisions.error ? (
        <ErrorState error={decisions.error} />
      ) : decisions.data && !decisions.data.items.length ? (
        <Empty>No committee decision yet. Put the deal on a committee meeting's agenda for one.</Empty>
      ) : (
        decisions.data?.items.map((d) => (
          <DecisionView key={d.id} decision={d} manage={manage} onMark={(i, s) => mark(d, i, s)} />
        ))
      )}
    </section>
  );
}

function DecisionView({
  decision: d,
  manage,
  onMark,
}: {
  decision: Decision;
  manage: boolean;
  onMark(index: number, status: 'met' | 'waived'): void;
}) {
  return (
    <article data-decision={d.id}>
      <h3>
        {label(d.decision)} on {d.decidedOn}
        {d.approvedAmount && (
          <>
            {' '}
            · covers <Amount cents={d.approvedAmount} />
          </>
        )}
      </h3>
      <p className="muted">
        {d.reference
          ? `Decided outside Keel: ${d.reference}`
          : `Votes: ${d.tally.for} for, ${d.tally.against} against, ${d.tally.abstain} abstaining` +
            ` (${d.votes.map((v) => `${v.name} ${v.vote}`).join(', ') || 'none'}) · recorded by ${d.recordedByName}`}
        {d.conflicts.length ? ` · conflicts declared: ${d.conflicts.map((c) => c.name).join(', ')}` : ''}
      </p>
      {d.conditions.length > 0 && (
        <ol className="conditions">
          {d.conditions.map((c, i) => (
            <li key={c.text} data-condition={i}>
              {c.text} · <strong data-condition-status={i}>{c.status}</strong>
              {manage && c.status === 'open' && (
                <>
                  {' '}
                  <button type="button" onClick={() => onMark(i, 'met')}>
                    Mark met
                  </button>{' '}
                  <button type="button" onClick={() => onMark(i, 'waived')}>
                    Waive
                  </button>
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
