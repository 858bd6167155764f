import { useEffect, useRef, useState } from 'react';
import { can, type Principal } from '../../domain/roles.ts';
import { api, type ResponseOf } from '../api.ts';
import { ErrorState } from './States.tsx';

type Hit = ResponseOf<'GET /api/search'>['results'][number];

type Subject = NonNullable<Hit['about']>;
const OPENS: Record<Subject['kind'], (id: string) => string> = {
  deal: (id) => `#/deals/${encodeURIComponent(id)}`,
  company: (id) => `#/companies/${encodeURIComponent(id)}`,
  committee_meeting: () => '#/governance?tab=committee',
  node: (id) => `#/research?tab=graph&node=${encodeURIComponent(id)}`,
};
/** A note or a document opens what it belongs to; a deal or company its page; an organisation the network. */
const href = (hit: Hit) =>
  hit.about
    ? OPENS[hit.about.kind](hit.about.id)
    : hit.kind === 'deal' || hit.kind === 'company'
      ? OPENS[hit.kind](hit.id)
      : '#/network';
const KIND_LABEL: Record<Hit['kind'], string> = {
  deal: 'deal',
  company: 'company',
  organisation: 'client',
  note: 'note',
  document: 'document',
  research: 'research',
};

/** Focus is in a field: "/" is typing, not a shortcut. */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * Global search, opened with "/" or Ctrl-K (⌘K) anywhere, or the header's button: deals, companies and
 * organisations by a word of their name, notes by their words, documents by title, research nodes by name. The
 * server answers only with what the role may read.
 */
export function Search({ user }: { user: Principal }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const open = () => {
    if (!dialog.current?.open) dialog.current?.showModal();
    input.current?.select();
  };
  const close = () => dialog.current?.close();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (
        (event.key === 'k' && (event.ctrlKey || event.metaKey)) ||
        (event.key === '/' && !typing(event.target))
      ) {
        event.preventDefault();
        open();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });
  useEffect(() => {
    const words = q.trim();
    if (!words) {
      setHits(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api.get('/api/search', { query: { q: words } }).then(
        (r) => {
          if (!live) return;
          setHits(r.results);
          setError(null);
        },
        (e) => live && setError(e),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);

  return (
    <>
      <button type="button" className="search-button" onClick={open} aria-keyshortcuts="/ Control+K">
        Search <kbd>/</kbd>
      </button>
      <dialog ref={dialog} className="search" aria-label="Search">
        <form
          method="dialog"
          onSubmit={(e) => {
            // Enter opens the first result, as the list shows it.
            e.preventDefault();
            const first = hits?.[0];
            if (!first) return;
            window.location.hash = href(first);
            close();
          }}
        >
          <label>
            {/* What the server searches for this role: the public side finds research only. */}
            {can(user, 'deals.read')
              ? 'Search deals, companies, clients, notes, documents and research'
              : 'Search research'}
            <input
              ref={input}
              type="search"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              // A search field's own Escape empties it first; here one press closes the dialog.
              onKeyDown={(e) => {
                if (e.key !== 'Escape') return;
                e.preventDefault();
                close();
              }}
              placeholder="a word of a name or a note"
            />
          </label>
          {error ? <ErrorState error={error} /> : null}
          {hits && hits.length === 0 && (
            <p className="muted" data-testid="search-empty">
              Nothing found that your role may see. Try another word or its first letters.
            </p>
          )}
          {hits && hits.length > 0 && (
            <ul className="hits" aria-label="Results">
              {hits.map((h) => (
                <li key={`${h.kind}:${h.id}`} data-hit={`${h.kind}:${h.id}`}>
                  <a href={href(h)} onClick={close}>
                    <span className="hit-kind">{KIND_LABEL[h.kind]}</span> {h.title}
                  </a>
                  <div className="muted">{h.subtitle}</div>
                </li>
              ))}
            </ul>
          )}
          <button type="button" onClick={close}>
            Close
          </button>
        </form>
      </dialog>
    </>
  );
}
