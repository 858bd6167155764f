/** What the notification routes answer (routes/notifications.ts). */
import { z } from 'zod';
import { NOTIFICATION_KINDS, SUBJECT_TYPES } from '../../domain/notifications.ts';
import { bigintString, timestamp, writeResult } from './shared.ts';

export const listNotificationsResponse = z.object({
  items: z.array(
    z.object({
      id: bigintString,
      kind: z.string().pipe(z.enum(NOTIFICATION_KINDS)),
      subjectType: z.string().pipe(z.enum(SUBJECT_TYPES)),
      subjectId: z.string(),
      text: z.string(),
      createdAt: timestamp,
      readAt: timestamp.nullable(),
    }),
  ),
  /** How many the filter matches (all, or unread only), for paging. */
  total: z.number().int(),
  unread: z.number().int(),
});

export const unreadCountResponse = z.object({ unread: z.number().int() });

export const markReadResponse = writeResult(z.object({ id: bigintString, read: z.boolean() }));

export const markAllReadResponse = writeResult(z.object({ marked: z.number().int() }));
