import { useEffect, useState } from 'react';
import { navigate, queryOf } from './hash-route.ts';

/**
 * A server-sorted, paged list whose view lives in the URL (`keys`, with `q` for words, `sort`, `dir` and
 * `offset` among them): Back returns to the previous view, a link shows a colleague the same one. Words are
 * typed into a field of their own and go to the URL when the typing pauses; a click on the sorted column
 * turns its direction.
 */
type ListKey = 'q' | 'sort' | 'dir' | 'offset';

export function useListView<K extends string>(
  path: string,
  params: URLSearchParams,
  keys: readonly (K | ListKey)[],
  defaults: { sort: string; ascending(sort: string): boolean },
) {
  const view = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K | ListKey, string>;
  const sort = view.sort || defaults.sort;
  const dir = view.dir || (defaults.ascending(sort) ? 'asc' : 'desc');
  const offset = Number(view.offset) || 0;
  const [words, setWords] = useState(view.q);
  useEffect(() => setWords(view.q), [view.q]);
  const go = (change: Partial<Record<K | ListKey, string>>) =>
    navigate(path, { ...view, offset: '', ...change });
  useEffect(() => {
    if (words === view.q) return;
    const timer = setTimeout(() => go({ q: words } as Partial<Record<K | ListKey, string>>), 300);
    return () => clearTimeout(timer);
  });
  const sortBy = (key: string) =>
    go({ sort: key, dir: sort === key ? (dir === 'asc' ? 'desc' : 'asc') : '' } as Partial<
      Record<K | ListKey, string>
    >);
  /** The view as a saved view keeps it: every filter and the sort, not the page. */
  const savedQuery = queryOf({ ...view, offset: '' });
  return { view, sort, dir, offset, words, setWords, go, sortBy, savedQuery };
}
