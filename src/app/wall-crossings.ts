/**
 * Wall-crossing: bringing one public-side person (a research analyst) over the information barrier for one
 * deal. Requested by the private side, approved or denied by risk & compliance (never by its requester),
 * time-limited, revocable, and every step is in the audit chain. Access to deal data is decided here, in
 * app/, deny by default.
 */
import { z } from 'zod';
import { existingIds } from '../db/sql-helpers.ts';
import {
  crossingCandidate,
  hasOpenCrossing,
  insertWallCrossing,
  lockWallCrossing,
  recordWallCrossingDecision,
  wallCrossingList,
} from '../db/wall-crossings-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { reasonField, slug } from '../domain/fields.ts';
import { assertDifferentPerson, authorize, can, MAX_CROSSING_DAYS } from '../domain/roles.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { runWrite } from './write.ts';

const crossingDays = z
  .number()
  .int()
  .min(1, 'a wall-crossing lasts at least 1 day')
  .max(MAX_CROSSING_DAYS, `a wall-crossing lasts at most ${MAX_CROSSING_DAYS} days`);

export const wallCrossingRequestSchema = z.object({
  userId: z.string().min(1).max(64),
  dealId: slug,
  reason: reasonField,
  /** How long the requester asks for; compliance may approve it for another length. */
  days: crossingDays.default(7),
});

export const wallCrossingDecisionSchema = z.object({
  decision: z.enum(['approve', 'deny', 'revoke']),
  /** An approval's length; without it, the length the requester asked for. */
  days: crossingDays.optional(),
});

export async function requestWallCrossing(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: z.infer<typeof wallCrossingRequestSchema>,
) {
  authorize(actor, 'wall_crossings.request');
  return runWrite(
    ctx,
    { actor, action: 'wall_crossing.request', key, request: input, subject: `deal:${input.dealId}` },
    async (tx) => {
      // One answer for "no such user" and "not an analyst": the form must not become a way to list users
      // and their roles.
      const user = await crossingCandidate(tx, input.userId);
      if (user?.role !== 'research_analyst')
        throw new KeelError(
          'invalid_wall_crossing',
          `no research analyst "${input.userId}": only research analysts are brought over the wall`,
        );
      const deal = (await existingIds(tx, 'deals', [input.dealId])).size > 0;
      if (!deal) throw new KeelError('not_found', `no deal "${input.dealId}"`);
      const id = await insertWallCrossing(tx, { ...input, requestedBy: actor.id });
      return { result: { id, status: 'requested' as const } };
    },
  );
}

export async function decideWallCrossing(
  ctx: AppContext,
  actor: Actor,
  key: string,
  id: bigint,
  input: z.infer<typeof wallCrossingDecisionSchema>,
) {
  authorize(actor, 'wall_crossings.decide');
  return runWrite(
    ctx,
    {
      actor,
      action: `wall_crossing.${input.decision}`,
      key,
      request: { id, ...input },
      subject: `wall_crossing:${id}`,
    },
    async (tx) => {
      const row = await lockWallCrossing(tx, id);
      if (!row) throw new KeelError('not_found', `no wall-crossing ${id}`);
      const allowed = input.decision === 'revoke' ? row.status === 'approved' : row.status === 'requested';
      if (!allowed)
        throw new KeelError(
          'invalid_wall_crossing',
          `wall-crossing ${id} is ${row.status}; it cannot be ${input.decision}d`,
        );
      if (input.decision === 'approve') assertDifferentPerson(row.requested_by, actor, `wall-crossing ${id}`);
      const status =
        input.decision === 'approve' ? 'approved' : input.decision === 'deny' ? 'denied' : 'revoked';
      const expiresAt =
        input.decision === 'approve'
          ? new Date(Date.now() + (input.days ?? row.requested_days) * 86_400_000).toISOString()
          : row.expires_at;
      await recordWallCrossingDecision(tx, id, { status, decidedBy: actor.id, expiresAt });
      return { result: { id, status, expiresAt } };
    },
  );
}

export async function listWallCrossings(ctx: AppContext, actor: Actor) {
  authorize(actor, 'wall_crossings.read');
  return (await wallCrossingList(ctx.database.db)).map(camelCased);
}

/**
 * May this principal see this deal? Private-side roles may; a research analyst only with an approved,
 * unexpired crossing for exactly this deal; nobody else. The refusal is the same whether the deal exists
 * or not, so it leaks nothing.
 */
export async function assertDealVisible(ctx: AppContext, actor: Actor, dealId: string): Promise<void> {
  if (can(actor, 'deals.read')) return;
  if (actor.role === 'research_analyst') {
    if (await hasOpenCrossing(ctx.database.db, actor.id, dealId)) return;
  }
  throw new KeelError('forbidden', `your role (${actor.role}) does not allow deals.read`, {
    permission: 'deals.read',
  });
}
