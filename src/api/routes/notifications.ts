import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  notificationPageSchema,
  unreadNotificationCount,
} from '../../app/notifications/inbox.ts';
import { rowId } from '../../domain/fields.ts';
import {
  listNotificationsResponse,
  markAllReadResponse,
  markReadResponse,
  unreadCountResponse,
} from '../responses/notifications.ts';
import { route } from '../route.ts';

export function notificationRoutes(ctx: AppContext) {
  return {
    listNotifications: route({
      method: 'GET',
      url: '/api/notifications',
      access: 'notifications.read',
      summary: 'Your own notifications, newest first (optionally unread only), a page at a time',
      tags: ['notifications'],
      query: notificationPageSchema,
      response: listNotificationsResponse,
      handler: async ({ principal, query }) => listNotifications(ctx, principal, query),
    }),
    unreadNotificationCount: route({
      method: 'GET',
      url: '/api/notifications/unread-count',
      access: 'notifications.read',
      summary: 'How many of your notifications are unread (for the bell)',
      tags: ['notifications'],
      response: unreadCountResponse,
      handler: async ({ principal }) => unreadNotificationCount(ctx, principal),
    }),
    markNotificationRead: route({
      method: 'POST',
      url: '/api/notifications/:id/read',
      access: 'notifications.write',
      write: true,
      summary: 'Mark one of your notifications read',
      tags: ['notifications'],
      params: z.object({ id: rowId }),
      response: markReadResponse,
      handler: async ({ principal, params, idempotencyKey }) =>
        markNotificationRead(ctx, principal, idempotencyKey, params.id),
    }),
    markAllNotificationsRead: route({
      method: 'POST',
      url: '/api/notifications/read-all',
      access: 'notifications.write',
      write: true,
      summary: 'Mark all your notifications read',
      tags: ['notifications'],
      response: markAllReadResponse,
      handler: async ({ principal, idempotencyKey }) =>
        markAllNotificationsRead(ctx, principal, idempotencyKey),
    }),
  };
}
