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
      <BellIcon />
      {unread > 0 ? (
        <span className="bell-count" aria-hidden="true" data-testid="unread-count">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </a>
  );
}

/** A bell drawn in SVG: an emoji bell needs a colour-emoji font, which many Linux desktops lack (an empty box). */
function BellIcon() {
  return (
    <svg
      aria-hidden="true"
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
