/**
 * Looking after accounts: listing API tokens (never their secrets) and disabling a user. Disabling ends the
 * user's sessions and revokes every token in the same transaction, so nothing the user held keeps working.
 */
import type { JobHead } from '../db/jobs-repo.ts';
import { apiTokenList, disableAccount, enableAccount, lockUser } from '../db/users-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { authorize, can } from '../domain/roles.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { announceCancelled } from './jobs/hub.ts';
import { runWrite } from './write.ts';

/** API tokens: your own, or (with users.read) everyone's or one user's. Hashes are never returned. */
export async function listApiTokens(ctx: AppContext, actor: Actor, filter: { userId?: string } = {}) {
  if (filter.userId && filter.userId !== actor.id) authorize(actor, 'users.read');
  const userId = can(actor, 'users.read') ? filter.userId : actor.id;
  return (await apiTokenList(ctx.database.db, userId)).map(camelCased);
}

/**
 * Lets a disabled user sign in again with their password (or a reset link), in the role they had. Their old
 * API tokens stay revoked: they make new ones. Audited as `user.enable`.
 */
export async function enableUser(ctx: AppContext, actor: Actor, key: string, userId: string) {
  authorize(actor, 'users.manage');
  return runWrite(
    ctx,
    { actor, action: 'user.enable', key, request: { userId }, subject: `user:${userId}` },
    async (tx) => {
      const user = await lockUser(tx, userId);
      if (!user) throw new KeelError('not_found', `no user "${userId}"`);
      if (!user.disabled) throw new KeelError('invalid_account_change', `${userId} is not disabled`);
      await enableAccount(tx, userId);
      return { result: { id: userId, disabled: false as const, role: user.role } };
    },
  );
}

export async function disableUser(ctx: AppContext, actor: Actor, key: string, userId: string) {
  authorize(actor, 'users.manage');
  if (userId === actor.id)
    throw new KeelError('invalid_account_change', 'you cannot disable your own account; ask another admin');
  let cancelled: JobHead[] = [];
  const disabled = await runWrite(
    ctx,
    { actor, action: 'user.disable', key, request: { userId }, subject: `user:${userId}` },
    async (tx) => {
      const user = await lockUser(tx, userId);
      if (!user) throw new KeelError('not_found', `no user "${userId}"`);
      const { jobs, ...ended } = await disableAccount(tx, user, actor.id, new Date().toISOString());
      cancelled = jobs;
      const result = { id: userId, disabled: true, ...ended, jobsCancelled: jobs.length };
      return { result, audit: { ...result, cancelledJobs: jobs.map((job) => job.id) } };
    },
  );
  await announceCancelled(ctx, cancelled);
  return disabled;
}
