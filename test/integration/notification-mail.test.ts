/**
 * Notification mail through a real SMTP conversation: a local server (smtp-server) on a random port receives
 * what the outbox sends. A write only queues mail, so a server that refuses leaves the write committed and
 * the mail due again later; each mail is sent at most once, however many senders drain the outbox at once.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser } from '../../src/app/auth.ts';
import { addToAgenda, listAgenda } from '../../src/app/committee.ts';
import type { AppContext } from '../../src/app/context.ts';
import { mailTransport, sendDueMail, startMailSender } from '../../src/app/notifications/mail-sender.ts';
import { outboxRows } from '../../src/db/notifications-repo.ts';
import { asIsoDate } from '../../src/domain/fields.ts';
import type { Principal } from '../../src/domain/roles.ts';
import { testAdmin } from '../principals.ts';
import { localSmtp } from '../support/local-smtp.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { seedDeals } from './fixtures.ts';

describeOnBackends('notification mail through SMTP', (backend) => {
  let keel: TestKeel;
  let smtp: Awaited<ReturnType<typeof localSmtp>>;
  let ctx: AppContext;
  let deal: string;
  const pm: Principal = { id: 'pat', role: 'portfolio_manager' };
  let meetings = 0;
  const putOnAgenda = () =>
    addToAgenda(ctx, pm, `agenda-${++meetings}`, {
      dealIds: [deal],
      meetingOn: asIsoDate(`2027-01-${String(10 + meetings).padStart(2, '0')}`),
      source: 'manual',
    });

  beforeAll(async () => {
    keel = await freshKeel(backend);
    [deal] = (await seedDeals(keel, { prefix: 'mail', count: 1 })) as [string];
    for (const [id, role] of [
      ['pat', 'portfolio_manager'],
      ['ida', 'investment_committee'],
    ] as const)
      await addUser(keel, testAdmin, {
        id,
        email: `${id}@example.org`,
        name: id.toUpperCase(),
        role,
        password: 'x'.repeat(16),
      });
    smtp = await localSmtp();
    ctx = {
      ...keel,
      mail: { url: smtp.url, from: 'Keel <keel@example.org>', publicUrl: 'https://keel.example.org' },
    };
  }, 120_000);
  afterAll(async () => {
    await smtp?.close();
    await keel?.close();
  });

  it('without SMTP configured a write queues no mail', async () => {
    await addToAgenda(keel, pm, 'no-mail', {
      dealIds: [deal],
      meetingOn: asIsoDate('2027-01-02'),
      source: 'manual',
    });
    expect(await outboxRows(keel.database.db)).toEqual([]);
  });

  it('a write queues mail; the sender delivers it once, to the right person, with the notice as subject', async () => {
    await putOnAgenda();
    const transport = mailTransport(ctx.mail!);
    // Two senders at once (two server processes): each mail is claimed by one of them only.
    await Promise.all([sendDueMail(ctx, transport), sendDueMail(ctx, transport)]);
    await sendDueMail(ctx, transport);
    transport.close();
    expect(smtp.received).toEqual([
      {
        to: ['ida@example.org'],
        subject: expect.stringMatching(/^Keel: PAT put .+ on the committee agenda for 2027-01-11$/),
      },
    ]);
    // KEEL_PUBLIC_URL set: the mail links to the deal the notice is about.
    expect(smtp.bodies[0]).toContain(`Open it in Keel: https://keel.example.org/#/deals/${deal}`);
    const [row] = await outboxRows(keel.database.db);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, to_address: 'ida@example.org' });
  });

  it('a refusing server leaves the write committed and the mail due again later, then sent', async () => {
    smtp.state.refusing = true;
    const before = smtp.received.length;
    const written = await putOnAgenda();
    expect(written.replayed).toBe(false);
    expect((await listAgenda(keel, pm)).filter((i) => i.meetingOn === '2027-01-12')).toHaveLength(1);
    const transport = mailTransport(ctx.mail!);
    await sendDueMail(ctx, transport);
    const failed = (await outboxRows(keel.database.db)).at(-1)!;
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.last_error).toMatch(/mailbox unavailable/);
    // Backoff: not due again at once.
    await sendDueMail(ctx, transport);
    expect((await outboxRows(keel.database.db)).at(-1)!.attempts).toBe(1);
    smtp.state.refusing = false;
    await sql`UPDATE mail_outbox SET next_attempt_at = now() WHERE id = ${failed.id}`.execute(
      keel.database.db,
    );
    await sendDueMail(ctx, transport);
    transport.close();
    expect((await outboxRows(keel.database.db)).at(-1)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.received.slice(before).map((m) => m.to)).toEqual([['ida@example.org']]);
  });

  it('the loop of keel serve delivers on its own and stops cleanly', async () => {
    const before = smtp.received.length;
    await putOnAgenda();
    const sender = startMailSender(ctx, { intervalMs: 50 })!;
    const deadline = Date.now() + 20_000;
    while (smtp.received.length === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await sender.stop();
    expect(smtp.received.length).toBe(before + 1);
  });
});
