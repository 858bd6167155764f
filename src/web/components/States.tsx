import type { ReactNode } from 'react';
import { isBarrierPermission } from '../../domain/roles.ts';
import { ApiError } from '../api.ts';
import { asSentence } from '../format.ts';

export function Loading() {
  return (
    <p className="muted" aria-live="polite">
      Loading…
    </p>
  );
}

/** A refusal on the information barrier: private-side data a public-side role may see only after a crossing. */
const isBarrierRefusal = (error: ApiError) =>
  error.status === 403 &&
  typeof error.details?.permission === 'string' &&
  isBarrierPermission(error.details.permission);

/**
 * A failed read or write, in the server's own words. A refusal (4xx: a business rule, a permission, a
 * missing record) says so; only the information barrier adds the wall-crossing hint; only a failure of the
 * server or the network is "something went wrong".
 */
export function ErrorState({ error }: { error: unknown }) {
  if (error instanceof ApiError && isBarrierRefusal(error)) {
    return (
      <div className="notice denied" role="alert" data-refusal={error.code}>
        <strong>Not available to your role.</strong> {asSentence(error.message)} Deal data is private-side
        information; ask compliance for a wall-crossing if you need it.
      </div>
    );
  }
  if (error instanceof ApiError && error.status === 403) {
    return (
      <div className="notice denied" role="alert" data-refusal={error.code}>
        <strong>Not available to your role.</strong> {asSentence(error.message)}
      </div>
    );
  }
  if (error instanceof ApiError && error.status === 404) {
    return (
      <div className="notice denied" role="alert" data-refusal={error.code}>
        <strong>Not found.</strong> {asSentence(error.message)}
      </div>
    );
  }
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
    return (
      <div className="notice denied" role="alert" data-refusal={error.code}>
        <strong>Refused.</strong> {asSentence(error.message)}
      </div>
    );
  }
  return (
    <div className="notice error" role="alert">
      <strong>Something went wrong.</strong> {error instanceof Error ? error.message : String(error)}
    </div>
  );
}

/** Nothing to show yet: say so, and say what to do next (`children`: the next step). */
export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>;
}

/**
 * The server's refusal of a write, shown as such: its own words (a password rule, "another admin must approve
 * it"), not a generic failure. Anything that is not a refusal (5xx, network) is an ordinary error.
 */
export function Refusal({ error }: { error: unknown }) {
  if (!error) return null;
  return <ErrorState error={error} />;
}
