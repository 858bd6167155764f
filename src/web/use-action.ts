import { useState } from 'react';

/**
 * A button's write: runs it, says what was done or shows the server's refusal, then lets the page reload
 * what it shows.
 */
export function useAction(onDone: () => void = () => {}) {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>, what: string) => {
    setError(null);
    setDone(null);
    try {
      await action();
      setDone(what);
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return { run, error, done };
}
