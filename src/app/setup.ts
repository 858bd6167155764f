/**
 * The first admin without a default password and without stopping the server: a server that starts on a
 * database with no active admin prints a one-time link (a 256-bit random token, kept only as its SHA-256,
 * valid for an hour). Opening it shows a form that creates the first admin; the link is spent in the same
 * transaction that creates the account, so it works once, and no link works while an active admin exists.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { hasActiveAdmin, insertSetupLink, liveSetupLink, spendSetupLinks } from '../db/users-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { hashPassword, insertUser, newAccountFields, passwordFitsAccount } from './auth.ts';
import type { Actor, AppContext } from './context.ts';
import { runWrite } from './write.ts';
import { serverKey } from './write-key.ts';

export const SETUP_LINK_HOURS = 1;

/** Who the audit trail names for the first admin's creation: the holder of the link, acting as an admin. */
const SETUP_ACTOR: Actor = { id: 'setup-link', role: 'admin' };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const setupTokenField = z.string().min(1).max(200);

/** The form: a new user's fields without the role, which is admin. */
export const firstAdminSchema = z
  .object({ token: setupTokenField, ...newAccountFields })
  .superRefine(passwordFitsAccount);

/**
 * A new setup link's token when the database has no active admin, else null. Each server start makes its own;
 * any of them works (once) until it expires or an admin exists.
 */
export async function issueSetupLink(ctx: AppContext): Promise<{ token: string; expiresAt: string } | null> {
  const { db } = ctx.database;
  if (await hasActiveAdmin(db)) return null;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = await insertSetupLink(db, sha256(token), SETUP_LINK_HOURS);
  return { token, expiresAt };
}

const spent = () =>
  new KeelError(
    'setup_link_invalid',
    'this setup link has been used, has expired or is not a Keel setup link; restart the server for a new one if there is still no admin',
  );

/** Whether a link would still create the first admin (for the page, before the form is filled in). */
export async function checkSetupLink(ctx: AppContext, token: string): Promise<{ valid: boolean }> {
  const { db } = ctx.database;
  return { valid: (await liveSetupLink(db, sha256(token))) && !(await hasActiveAdmin(db)) };
}

export type FirstAdmin = z.infer<typeof firstAdminSchema>;

/** Creates the first admin with the link's token and spends the link (and every other unused one). */
export async function completeSetup(ctx: AppContext, input: FirstAdmin) {
  const { token, password, ...fields } = input;
  const user = { ...fields, role: 'admin' as const };
  const passwordHash = await hashPassword(password);
  const linkHash = sha256(token);
  // A key of its own each time: a repeated request must meet the spent link, not replay the first answer.
  return runWrite(
    ctx,
    {
      actor: SETUP_ACTOR,
      action: 'setup.first_admin',
      key: serverKey('setup', randomUUID()),
      request: user,
      subject: `user:${user.id}`,
    },
    async (tx) => {
      // Locked: of two requests with the same link, the second waits and then finds it spent.
      if (!(await liveSetupLink(tx, linkHash, true)) || (await hasActiveAdmin(tx))) throw spent();
      await insertUser(tx, user, passwordHash);
      await spendSetupLinks(tx, user.id);
      return { result: { id: user.id, role: user.role } };
    },
  );
}
