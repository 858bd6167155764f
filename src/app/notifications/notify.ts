/**
 * The hook runWrite calls for every audited write, in the write's own transaction: the notifications a
 * write causes are committed with it or not at all, and a write cannot forget them (the rule table is keyed
 * by the audit action). E-mail is only queued here (the outbox); the sender loop delivers it later, so SMTP
 * never slows or fails a write.
 */
import type { Transaction } from 'kysely';
import {
  activeUsers,
  insertNotifications,
  insertOutbox,
  openCrossings,
} from '../../db/notifications-repo.ts';
import type { Schema } from '../../db/schema.ts';
import {
  mailBody,
  mailSubject,
  mayBeToldOf,
  type NotificationDraft,
  notificationPath,
  type SubjectType,
} from '../../domain/notifications.ts';
import { can, type Role } from '../../domain/roles.ts';
import type { AppContext } from '../context.ts';
import { type AuditedWrite, NOTIFICATION_RULES } from './rules.ts';

export async function notifyAuditedWrite(
  ctx: AppContext,
  tx: Transaction<Schema>,
  write: AuditedWrite,
): Promise<void> {
  if (!Object.hasOwn(NOTIFICATION_RULES, write.action)) return;
  const rule = NOTIFICATION_RULES[write.action]!;
  await deliver(ctx, tx, await rule(tx, write), write.actor.id);
}

/**
 * Stores the drafts the barrier allows: for active users only, never for the person who did it (`except`),
 * once per recipient and subject, and a deal named only to someone who may read it. Queues their mail
 * when SMTP is configured; without it nothing is queued, so turning mail on later sends no backlog.
 */
export async function deliver(
  ctx: AppContext,
  tx: Transaction<Schema>,
  drafts: readonly NotificationDraft[],
  except: string,
): Promise<void> {
  const seen = new Set<string>();
  const wanted = drafts.filter((d) => {
    const key = `${d.recipient}\u0000${d.kind}\u0000${d.subjectType}\u0000${d.subjectId}`;
    if (d.recipient === except || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (wanted.length === 0) return;
  const users = new Map(
    (await activeUsers(tx, [...new Set(wanted.map((d) => d.recipient))])).map((u) => [u.id, u]),
  );
  const crossed = await crossedDeals(tx, wanted, users);
  const allowed = wanted.filter((d) => {
    const user = users.get(d.recipient);
    return user !== undefined && mayBeToldOf(user.role, d.deals, crossed.get(d.recipient) ?? new Set());
  });
  const stored = await insertNotifications(
    tx,
    allowed.map((d) => ({
      recipient: d.recipient,
      kind: d.kind,
      subject_type: d.subjectType,
      subject_id: d.subjectId,
      text: d.text,
    })),
  );
  const mail = ctx.mail;
  if (!mail) return;
  await insertOutbox(
    tx,
    stored.map((n) => ({
      notification_id: n.id,
      to_address: users.get(n.recipient)!.email,
      subject: mailSubject(n.text),
      body: mailBody(n.text, linkFor(n, users.get(n.recipient)!.role, mail.publicUrl)),
    })),
  );
}

/** The notice's address in the web app for this recipient, when Keel knows its own public address. */
function linkFor(
  notice: { subject_type: string; subject_id: string },
  role: Role,
  publicUrl: string | undefined,
): string | null {
  if (!publicUrl) return null;
  const path = notificationPath(
    { subjectType: notice.subject_type as SubjectType, subjectId: notice.subject_id },
    can({ id: '', role }, 'wall_crossings.read'),
  );
  return `${publicUrl}/${path ?? '#/notifications'}`;
}

/** The deals each public-side recipient has an open wall-crossing for (only those the drafts name). */
async function crossedDeals(
  tx: Transaction<Schema>,
  drafts: readonly NotificationDraft[],
  users: ReadonlyMap<string, { id: string; role: string }>,
): Promise<Map<string, Set<string>>> {
  const analysts = [...users.values()].filter((u) => u.role === 'research_analyst');
  const deals = [...new Set(drafts.flatMap((d) => d.deals))];
  const rows = await openCrossings(
    tx,
    analysts.map((a) => a.id),
    deals,
  );
  const byUser = new Map<string, Set<string>>();
  for (const row of rows) byUser.set(row.user_id, (byUser.get(row.user_id) ?? new Set()).add(row.deal_id));
  return byUser;
}

/**
 * An import job's end, told to whoever started it. A failed import writes nothing and so has no audit row
 * to hang this on: it is its own small transaction, after the job has settled. The text names the kind and
 * the count, nothing from the file, and never a deal.
 */
export async function notifyImportFinished(
  ctx: AppContext,
  job: {
    id: string;
    kind: string;
    owner: string;
    status: string;
    rows?: number;
    replayed?: boolean;
    error?: string;
  },
): Promise<void> {
  if (job.status !== 'done' && job.status !== 'failed') return;
  const kind = job.kind.replaceAll('_', ' ');
  const text =
    job.status === 'failed'
      ? `Your import of ${kind} failed: ${job.error ?? 'nothing was imported'}`
      : job.replayed
        ? `Your import of ${kind} finished: this file was imported before, so nothing changed`
        : `Your import of ${kind} finished: ${job.rows ?? 0} rows`;
  const draft: NotificationDraft = {
    recipient: job.owner,
    kind: 'import',
    subjectType: 'import',
    subjectId: job.id,
    text: text.slice(0, 2000),
    deals: [],
  };
  await ctx.database.db.transaction().execute((tx) => deliver(ctx, tx, [draft], ''));
}
