import { type FormEvent, useState } from 'react';
import { can, type Principal } from '../../../domain/roles.ts';
import { api } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { Options } from '../../components/Options.tsx';
import { Empty, ErrorState } from '../../components/States.tsx';
import { dealTitle } from '../../format.ts';
import { useApi } from '../../use-api.ts';

interface Ballot {
  votes: Array<{ member: string; vote: string }>;
  conflicts: Array<{ member: string; note: string }>;
  requesters: string[];
}

interface AgendaItem {
  id: string;
  deal_id: string;
  name: string | null;
  company: string;
  instrument: string;
  meeting_on: string;
  memo_url: string | null;
  source: string;
  stage: string;
  amount_cents: string;
  ballot: Ballot | null;
}

/**
 * The investment committee's agenda. Members cast their own vote (or declare a conflict) on each deal before
 * the committee; the chair records the decision on those votes, and the decision moves the deal.
 */
export function Committee({ user }: { user: Principal }) {
  const agenda = useApi<{ items: AgendaItem[] }>('/api/committee/agenda');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await action();
      setMessage(done);
      agenda.reload();
    } catch (e) {
      setError(e);
    }
  };
  const vote = (dealId: string, value: string) =>
    run(
      () =>
        api(`/api/committee/deals/${encodeURIComponent(dealId)}/votes`, {
          method: 'POST',
          body: { vote: value },
        }),
      `Your vote (${value}) on ${dealId} is recorded.`,
    );
  const declare = (event: FormEvent<HTMLFormElement>, dealId: string) => {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get('note') || '');
    return run(
      () =>
        api(`/api/committee/deals/${encodeURIComponent(dealId)}/conflicts`, {
          method: 'POST',
          body: { note },
        }),
      `Your conflict of interest in ${dealId} is declared; you will not vote on it.`,
    );
  };
  const decide = (event: FormEvent<HTMLFormElement>, dealId: string) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    return run(
      () =>
        api('/api/committee/decisions', {
          method: 'POST',
          body: {
            dealId,
            decision: f.get('decision'),
            decidedOn: f.get('decidedOn'),
            conditions: String(f.get('conditions') || '')
              .split(';')
              .map((c) => c.trim())
              .filter(Boolean),
          },
        }),
      `Decision recorded for ${dealId}.`,
    );
  };
  const member = can(user, 'committee.vote');
  const chair = can(user, 'committee.decide');
  return (
    <section className="panel" data-testid="committee">
      <h2>Investment committee agenda</h2>
      {agenda.error ? <ErrorState error={agenda.error} /> : null}
      {message && (
        <p className="notice ok" role="status">
          {message}
        </p>
      )}
      {error ? <ErrorState error={error} /> : null}
      {agenda.data && !agenda.data.items.length && (
        <Empty>Nothing on the agenda. The optimiser's selection can be sent here.</Empty>
      )}
      {agenda.data?.items.map((item) => {
        const ballot = item.ballot;
        const mine = ballot?.votes.find((v) => v.member === user.id);
        const conflicted = ballot?.conflicts.some((c) => c.member === user.id) ?? false;
        const requester = ballot?.requesters.includes(user.id) ?? false;
        return (
          <article key={item.id} data-agenda-deal={item.deal_id}>
            <h3>
              <a href={`#/deals/${encodeURIComponent(item.deal_id)}`}>{dealTitle(item)}</a>{' '}
              <span className="muted">
                {item.meeting_on} · <Amount cents={item.amount_cents} /> · stage{' '}
                <span data-stage-of={item.deal_id}>{item.stage}</span> · from {item.source}
              </span>
            </h3>
            {ballot && (
              <p className="muted" data-ballot-of={item.deal_id}>
                Votes:{' '}
                {ballot.votes.length
                  ? ballot.votes.map((v) => `${v.member} ${v.vote}`).join(', ')
                  : 'none yet'}
                {ballot.conflicts.length
                  ? ` · conflicts declared: ${ballot.conflicts.map((c) => c.member).join(', ')}`
                  : ''}
                {` · put before the committee by ${ballot.requesters.join(', ')}`}
              </p>
            )}
            {ballot && member && (
              <div className="filters">
                {mine ? (
                  <span>You voted {mine.vote}.</span>
                ) : conflicted ? (
                  <span>You declared a conflict and do not vote.</span>
                ) : requester ? (
                  <span>You put this deal before the committee and do not vote on it.</span>
                ) : (
                  <>
                    {['for', 'against', 'abstain'].map((value) => (
                      <button key={value} type="button" onClick={() => vote(item.deal_id, value)}>
                        Vote {value}
                      </button>
                    ))}
                    <form onSubmit={(e) => declare(e, item.deal_id)}>
                      <label>
                        Conflict of interest{' '}
                        <input name="note" required minLength={3} placeholder="what it is" />
                      </label>
                      <button type="submit">Declare conflict</button>
                    </form>
                  </>
                )}
              </div>
            )}
            {ballot && chair && !requester && (
              <form className="filters" onSubmit={(e) => decide(e, item.deal_id)}>
                <label>
                  Decision{' '}
                  <select name="decision" defaultValue="approve">
                    <Options values={['approve', 'approve_with_conditions', 'decline', 'defer']} />
                  </select>
                </label>
                <label>
                  Decided on <input name="decidedOn" type="date" required defaultValue={item.meeting_on} />
                </label>
                <label>
                  Conditions (;) <input name="conditions" />
                </label>
                <button type="submit">Record decision</button>
              </form>
            )}
          </article>
        );
      })}
    </section>
  );
}
