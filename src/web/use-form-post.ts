import { type FormEvent, useState } from 'react';
import { api } from './api.ts';

/**
 * Posting a form: builds the body from its fields, shows what went wrong, resets the form and says what was
 * saved on success, then lets the page reload what it shows.
 */
export function useFormPost(onDone: () => void = () => {}) {
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const submit = async (
    event: FormEvent<HTMLFormElement>,
    path: string,
    body: (form: FormData) => unknown,
    what: string,
  ) => {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    setSaved(null);
    try {
      await api(path, { method: 'POST', body: body(new FormData(form)) });
      form.reset();
      setSaved(what);
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return { submit, error, saved, setError };
}
