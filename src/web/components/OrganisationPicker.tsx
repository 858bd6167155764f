import { useEffect, useId, useState } from 'react';
import type { QueryOf } from '../../api/contract.ts';
import { label as labelOf } from '../format.ts';
import { useApi } from '../use-api.ts';

const SHOWN = 20;

/**
 * Choose an organisation of the client network by a word of its name: the network may hold thousands, so the
 * choice lists at most twenty matches from the server's index, never the whole network. The select carries
 * `name`, so the surrounding form reads the chosen id as it would from any select.
 */
export function OrganisationPicker({
  name,
  label,
  kind,
}: {
  name: string;
  label: string;
  /** Kinds offered, separated by commas (all when absent). */
  kind?: QueryOf<'GET /api/organisation-list'>['kind'];
}) {
  const [words, setWords] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(words.trim()), 250);
    return () => clearTimeout(timer);
  }, [words]);
  const found = useApi('/api/organisation-list', {
    query: { q: q || undefined, kind, sort: 'name', dir: 'asc', limit: SHOWN },
  });
  const id = useId();
  const items = found.data?.items ?? [];
  const more = (found.data?.total ?? 0) - items.length;
  return (
    <span className="picker-field">
      <label htmlFor={`${id}-choice`}>{label}</label>{' '}
      <input
        type="search"
        aria-label={`Find ${label.toLowerCase()} by name`}
        placeholder="a word of the name"
        size={14}
        value={words}
        onChange={(e) => setWords(e.target.value)}
      />{' '}
      <select id={`${id}-choice`} name={name} required defaultValue="">
        {/* Nothing is chosen for the user: the form cannot be sent until an organisation is picked. */}
        <option value="" disabled>
          choose…
        </option>
        {items.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({labelOf(o.kind)})
          </option>
        ))}
      </select>
      {items.length === 0 && found.data ? <span className="muted"> none matches</span> : null}
      {more > 0 ? <span className="muted"> and {more.toLocaleString('en-US')} more: type a word</span> : null}
    </span>
  );
}
