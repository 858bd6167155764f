/**
 * Role changes with four eyes: one admin asks (with a reason), a different admin approves or denies, and only
 * the approval changes the user's role, in the same transaction. Neither the requester nor the user whose
 * role changes can approve. Every step is in the audit chain.
 */
import { z } from 'zod';
import {
  closeRoleChange,
  insertRoleChange,
  isSsoAccount,
  lockRoleChange,
  lockUser,
  openRoleChange,
  roleChangeList,
  setUserRole,
} from '../db/users-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { reasonField } from '../domain/fields.ts';
import { assertDifferentPerson, authorize, ROLES } from '../domain/roles.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { runWrite } from './write.ts';

export const roleChangeRequestSchema = z.object({
  role: z.enum(ROLES),
  reason: reasonField,
});

export const roleChangeDecisionSchema = z.object({ decision: z.enum(['approve', 'deny']) });

export async function requestRoleChange(
  ctx: AppContext,
  actor: Actor,
  key: string,
  userId: string,
  input: z.infer<typeof roleChangeRequestSchema>,
) {
  authorize(actor, 'users.manage');
  return runWrite(
    ctx,
    { actor, action: 'user.role.request', key, request: { userId, ...input }, subject: `user:${userId}` },
    async (tx) => {
      const user = await lockUser(tx, userId);
      if (!user) throw new KeelError('not_found', `no user "${userId}"`);
      if (user.disabled) throw new KeelError('invalid_role_change', `user "${userId}" is disabled`);
      // Its next sign-in would set the role back to what the provider's claim says.
      if (await isSsoAccount(tx, userId))
        throw new KeelError(
          'invalid_role_change',
          `user "${userId}" signs in through the single sign-on provider, whose role claim sets the role; change it there`,
        );
      if (user.role === input.role)
        throw new KeelError('invalid_role_change', `user "${userId}" already has the role ${input.role}`);
      const open = await openRoleChange(tx, userId);
      if (open)
        throw new KeelError(
          'invalid_role_change',
          `role change ${open.id} for "${userId}" is still open; approve or deny it first`,
        );
      const id = await insertRoleChange(tx, {
        user_id: userId,
        from_role: user.role,
        to_role: input.role,
        reason: input.reason,
        requested_by: actor.id,
      });
      return {
        result: { id, userId, from: user.role, to: input.role, status: 'requested' as const },
      };
    },
  );
}

export async function decideRoleChange(
  ctx: AppContext,
  actor: Actor,
  key: string,
  requestId: string | bigint,
  input: z.infer<typeof roleChangeDecisionSchema>,
) {
  authorize(actor, 'users.manage');
  // Parsed after authorisation: whoever may not decide learns nothing from the id, valid or not.
  const text = String(requestId);
  if (!/^[1-9][0-9]{0,17}$/.test(text)) throw new KeelError('not_found', `no role change ${text}`);
  const id = BigInt(text);
  return runWrite(
    ctx,
    {
      actor,
      action: `user.role.${input.decision}`,
      key,
      request: { id, ...input },
      subject: `role_change:${id}`,
    },
    async (tx) => {
      const row = await lockRoleChange(tx, id);
      if (!row) throw new KeelError('not_found', `no role change ${id}`);
      if (row.status !== 'requested')
        throw new KeelError(
          'invalid_role_change',
          `role change ${id} is ${row.status}; it cannot be decided again`,
        );
      if (input.decision === 'approve') {
        assertDifferentPerson(row.requested_by, actor, `role change ${id}`);
        if (row.user_id === actor.id)
          throw new KeelError(
            'separation_of_duties',
            `role change ${id} is about your own role; another admin must approve it (four eyes)`,
          );
        const user = await lockUser(tx, row.user_id);
        // The foreign key keeps the user; its absence is a broken database, not a client error.
        if (!user) throw new Error(`role change ${id} names no user "${row.user_id}"`);
        if (user.disabled) throw new KeelError('invalid_role_change', `user "${row.user_id}" is disabled`);
        if (user.role !== row.from_role)
          throw new KeelError(
            'invalid_role_change',
            `user "${row.user_id}" is now ${user.role}, not ${row.from_role} as when role change ${id} was asked; deny it and ask again`,
          );
        await setUserRole(tx, row.user_id, row.to_role);
      }
      const status = input.decision === 'approve' ? 'approved' : 'denied';
      await closeRoleChange(tx, id, status, actor.id);
      return {
        result: { id, userId: row.user_id, from: row.from_role, to: row.to_role, status },
      };
    },
  );
}

export async function listRoleChanges(ctx: AppContext, actor: Actor) {
  authorize(actor, 'users.read');
  return (await roleChangeList(ctx.database.db)).map(camelCased);
}
