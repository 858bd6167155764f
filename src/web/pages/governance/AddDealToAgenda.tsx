import { type FormEvent, useState } from 'react';
import { api } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { Empty, ErrorState, Refusal } from '../../components/States.tsx';
import { dealTitle, label } from '../../format.ts';
import { useAction } from '../../use-action.ts';
import { useApi } from '../../use-api.ts';
import { RequesterNote } from './RequesterNote.tsx';

/**
 * Building the agenda deal by deal: find deals by a word of their (or their company's) name through the
 * deals list's search, and put each on the chosen meeting. The optimiser's selection is the other way in.
 */
export function AddDealToAgenda({ onAdded }: { onAdded(): void }) {
  const [q, setQ] = useState('');
  const [meetingOn, setMeetingOn] = useState('');
  const found = useApi(q ? '/api/deal-list' : null, { query: { q, sort: 'name', dir: 'asc', limit: 10 } });
  // Which found deals were put on which meeting here: their row says so instead of offering the button again.
  const [added, setAdded] = useState<ReadonlySet<string>>(new Set());
  const add = useAction(onAdded);
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setQ(String(new FormData(event.currentTarget).get('q') ?? '').trim());
  };
  const put = (dealId: string, title: string) =>
    add.run(async () => {
      const answer = await api.post('/api/committee/agenda', {
        body: { dealIds: [dealId], meetingOn, source: 'manual' },
      });
      setAdded((before) => new Set(before).add(`${meetingOn} ${dealId}`));
      return answer;
    }, `${title} is on the agenda of ${meetingOn}.`);
  return (
    <section className="panel" aria-label="Add a deal to the agenda">
      <h2>Add a deal</h2>
      <form className="filters entry" aria-label="Find a deal" onSubmit={search}>
        <label>
          Meeting on <input type="date" value={meetingOn} onChange={(e) => setMeetingOn(e.target.value)} />
        </label>
        <label>
          Deal name <input name="q" type="search" required maxLength={200} placeholder="a word of its name" />
        </label>
        <button type="submit">Find deals</button>
      </form>
      <RequesterNote />
      {add.done && (
        <p className="notice ok" role="status">
          {add.done}
        </p>
      )}
      <Refusal error={add.error} />
      {found.error ? <ErrorState error={found.error} /> : null}
      {q && found.data && !found.data.items.length && (
        <Empty>No deal matches "{q}". Try a word of the deal's or the company's name.</Empty>
      )}
      {found.data && found.data.items.length > 0 && (
        <ul className="picker" data-testid="agenda-candidates">
          {found.data.items.map((d) => (
            <li key={d.id} data-candidate={d.id}>
              {dealTitle(d)} · <Amount cents={d.amountCents} /> · {label(d.stage)}{' '}
              {added.has(`${meetingOn} ${d.id}`) ? (
                <strong>on the agenda of {meetingOn}</strong>
              ) : (
                <button type="button" disabled={!meetingOn} onClick={() => put(d.id, dealTitle(d))}>
                  Add to the meeting
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {found.data && found.data.items.length > 0 && !meetingOn && (
        <p className="muted">Choose the meeting's date first.</p>
      )}
    </section>
  );
}
