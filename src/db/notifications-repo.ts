/**
 * The notifications aggregate (a user's notices, read or not) and the e-mail outbox the sender loop drains.
 * Every read and mark is scoped by recipient in the query itself: a user's id is the namespace of their
 * notices, so another user's id answers "no such notification", never someone else's row.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Role } from '../domain/roles.ts';
import type { Schema } from './schema.ts';
import { anyOf } from './sql-helpers.ts';

export interface NotificationRow {
  recipient: string;
  kind: string;
  subject_type: string;
  subject_id: string;
  text: string;
}

export async function insertNotifications(tx: Transaction<Schema>, rows: readonly NotificationRow[]) {
  if (rows.length === 0) return [];
  return tx
    .insertInto('notifications')
    .values(rows)
    .returning(['id', 'recipient', 'text', 'subject_type', 'subject_id'])
    .execute();
}

/** Active users by id, with the role and address a notice and its mail need. */
export const activeUsers = (db: Kysely<Schema>, ids: readonly string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('users')
        .select(['id', 'role', 'email', 'name'])
        .where('id', '=', anyOf(ids))
        .where('disabled', '=', false)
        .execute();

/** Active users holding one of `roles` (the committee, risk & compliance). */
export const activeUsersInRoles = async (db: Kysely<Schema>, roles: readonly Role[]) =>
  (
    await db
      .selectFrom('users')
      .select('id')
      .where('role', '=', anyOf(roles))
      .where('disabled', '=', false)
      .orderBy('id')
      .execute()
  ).map((r) => r.id);

/**
 * Users a deal team's free-text entries name, by id or e-mail address (case-insensitive): one query for
 * however many entries (a deal import names many), answered as entry (lower-case) → user id.
 */
export async function usersNamedBy(
  db: Kysely<Schema>,
  entries: readonly string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(entries.map((e) => e.trim().toLowerCase()))].filter(Boolean);
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where((eb) => eb.or([eb(sql`lower(id)`, '=', anyOf(wanted)), eb(sql`lower(email)`, '=', anyOf(wanted))]))
    .orderBy('id')
    .execute();
  const named = new Map<string, string>();
  for (const row of rows) {
    named.set(row.id.toLowerCase(), row.id);
    named.set(row.email.toLowerCase(), row.id);
  }
  return named;
}

/** Who of `userIds` holds an approved, unexpired wall-crossing, and for which of `dealIds`. */
export async function openCrossings(
  db: Kysely<Schema>,
  userIds: readonly string[],
  dealIds: readonly string[],
) {
  if (userIds.length === 0 || dealIds.length === 0) return [];
  return db
    .selectFrom('wall_crossings')
    .select(['user_id', 'deal_id'])
    .where('user_id', '=', anyOf(userIds))
    .where('deal_id', '=', anyOf(dealIds))
    .where('status', '=', 'approved')
    .where('expires_at', '>', sql<string>`now()`)
    .execute();
}

export async function ownNotifications(
  db: Kysely<Schema>,
  recipient: string,
  page: { limit: number; offset: number; unreadOnly: boolean },
) {
  let query = db.selectFrom('notifications').selectAll().where('recipient', '=', recipient);
  if (page.unreadOnly) query = query.where('read_at', 'is', null);
  return query.orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
}

