import { useEffect, useState } from 'react';

/**
 * The page and its state live in the URL's hash (`#/deals?stage=sourced&sort=name`), so the back button
 * and a shared link bring back the same view.
 */
const read = () => window.location.hash.slice(1) || '/';

export function useHashRoute(): { path: string; params: URLSearchParams } {
  const [hash, setHash] = useState(read);
  useEffect(() => {
    const onChange = () => setHash(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const at = hash.indexOf('?');
  return at < 0
    ? { path: hash, params: new URLSearchParams() }
    : { path: hash.slice(0, at), params: new URLSearchParams(hash.slice(at + 1)) };
}

/** The URL query of a view (empty values dropped): what `navigate` writes and a saved view keeps. */
export const queryOf = (params: Record<string, string | undefined>): string =>
  new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  ).toString();

/** Goes to `path` with `params` (empty values dropped): a new history entry, so Back returns. */
export function navigate(path: string, params: Record<string, string | undefined> = {}): void {
  const query = queryOf(params);
  window.location.hash = query ? `${path}?${query}` : path;
}
