/**
 * Notices and mail do not pile up: the retention pass deletes read notices older than 180 days and outbox
 * rows sent or failed over 30 days ago, and keeps every unread notice, every mail still due, and any notice
 * an outbox row still names. Times are set in SQL so that "old" is exact.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser } from '../../src/app/auth.ts';
import { pruneOldNotifications } from '../../src/app/notifications/retention.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';

describeOnBackends('notification retention', (backend) => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    await addUser(keel, testAdmin, {
      id: 'reader',
      email: 'reader@example.org',
      name: 'Reader',
      role: 'banker',
      password: 'correct horse battery staple',
    });
  });
  afterAll(() => keel.close());

  it('deletes what has done its work and keeps what has not', async () => {
    const db = keel.database.db;
    const now = new Date('2027-06-30T12:00:00Z');
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    const notice = async (text: string, readDaysAgo: number | null, createdDaysAgo = 400) =>
      (
        await db
          .insertInto('notifications')
          .values({
            recipient: 'reader',
            kind: 'agenda',
            subject_type: 'deal',
            subject_id: 'd-1',
            text,
            created_at: daysAgo(createdDaysAgo),
            read_at: readDaysAgo === null ? null : daysAgo(readDaysAgo),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const mail = (notificationId: bigint, status: 'pending' | 'sent' | 'failed', daysAgoDone: number) =>
      db
        .insertInto('mail_outbox')
        .values({
          notification_id: notificationId,
          to_address: 'reader@example.org',
          subject: status,
          body: 'b',
          status,
          created_at: daysAgo(daysAgoDone + 1),
          next_attempt_at: daysAgo(daysAgoDone),
          sent_at: status === 'sent' ? daysAgo(daysAgoDone) : null,
        })
        .execute();

    const oldRead = await notice('old read', 181);
    await notice('recent read', 179);
    await notice('old unread', null);
    const oldReadWithPendingMail = await notice('old read, mail pending', 200);
    const oldReadWithRecentMail = await notice('old read, mail sent lately', 200);
    const recent = await notice('for mail', 10, 10);
    await mail(oldRead, 'sent', 31);
    await mail(recent, 'failed', 31);
    await mail(recent, 'sent', 29);
    await mail(oldReadWithPendingMail, 'pending', 90);
    await mail(oldReadWithRecentMail, 'sent', 5);

    expect(await pruneOldNotifications(keel, now)).toEqual({ mail: 2, notifications: 1 });
    const left = await db.selectFrom('notifications').select('text').orderBy('id').execute();
    expect(left.map((n) => n.text)).toEqual([
      'recent read',
      'old unread',
      'old read, mail pending',
      'old read, mail sent lately',
      'for mail',
    ]);
    const outbox = await db.selectFrom('mail_outbox').select(['subject', 'status']).orderBy('id').execute();
    expect(outbox.map((m) => m.status)).toEqual(['sent', 'pending', 'sent']);
    // Again at once: nothing more to delete (a second server's pass is harmless).
    expect(await pruneOldNotifications(keel, now)).toEqual({ mail: 0, notifications: 0 });
    const count = await sql<{ n: string }>`SELECT count(*)::text AS n FROM notifications`.execute(db);
    expect(count.rows[0]!.n).toBe('5');
  });
});
