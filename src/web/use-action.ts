import { useRef, useState } from 'react';

/**
 * A button's write: runs it, says what was done or shows the server's refusal, then lets the page reload
 * what it shows. A second click while the first write is under way is dropped (a double click must not
 * write twice); the guard is a ref because the second click arrives before React re-renders.
 */
export function useAction(onDone: () => void = () => {}) {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const pending = useRef(false);
  /** `what` is the outcome to show: fixed, or told by the answer. */
  const run = async <T>(action: () => Promise<T>, what: string | ((answer: T) => string)) => {
    if (pending.current) return;
    pending.current = true;
    setError(null);
    setDone(null);
    try {
      const answer = await action();
      setDone(typeof what === 'string' ? what : what(answer));
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      pending.current = false;
    }
  };
  /** Forgets the last outcome (see useFormPost's clear). */
  const clear = () => {
    setError(null);
    setDone(null);
  };
  return { run, error, done, clear };
}
