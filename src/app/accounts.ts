/**
 * Looking after accounts: listing API tokens (never their secrets) and disabling a user. Disabling ends the
 * user's sessions and revokes every token in the same transaction, so nothing the user held keeps working.
 */
import { KeelError } from '../domain/errors.ts';
import { authorize, can } from '../domain/roles.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { runWrite } from './write.ts';

/** API tokens: your own, or (with users.read) everyone's or one user's. Hashes are never returned. */
export async function listApiTokens(ctx: AppContext, actor: Actor, filter: { userId?: string } = {}) {
  if (filter.userId && filter.userId !== actor.id) authorize(actor, 'users.read');
  const userId = can(actor, 'users.read') ? filter.userId : actor.id;
  let query = ctx.database.db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'scope', 'created_at', 'expires_at', 'revoked_at'])
    .orderBy('user_id')
    .orderBy('created_at')
    .orderBy('id');
  if (userId) query = query.where('user_id', '=', userId);
  return (await query.execute()).map(camelCased);
}

export async function disableUser(ctx: AppContext, actor: Actor, key: string, userId: string) {
  authorize(actor, 'users.manage');
  if (userId === actor.id)
    throw new KeelError('invalid_account_change', 'you cannot disable your own account; ask another admin');
  return runWrite(
    ctx,
    { actor, action: 'user.disable', key, request: { userId }, subject: `user:${userId}` },
    async (tx) => {
      const user = await tx
        .selectFrom('users')
        .select(['id', 'disabled'])
        .where('id', '=', userId)
        .forUpdate()
        .executeTakeFirst();
      if (!user) throw new KeelError('not_found', `no user "${userId}"`);
      const now = new Date().toISOString();
      if (!user.disabled)
        await tx
          .updateTable('users')
          .set({ disabled: true, disabled_at: now, disabled_by: actor.id })
          .where('id', '=', userId)
          .execute();
      const sessions = await tx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      const tokens = await tx
        .updateTable('api_tokens')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      const result = {
        id: userId,
        disabled: true,
        sessionsEnded: Number(sessions.numDeletedRows),
        tokensRevoked: Number(tokens.numUpdatedRows),
      };
      return { result, audit: result };
    },
  );
}
