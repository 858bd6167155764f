/**
 * The sender loop of `keel serve`: delivers the e-mail outbox through SMTP, away from any write. Each pass
 * fails claims abandoned by a stopped process, claims a batch of due mails (no other process can claim them),
 * sends them one by one, and marks each sent or due again with backoff (failed after the last attempt).
 */
import nodemailer from 'nodemailer';
import {
  claimDueMail,
  failAbandonedClaims,
  markMailAttemptFailed,
  markMailSent,
} from '../../db/notifications-repo.ts';
import { MAX_MAIL_ATTEMPTS, mailRetryDelayMs } from '../../domain/notifications.ts';
import type { AppContext, MailConfig } from '../context.ts';

export interface MailSenderOptions {
  /** Pause between passes when the outbox had nothing due. */
  intervalMs?: number;
  batch?: number;
  /** How long a claim lasts: longer than a batch can take with every send timing out. */
  leaseMs?: number;
  /** Per connection step (connect, greeting, each command): a hung server costs at most this per mail. */
  timeoutMs?: number;
  onError?: (error: unknown) => void;
}

type Transport = ReturnType<typeof nodemailer.createTransport>;

export function mailTransport(mail: MailConfig, timeoutMs = 20_000): Transport {
  return nodemailer.createTransport({
    url: mail.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

/** One pass over the outbox; answers how many mails it tried. */
export async function sendDueMail(
  ctx: AppContext,
  transport: Transport,
  options: { batch?: number; leaseMs?: number } = {},
): Promise<number> {
  if (!ctx.mail) return 0;
  const db = ctx.database.db;
  await failAbandonedClaims(db);
  const due = await claimDueMail(db, options.batch ?? 20, options.leaseMs ?? 15 * 60_000);
  for (const mail of due) {
    try {
      await transport.sendMail({
        from: ctx.mail.from,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.body,
      });
      await markMailSent(db, mail.id);
    } catch (error) {
      const attempts = mail.attempts + 1;
      await markMailAttemptFailed(db, mail.id, {
        error: error instanceof Error ? error.message : String(error),
        retryInMs: mailRetryDelayMs(attempts),
        final: attempts >= MAX_MAIL_ATTEMPTS,
      });
    }
  }
  return due.length;
}

/** Starts the loop when SMTP is configured (else null); `stop` waits for the pass under way. */
export function startMailSender(ctx: AppContext, options: MailSenderOptions = {}) {
  if (!ctx.mail) return null;
  const transport = mailTransport(ctx.mail, options.timeoutMs);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    let tried = 0;
    try {
      tried = await sendDueMail(ctx, transport, options);
    } catch (error) {
      options.onError?.(error);
    }
    // A full batch may mean more are due: go again at once, else wait.
    if (!stopped)
      timer = setTimeout(tick, tried >= (options.batch ?? 20) ? 0 : (options.intervalMs ?? 5_000));
  };
  const tick = () => {
    running = pass();
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      transport.close();
    },
  };
}
