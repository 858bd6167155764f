/**
 * An admin resets a user's password: Keel issues a one-time link for that user (a 256-bit token kept only as
 * its SHA-256, like the first-admin setup link) and ends their sessions; the user opens the link, which sets
 * a new password on the setup page and is spent in the same transaction. The admin never learns the new
 * password. Where Keel sends mail and knows its own address (KEEL_SMTP_URL, KEEL_PUBLIC_URL), the link goes
 * to the user's address and the admin never sees it; otherwise it is shown to the admin once, to hand over.
 * Either way it is not in the idempotency store, the audit trail or the mail outbox (whose rows are kept).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { JobHead } from '../db/jobs-repo.ts';
import {
  endSessions,
  insertSetupLink,
  isSsoAccount,
  liveResetLink,
  lockUser,
  revokeUserTokens,
  setPasswordHash,
  spendResetLinks,
} from '../db/users-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { PASSWORD_MAX_CHARACTERS } from '../domain/passwords.ts';
import { authorize, type Role } from '../domain/roles.ts';
import { hashPassword } from './auth.ts';
import type { Actor, AppContext, MailConfig } from './context.ts';
import { announceCancelled } from './jobs/hub.ts';
import { mailTransport } from './notifications/mail-sender.ts';
import { checkNewPassword } from './password-policy.ts';
import { setupTokenField } from './setup.ts';
import { runWrite } from './write.ts';
import { serverKey } from './write-key.ts';

/** Long enough for an admin to hand the link over, short enough that a forgotten one dies the same day. */
export const RESET_LINK_HOURS = 24;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const passwordResetSchema = z.object({
  token: setupTokenField,
  password: z.string().max(4 * PASSWORD_MAX_CHARACTERS),
});

/**
 * Issues a reset link for an existing, enabled user other than the admin asking (who would lock themselves
 * out; another admin resets theirs). Earlier unused links of the user stop working; their sessions end.
 */
export async function issuePasswordReset(ctx: AppContext, actor: Actor, userId: string) {
  authorize(actor, 'users.manage');
  if (userId === actor.id)
    throw new KeelError(
      'invalid_account_change',
      'you cannot reset your own password here; another admin issues your reset link',
    );
  const token = randomBytes(32).toString('base64url');
  let cancelled: JobHead[] = [];
  // A key of its own each time: asking again makes a new link, never a replay of one already shown.
  const { result } = await runWrite(
    ctx,
    {
      actor,
      action: 'user.password_reset_link',
      key: serverKey('password-reset', randomUUID()),
      request: { userId },
      subject: `user:${userId}`,
    },
    async (tx) => {
      const user = await lockUser(tx, userId);
      if (!user) throw new KeelError('not_found', `no user "${userId}"`);
      if (user.disabled)
        throw new KeelError(
          'invalid_account_change',
          `user "${userId}" is disabled; a reset link is refused`,
        );
      if (await isSsoAccount(tx, userId))
        throw new KeelError(
          'invalid_account_change',
          `user "${userId}" signs in through the single sign-on provider and has no password here`,
        );
      await spendResetLinks(tx, userId, `superseded by ${actor.id}`);
      const expiresAt = await insertSetupLink(tx, sha256(token), RESET_LINK_HOURS, userId);
      const sessionsEnded = await endSessions(tx, userId);
      // A reset answers a password that may be known to someone else, who may have made tokens with it.
      // The second factor stays: it is what still proves the person at the next sign-in.
      const { tokensRevoked, jobs } = await revokeUserTokens(tx, userId, new Date().toISOString());
      cancelled = jobs;
      const done = { userId, expiresAt, sessionsEnded, tokensRevoked };
      const mailed = mailsLinks(ctx.mail);
      return {
        result: { ...done, email: user.email, name: user.name },
        audit: {
          ...done,
          delivery: mailed ? 'mail' : 'shown',
          cancelledJobs: jobs.map((job) => job.id),
        },
      };
    },
  );
  await announceCancelled(ctx, cancelled);
  const { email, name, ...issued } = result;
  if (!mailsLinks(ctx.mail)) return { ...issued, delivery: 'shown' as const, token };
  await mailResetLink(ctx, actor, { ...issued, email, name, token }, ctx.mail);
  return { ...issued, delivery: 'mail' as const, mailedTo: email };
}