export async function countOwn(db: Kysely<Schema>, recipient: string, unreadOnly: boolean): Promise<number> {
  let query = db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('recipient', '=', recipient);
  if (unreadOnly) query = query.where('read_at', 'is', null);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Marks one of the recipient's own notices read (kept as first read); false if they have none by that id. */
export async function markOwnRead(tx: Transaction<Schema>, recipient: string, id: bigint): Promise<boolean> {
  const row = await tx
    .updateTable('notifications')
    .set({ read_at: sql<string>`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('recipient', '=', recipient)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function markAllOwnRead(tx: Transaction<Schema>, recipient: string): Promise<number> {
  const rows = await tx
    .updateTable('notifications')
    .set({ read_at: sql<string>`now()` })
    .where('recipient', '=', recipient)
    .where('read_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

export async function insertOutbox(
  tx: Transaction<Schema>,
  rows: ReadonlyArray<{ notification_id: bigint; to_address: string; subject: string; body: string }>,
) {
  if (rows.length > 0) await tx.insertInto('mail_outbox').values(rows).execute();
}

/**
 * Claims up to `limit` due mails for `leaseMs`, in one statement: rows another server process is claiming
 * at the same moment are skipped (SKIP LOCKED), and a claimed row is 'sending', so no row is claimed twice.
 * The mails are then sent outside any transaction (PGlite has one connection: a slow SMTP server must not
 * hold it).
 */
export async function claimDueMail(db: Kysely<Schema>, limit: number, leaseMs: number) {
  const due = db
    .selectFrom('mail_outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', sql<string>`now()`)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  return db
    .updateTable('mail_outbox')
    .set({
      status: 'sending',
      claimed_until: sql<string>`now() + make_interval(secs => ${leaseMs / 1000}::float8)`,
    })
    .where('id', 'in', due)
    .returning(['id', 'to_address', 'subject', 'body', 'attempts'])
    .execute();
}

/** Claims that outlived their lease (the process stopped mid-send) fail: resending could send twice. */
export async function failAbandonedClaims(db: Kysely<Schema>): Promise<number> {
  const rows = await db
    .updateTable('mail_outbox')
    .set({
      status: 'failed',
      last_error: 'the sender stopped while sending; not retried, so never sent twice',
    })
    .where('status', '=', 'sending')
    .where('claimed_until', '<', sql<string>`now()`)
    .returning('id')
    .execute();
  return rows.length;
}

export async function markMailSent(db: Kysely<Schema>, id: bigint): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({
      status: 'sent',
      sent_at: sql<string>`now()`,
      attempts: sql<number>`attempts + 1`,
      last_error: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** A failed attempt: due again after `retryInMs`, or failed for good when `final`. */
export async function markMailAttemptFailed(
  db: Kysely<Schema>,
  id: bigint,
  outcome: { error: string; retryInMs: number; final: boolean },
): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({
      status: outcome.final ? 'failed' : 'pending',
      attempts: sql<number>`attempts + 1`,
      claimed_until: null,
      last_error: outcome.error.slice(0, 1000),
      next_attempt_at: sql<string>`now() + make_interval(secs => ${outcome.retryInMs / 1000}::float8)`,
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** Deletes outbox rows sent or failed before `mailBefore`, then read notices from before `readBefore` that
 * no outbox row still names; answers how many of each. */
export async function pruneNotifications(
  db: Kysely<Schema>,
  cutoffs: { mailBefore: Date; readBefore: Date },
): Promise<{ mail: number; notifications: number }> {
  return db.transaction().execute(async (tx) => {
    const mail = await tx
      .deleteFrom('mail_outbox')
      .where('status', 'in', ['sent', 'failed'])
      .where(
        sql<boolean>`coalesce(sent_at, next_attempt_at, created_at) < ${cutoffs.mailBefore.toISOString()}`,
      )
      .executeTakeFirst();
    const notifications = await tx
      .deleteFrom('notifications as n')
      .where('n.read_at', 'is not', null)
      .where('n.read_at', '<', cutoffs.readBefore.toISOString())
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('mail_outbox as m').select('m.id').whereRef('m.notification_id', '=', 'n.id'))),
      )
      .executeTakeFirst();
    return { mail: Number(mail.numDeletedRows), notifications: Number(notifications.numDeletedRows) };
  });
}

/** The outbox, oldest first (for tests and the operator). */
export const outboxRows = (db: Kysely<Schema>) =>
  db.selectFrom('mail_outbox').selectAll().orderBy('id').execute();

/** What a notice names a deal by (its name, else its company and instrument) and who its team is. */
export const dealsForNotice = (db: Kysely<Schema>, ids: readonly string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('deals')
        .innerJoin('companies', 'companies.id', 'deals.company_id')
        .select(['deals.id', 'deals.name', 'deals.instrument', 'deals.team', 'companies.name as company'])
        .where('deals.id', '=', anyOf(ids))
        .execute();

/** Who opened the deal (its first stage move): the deal's originator when no team names a user. */
export const dealOriginator = async (db: Kysely<Schema>, dealId: string) =>
  (
    await db
      .selectFrom('deal_stage_moves')
      .select('moved_by')
      .where('deal_id', '=', dealId)
      .where('from_stage', 'is', null)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst()
  )?.moved_by;

/** One wall-crossing's people and deal. */
export const crossingForNotice = (db: Kysely<Schema>, id: bigint) =>
  db
    .selectFrom('wall_crossings')
    .select(['user_id', 'deal_id', 'requested_by', 'status', 'expires_at'])
    .where('id', '=', id)
    .executeTakeFirst();
