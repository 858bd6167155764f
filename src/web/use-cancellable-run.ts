import { useEffect, useRef, useState } from 'react';

/**
 * A long run started from a form (the optimiser, the credit simulation): its result, error and progress,
 * whether it was cancelled, and `cancel`, which aborts the request (closing its stream stops the work on the
 * server). A page left mid-run aborts it too.
 */
export function useCancellableRun<T, P>() {
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [progress, setProgress] = useState<P | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const running = useRef<AbortController | null>(null);
  useEffect(() => () => running.current?.abort(), []);
  /** Runs `work` with the abort signal and the progress setter; `started` is the progress shown at once. */
  const run = async (started: P, work: (signal: AbortSignal, onProgress: (p: P) => void) => Promise<T>) => {
    const controller = new AbortController();
    running.current = controller;
    setProgress(started);
    setError(null);
    setCancelled(false);
    try {
      setResult(await work(controller.signal, setProgress));
    } catch (e) {
      if (controller.signal.aborted) setCancelled(true);
      else setError(e);
    } finally {
      running.current = null;
      setProgress(null);
    }
  };
  const cancel = () => running.current?.abort();
  return { result, error, progress, cancelled, run, cancel };
}
