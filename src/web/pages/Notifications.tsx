import { useState } from 'react';
import { notificationPath } from '../../domain/notifications.ts';
import { can, type Principal } from '../../domain/roles.ts';
import { api, type ResponseOf } from '../api.ts';
import { NOTIFICATIONS_CHANGED } from '../components/NotificationBell.tsx';
import { Pager } from '../components/Pager.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { formatMoment } from '../format.ts';
import { useAction } from '../use-action.ts';
import { useApi } from '../use-api.ts';

type Notice = ResponseOf<'GET /api/notifications'>['items'][number];
const PAGE = 20;

const linkFor = (notice: Notice, user: Principal) =>
  notificationPath(notice, can(user, 'wall_crossings.read'));

/** Your notifications, newest first; opening one marks it read, and "Mark all read" clears the bell. */
export function Notifications({ user }: { user: Principal }) {
  const [offset, setOffset] = useState(0);
  const list = useApi('/api/notifications', { query: { limit: PAGE, offset } });
  const changed = () => {
    list.reload();
    window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
  };
  const action = useAction(changed);
  const open = async (notice: Notice, href: string) => {
    if (!notice.readAt)
      await api.post('/api/notifications/:id/read', { params: { id: notice.id } }).catch(() => {});
    window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
    window.location.hash = href.slice(1);
  };
  const data = list.data;
  return (
    <section className="notifications">
      <h1>Notifications</h1>
      {data && data.unread > 0 ? (
        <button
          type="button"
          onClick={() =>
            action.run(
              () => api.post('/api/notifications/read-all'),
              'All your notifications are marked read.',
            )
          }
        >
          Mark all read
        </button>
      ) : null}
      {action.done ? (
        <p className="notice ok" role="status">
          {action.done}
        </p>
      ) : null}
      {action.error ? <ErrorState error={action.error} /> : null}
      {list.error ? <ErrorState error={list.error} /> : null}
      {!data && !list.error ? <Loading /> : null}
      {data && data.items.length === 0 ? (
        <Empty>
          No notifications yet. You are told here when a deal goes on the committee agenda, a decision is
          recorded, a wall-crossing concerns you, an import you started finishes, or you are put on a deal
          team.
        </Empty>
      ) : null}
      {data && data.items.length > 0 ? (
        <ul className="notice-list">
          {data.items.map((notice) => (
            <NoticeItem
              key={notice.id}
              notice={notice}
              href={linkFor(notice, user)}
              onOpen={open}
              onMarkRead={() =>
                action.run(
                  () => api.post('/api/notifications/:id/read', { params: { id: notice.id } }),
                  'Marked read.',
                )
              }
            />
          ))}
        </ul>
      ) : null}
      {data && data.total > PAGE ? (
        <Pager offset={offset} pageSize={PAGE} total={data.total} onPage={setOffset} />
      ) : null}
    </section>
  );
}

function NoticeItem({
  notice,
  href,
  onOpen,
  onMarkRead,
}: {
  notice: Notice;
  href: string | null;
  onOpen(notice: Notice, href: string): void;
  onMarkRead(): void;
}) {
  const unread = !notice.readAt;
  return (
    <li className={unread ? 'notice-item unread' : 'notice-item'} data-testid="notification">
      <p>
        {unread ? <strong className="tag">New</strong> : null} {notice.text}
      </p>
      <p className="muted">
        {formatMoment(notice.createdAt)}
        {href ? (
          <>
            {' · '}
            <a
              href={href}
              onClick={(event) => {
                event.preventDefault();
                onOpen(notice, href);
              }}
            >
              Open
            </a>
          </>
        ) : null}
        {!href && unread ? (
          <>
            {' · '}
            <button type="button" className="link" onClick={onMarkRead}>
              Mark read
            </button>
          </>
        ) : null}
      </p>
    </li>
  );
}
