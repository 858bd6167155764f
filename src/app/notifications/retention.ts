/**
 * Notices and mail do not pile up for ever: `keel serve` prunes read notices and finished mail past their
 * retention (domain/notifications.ts) at start and once a day, and the rate limits' counters a day old (a
 * window lasts minutes). Safe on several servers at once: each pass
 * is one transaction of deletes, and a second server's pass finds nothing left to delete.
 */
import { pruneNotifications } from '../../db/notifications-repo.ts';
import { pruneRateLimits } from '../../db/rate-limit-repo.ts';
import { RETENTION } from '../../domain/notifications.ts';
import type { AppContext } from '../context.ts';

const DAY_MS = 86_400_000;

export function pruneOldNotifications(ctx: AppContext, now = new Date()) {
  return pruneNotifications(ctx.database.db, {
    mailBefore: new Date(now.getTime() - RETENTION.finishedMailDays * DAY_MS),
    readBefore: new Date(now.getTime() - RETENTION.readNotificationDays * DAY_MS),
  });
}

/** Prunes now and then daily; `stop` clears the timer and waits for a pass under way. */
export function startNotificationRetention(ctx: AppContext, onError: (error: unknown) => void) {
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = Promise.all([
      pruneOldNotifications(ctx),
      pruneRateLimits(ctx.database.db, new Date(Date.now() - DAY_MS)),
    ]).catch(onError);
  };
  pass();
  const timer = setInterval(pass, DAY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
