/**
 * Notifications: what a user is told about a change that concerns them. Pure rules here (who may be told
 * about a deal, how often a mail is retried); the recipients of each audited action are in
 * app/notifications/rules.ts.
 */
import { PRIVATE_SIDE, type Role } from './roles.ts';

export const NOTIFICATION_KINDS = ['agenda', 'decision', 'wall_crossing', 'import', 'assignment'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What a notification links to: a deal, a committee meeting, a wall-crossing, an import job. */
export const SUBJECT_TYPES = ['deal', 'committee', 'wall_crossing', 'import'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/**
 * Where a notification leads in the web app (a hash path): its deal, the committee, compliance's list of
 * wall-crossings, the imports. Null for a wall-crossing when the reader may not see that list.
 */
export function notificationPath(
  notice: { subjectType: SubjectType; subjectId: string },
  mayReadWallCrossings: boolean,
): string | null {
  switch (notice.subjectType) {
    case 'deal':
      return `#/deals/${encodeURIComponent(notice.subjectId)}`;
    case 'committee':
      return '#/governance';
    case 'import':
      return '#/imports';
    case 'wall_crossing':
      return mayReadWallCrossings ? '#/admin' : null;
  }
}

/** A notification mail's body: the notice, and a link to it when Keel knows its own address. */
export function mailBody(text: string, link: string | null): string {
  return link
    ? `${text}\n\nOpen it in Keel: ${link}\n`
    : `${text}\n\nOpen Keel and choose Notifications to see it.\n`;
}

/** One notification a rule wants sent, before the information barrier has had its say. */
export interface NotificationDraft {
  recipient: string;
  kind: NotificationKind;
  subjectType: SubjectType;
  subjectId: string;
  text: string;
  /**
   * The deals whose names or facts the text carries: the recipient must be allowed to read every one of
   * them, or the notification is not made at all (never a cut-down copy: a rule that means to tell the
   * public side something writes a draft that names no deal).
   */
  deals: readonly string[];
}

/**
 * May someone in `role` be told about these deals? The private side may; a research analyst only about
 * deals it holds an open wall-crossing for (`crossed`); nobody else (the council sees aggregates only).
 */
export function mayBeToldOf(role: Role, deals: readonly string[], crossed: ReadonlySet<string>): boolean {
  if (PRIVATE_SIDE.has(role)) return true;
  return role === 'research_analyst' && deals.every((d) => crossed.has(d));
}

/** After this many failed attempts a mail is marked failed and left alone (about a day of retries). */
export const MAX_MAIL_ATTEMPTS = 8;

/** Wait before attempt `attempts + 1`: 30 s, doubling, at most 4 h, so a down server is not hammered. */
export const mailRetryDelayMs = (attempts: number): number =>
  Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 4 * 3_600_000);

/** A mail's subject line: the notification's text, cut to one short line. */
export function mailSubject(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return `Keel: ${line.length > 120 ? `${line.slice(0, 119)}…` : line}`;
}

/** Distinct, in first-seen order, without `except` (the person who did it need not be told). */
export function distinctRecipients(ids: Iterable<string>, except: string): string[] {
  return [...new Set(ids)].filter((id) => id !== except);
}

/**
 * How long notices and mail are kept. A read notice has done its work and an outbox row that was sent (or
 * failed for good) only records delivery; the audit log keeps the events themselves. Unread notices stay
 * until read: nobody should lose a notice they have not seen.
 */
export const RETENTION = {
  readNotificationDays: 180,
  finishedMailDays: 30,
} as const;
