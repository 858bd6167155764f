import { useEffect, useState } from 'react';
import { api } from '../api.ts';

/** Pages that change what is read say so with this event, so the bell need not wait for its next poll. */
export const NOTIFICATIONS_CHANGED = 'keel:notifications-changed';
const POLL_MS = 30_000;

/**
 * The unread count in the header, beside the menu button (so it shows on a phone too). It is asked for on
 * every page change, every 30 s, and when a page marks notifications read; a failed poll keeps the last count.
 */
export function NotificationBell({ route }: { route: string }) {
  const [unread, setUnread] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `route` is the trigger: a new page asks again.
  useEffect(() => {
    let live = true;
    const refresh = () =>
      api.get('/api/notifications/unread-count').then(
        (r) => live && setUnread(r.unread),
        () => {},
      );
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    window.addEventListener(NOTIFICATIONS_CHANGED, refresh);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener(NOTIFICATIONS_CHANGED, refresh);
    };
  }, [route]);
  const label = unread === 0 ? 'Notifications, none unread' : `Notifications, ${unread} unread`;
  return (
    <a
      className="bell"
      href="#/notifications"
      aria-label={label}
      title={label}
      data-testid="bell"
      aria-current={route.startsWith('/notifications') ? 'page' : undefined}
    >
      <span aria-hidden="true">🔔</span>
      {unread > 0 ? (
        <span className="bell-count" aria-hidden="true" data-testid="unread-count">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </a>
  );
}
