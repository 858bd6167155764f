import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Long work over server-sent events: `progress` events while it runs, one `result` at the end. `cancel`
 * closes the stream, which stops the work on the server; `restart` runs it again.
 */
export function useEventStream<T>(url: string) {
  const [state, setState] = useState<{
    data?: T;
    error?: unknown;
    progress?: { done: number; total: number };
    running: boolean;
    cancelled?: boolean;
  }>({
    running: true,
  });
  const source = useRef<EventSource | null>(null);
  const start = useCallback(() => {
    source.current?.close();
    setState({ running: true });
    const es = new EventSource(url);
    source.current = es;
    es.addEventListener('progress', (e) =>
      setState((s) => ({ ...s, progress: JSON.parse((e as MessageEvent).data) })),
    );
    es.addEventListener('result', (e) => {
      setState({ data: JSON.parse((e as MessageEvent).data), running: false });
      es.close();
    });
    es.addEventListener('failure', (e) => {
      setState({ error: new Error(JSON.parse((e as MessageEvent).data).message), running: false });
      es.close();
    });
    es.onerror = () => {
      // The server ends the stream after the result; an error before it is a real failure.
      if (es.readyState === EventSource.CLOSED) return;
      es.close();
      setState((s) =>
        s.running ? { error: new Error('the connection to the server was lost'), running: false } : s,
      );
    };
  }, [url]);
  useEffect(() => {
    start();
    return () => source.current?.close();
  }, [start]);
  const cancel = useCallback(() => {
    source.current?.close();
    setState((s) => ({ ...s, running: false, cancelled: true }));
  }, []);
  return { ...state, cancel, restart: start };
}
