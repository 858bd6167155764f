/**
 * The browser session's cookie and CSRF header names, in a file of their own: both the server's session hook
 * and the login route need them, and taking them from server.ts made server.ts → routes → auth → server.ts a
 * circle.
 */
export const SESSION_COOKIE = 'keel_session';
export const CSRF_HEADER = 'x-csrf-token';
