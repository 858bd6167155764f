import { useCallback, useEffect, useState } from 'react';
import type { PathOf, RouteKey } from '../api/contract.ts';
import { api, type CallOptions, type ResponseOf, urlFor } from './api.ts';

/**
 * Loads a GET route (`null`: not now); `reload` fetches it again (after a write). Typed like `api.get`: the
 * data is the route's response type.
 */
export function useApi<P extends PathOf<'GET'>>(
  path: P | null,
  options?: CallOptions<`GET ${P}` & RouteKey>,
) {
  type Data = ResponseOf<`GET ${P}` & RouteKey>;
  const [state, setState] = useState<{ data?: Data; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  // The URL stands for the options: an object literal is new on every render, its URL is not.
  const url = path ? urlFor(path, options as never) : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is the reload trigger, read by no statement; `url` stands for `path` and `options`.
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    (api.get as (p: string, o?: unknown) => Promise<unknown>)(path, options).then(
      (data) => live && setState({ data: data as never, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [url, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
