import { type FormEvent, useState } from 'react';
import { can, type Principal } from '../../../domain/roles.ts';
import { api } from '../../api.ts';
import { Options } from '../../components/Options.tsx';
import { Empty, ErrorState } from '../../components/States.tsx';
import { dollars } from '../../format.ts';
import { useApi } from '../../use-api.ts';

interface AgendaItem {
  id: string;
  deal_id: string;
  meeting_on: string;
  memo_url: string | null;
  source: string;
  stage: string;
  amount_cents: string;
}

/** Votes typed as "chair: for, member b: against". */
function parseVotes(text: string) {
  return text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => {
      const [member, vote] = v.split(':').map((x) => x.trim());
      return { member, vote };
    });
}

/** The investment committee's agenda: record a decision with votes, conflicts and conditions, then move the deal. */
export function Committee({ user }: { user: Principal }) {
  const agenda = useApi<{ items: AgendaItem[] }>('/api/committee/agenda');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const decide = async (event: FormEvent<HTMLFormElement>, dealId: string) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    setError(null);
    try {
      const conflicts = String(f.get('conflicts') || '').trim();
      await api('/api/committee/decisions', {
        method: 'POST',
        body: {
          dealId,
          decision: f.get('decision'),
          decidedOn: f.get('decidedOn'),
          votes: parseVotes(String(f.get('votes'))),
          conflicts: conflicts
            ? [
                {
                  member: conflicts.split(':')[0]?.trim(),
                  note: conflicts.split(':').slice(1).join(':').trim() || 'declared',
                },
              ]
            : [],
          conditions: String(f.get('conditions') || '')
            .split(';')
            .map((c) => c.trim())
            .filter(Boolean),
        },
      });
      setMessage(`Decision recorded for ${dealId}.`);
      agenda.reload();
    } catch (e) {
      setError(e);
    }
  };
  const move = async (dealId: string, to: string) => {
    setError(null);
    try {
      await api(`/api/deals/${encodeURIComponent(dealId)}/stage`, { method: 'POST', body: { to } });
      setMessage(`${dealId} moved to ${to}.`);
      agenda.reload();
    } catch (e) {
      setError(e);
    }
  };
  const decider = can(user, 'committee.decide');
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
      {agenda.data?.items.map((item) => (
        <article key={item.id} data-agenda-deal={item.deal_id}>
          <h3>
            <a href={`#/deals/${encodeURIComponent(item.deal_id)}`}>{item.deal_id}</a>{' '}
            <span className="muted">
              {item.meeting_on} · {dollars(item.amount_cents)} · stage{' '}
              <span data-stage-of={item.deal_id}>{item.stage}</span> · from {item.source}
            </span>
          </h3>
          {decider && item.stage === 'committee' && (
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
                Votes <input name="votes" required placeholder="chair: for, b: for, c: against" />
              </label>
              <label>
                Conflict declared <input name="conflicts" placeholder="member: reason" />
              </label>
              <label>
                Conditions (;) <input name="conditions" />
              </label>
              <button type="submit">Record decision</button>
            </form>
          )}
          {can(user, 'deals.move') && item.stage === 'committee' && (
            <p>
              <button type="button" onClick={() => move(item.deal_id, 'approved')}>
                Move to approved
              </button>{' '}
              <button type="button" onClick={() => move(item.deal_id, 'declined')}>
                Move to declined
              </button>
            </p>
          )}
        </article>
      ))}
    </section>
  );
}
