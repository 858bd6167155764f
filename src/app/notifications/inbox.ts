/**
 * A user's own notifications: listed, counted and marked read. Every query is scoped to the caller's id, so
 * no one reads or marks another's notices; someone else's id answers exactly as an id that does not exist.
 */
import { z } from 'zod';
import { countOwn, markAllOwnRead, markOwnRead, ownNotifications } from '../../db/notifications-repo.ts';
import { KeelError } from '../../domain/errors.ts';
import { authorize } from '../../domain/roles.ts';
import { camelCased } from '../camel-case.ts';
import type { Actor, AppContext } from '../context.ts';
import { runWrite } from '../write.ts';

export const notificationPageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  unread: z.enum(['true', 'false']).default('false'),
});

export async function listNotifications(
  ctx: AppContext,
  actor: Actor,
  page: z.infer<typeof notificationPageSchema>,
) {
  authorize(actor, 'notifications.read');
  const db = ctx.database.db;
  const unreadOnly = page.unread === 'true';
  const [rows, total, unread] = await Promise.all([
    ownNotifications(db, actor.id, { limit: page.limit, offset: page.offset, unreadOnly }),
    countOwn(db, actor.id, unreadOnly),
    countOwn(db, actor.id, true),
  ]);
  return { items: rows.map(camelCased), total, unread };
}

export async function unreadNotificationCount(ctx: AppContext, actor: Actor) {
  authorize(actor, 'notifications.read');
  return { unread: await countOwn(ctx.database.db, actor.id, true) };
}

/**
 * Marking read changes state, so it is a write like any other (write scope, idempotency key, audited):
 * a read-scoped token only looks. Marking an already-read notice keeps its first read time.
 */
export async function markNotificationRead(ctx: AppContext, actor: Actor, key: string, id: bigint) {
  authorize(actor, 'notifications.write');
  return runWrite(
    ctx,
    { actor, action: 'notification.read', key, request: { id }, subject: `notification:${id}` },
    async (tx) => {
      if (!(await markOwnRead(tx, actor.id, id))) throw new KeelError('not_found', `no notification ${id}`);
      return { result: { id, read: true } };
    },
  );
}

export async function markAllNotificationsRead(ctx: AppContext, actor: Actor, key: string) {
  authorize(actor, 'notifications.write');
  return runWrite(
    ctx,
    { actor, action: 'notification.read_all', key, request: {}, subject: `user:${actor.id}` },
    async (tx) => ({ result: { marked: await markAllOwnRead(tx, actor.id) } }),
  );
}
