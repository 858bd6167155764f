import { type FormEvent, useRef, useState } from 'react';
import type { PathOf, RouteKey } from '../api/contract.ts';
import { api, type BodyOf, type CallOptions } from './api.ts';

/**
 * A body built from form fields: the route's field names and shapes, but a choice among fixed values (a
 * role, a kind) is the select's text, which the server checks against the domain's values.
 */
type FormBody<T> = T extends string
  ? string | undefined
  : T extends readonly (infer U)[]
    ? FormBody<U>[]
    : T extends object
      ? { [K in keyof T]: FormBody<T[K]> }
      : T;

/**
 * Posting a form: builds the route's body from its fields, shows what went wrong, resets the form and says
 * what was saved on success, then lets the page reload what it shows. A submit while one is under way is
 * dropped: a double click on "Add note" posted it twice and made two notes (found by the fresh-eyes attack).
 * The guard is a ref, not state, because the second click arrives before React re-renders.
 */
export function useFormPost(onDone: () => void = () => {}) {
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const pending = useRef(false);
  const submit = async <P extends PathOf<'POST'>>(
    event: FormEvent<HTMLFormElement>,
    path: P,
    body: (form: FormData) => FormBody<BodyOf<`POST ${P}` & RouteKey>>,
    what: string,
    params?: CallOptions<`POST ${P}` & RouteKey>['params'],
  ) => {
    event.preventDefault();
    if (pending.current) return;
    pending.current = true;
    const form = event.currentTarget;
    setError(null);
    setSaved(null);
    try {
      await (api.post as (p: string, o: unknown) => Promise<unknown>)(path, {
        body: body(new FormData(form)),
        params,
      });
      form.reset();
      setSaved(what);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      pending.current = false;
    }
  };
  /** Forgets the last outcome: a page with several forms shows only the newest one's (Users, the admin page). */
  const clear = () => {
    setError(null);
    setSaved(null);
  };
  return { submit, error, saved, setError, clear };
}
