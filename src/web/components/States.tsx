import type { ReactNode } from 'react';
import { ApiError } from '../api.ts';

export function Loading() {
  return (
    <p className="muted" aria-live="polite">
      Loading…
    </p>
  );
}

export function ErrorState({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 403) {
    return (
      <div className="notice denied" role="alert">
        <strong>Not available to your role.</strong> {error.message}. Deal data is private-side information;
        ask compliance for a wall-crossing if you need it.
      </div>
    );
  }
  return (
    <div className="notice error" role="alert">
      <strong>Something went wrong.</strong> {error instanceof Error ? error.message : String(error)}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>;
}

/**
 * The server's refusal of a write, shown as such: its own words (a password rule, "another admin must approve
 * it"), not a generic failure. Anything that is not a refusal (5xx, network) is an ordinary error.
 */
export function Refusal({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
    return (
      <div className="notice denied" role="alert" data-refusal={error.code}>
        <strong>Refused.</strong> {error.message}
      </div>
    );
  }
  return <ErrorState error={error} />;
}