const mailsLinks = (mail: MailConfig | undefined): mail is MailConfig & { publicUrl: string } =>
  Boolean(mail?.publicUrl);

/**
 * Sent at once through SMTP, not queued: a queued mail's text stays in the outbox. A link the server would
 * not take is spent before the refusal is answered, so no live link exists that nobody received.
 */
async function mailResetLink(
  ctx: AppContext,
  actor: Actor,
  link: { userId: string; email: string; name: string; token: string; expiresAt: string },
  mail: MailConfig & { publicUrl: string },
) {
  const url = `${mail.publicUrl.replace(/\/$/, '')}/#/setup/${link.token}`;
  try {
    await mailTransport(mail, 10_000).sendMail({
      from: mail.from,
      to: link.email,
      subject: 'Your Keel password-reset link',
      text: [
        `${link.name}, an administrator of Keel (${actor.id}) reset your password.`,
        `Open this link to choose a new one; it works once, until ${link.expiresAt.slice(0, 16).replace('T', ' ')} UTC:`,
        '',
        url,
        '',
        'If you did not expect this, tell your administrator: your sessions and API tokens have been ended.',
      ].join('\n'),
    });
  } catch (error) {
    await runWrite(
      ctx,
      {
        actor,
        action: 'user.password_reset_link_void',
        key: serverKey('password-reset', 'void', randomUUID()),
        request: { userId: link.userId },
        subject: `user:${link.userId}`,
      },
      async (tx) => {
        await spendResetLinks(tx, link.userId, 'the mail carrying it was not accepted');
        return { result: { userId: link.userId } };
      },
    );
    throw new KeelError(
      'mail_failed',
      `the reset link could not be mailed to ${link.email} (${error instanceof Error ? error.message : String(error)}); it was voided, and the user's sessions stay ended: try again`,
    );
  }
}

const spent = () =>
  new KeelError(
    'setup_link_invalid',
    'this password-reset link has been used, has expired, was replaced by a newer one or its account is disabled; ask an admin for a new one',
  );

/** Whether a link would still reset a password, and whose (for the page, before the form is filled in). */
export async function checkResetLink(ctx: AppContext, token: string) {
  const user = await liveResetLink(ctx.database.db, sha256(token));
  return user ? { id: user.id, email: user.email, name: user.name } : null;
}

/** Sets the new password with the link's token, spends the link and ends any session of the account. */
export async function completePasswordReset(ctx: AppContext, input: z.infer<typeof passwordResetSchema>) {
  const linkHash = sha256(input.token);
  const user = await liveResetLink(ctx.database.db, linkHash);
  if (!user) throw spent();
  const problem = checkNewPassword(input.password, [user.id, user.email, user.name]);
  if (problem) throw new KeelError('invalid_request', `password: ${problem}`);
  const passwordHash = await hashPassword(input.password);
  const actor: Actor = { id: user.id, role: user.role as Role };
  return runWrite(
    ctx,
    {
      actor,
      action: 'user.password_reset',
      key: serverKey('password-reset', 'use', randomUUID()),
      request: { userId: user.id },
      subject: `user:${user.id}`,
    },
    async (tx) => {
      // Locked: of two requests with the same link, the second waits and then finds it spent.
      const locked = await liveResetLink(tx, linkHash, true);
      if (!locked || locked.id !== user.id) throw spent();
      await setPasswordHash(tx, user.id, passwordHash);
      await spendResetLinks(tx, user.id, user.id);
      await endSessions(tx, user.id);
      return { result: { id: user.id, email: user.email } };
    },
  );
}
