/**
 * The wall-crossings aggregate: a request to bring one research analyst over the barrier for one deal, locked
 * while risk & compliance decide it; an approved, unexpired row is what lets the analyst see the deal.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Schema } from './schema.ts';

/** The person a crossing would bring over: their id and role, or undefined if there is no such user. */
export const crossingCandidate = (tx: Transaction<Schema>, userId: string) =>
  tx.selectFrom('users').select(['id', 'role']).where('id', '=', userId).executeTakeFirst();

export async function insertWallCrossing(
  tx: Transaction<Schema>,
  crossing: { userId: string; dealId: string; reason: string; days: number; requestedBy: string },
): Promise<bigint> {
  const row = await tx
    .insertInto('wall_crossings')
    .values({
      user_id: crossing.userId,
      deal_id: crossing.dealId,
      reason: crossing.reason,
      requested_days: crossing.days,
      requested_by: crossing.requestedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Locks one crossing while it is decided; undefined if none. */
export const lockWallCrossing = (tx: Transaction<Schema>, id: bigint) =>
  tx.selectFrom('wall_crossings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export async function recordWallCrossingDecision(
  tx: Transaction<Schema>,
  id: bigint,
  decision: { status: string; decidedBy: string; expiresAt: string | null },
) {
  await tx
    .updateTable('wall_crossings')
    .set({
      status: decision.status,
      decided_by: decision.decidedBy,
      decided_at: new Date().toISOString(),
      expires_at: decision.expiresAt,
    })
    .where('id', '=', id)
    .execute();
}

/** Every crossing, newest first, with its deal's name (names, not ids, in the list). */
export const wallCrossingList = (db: Kysely<Schema>) =>
  db
    .selectFrom('wall_crossings')
    .innerJoin('deals', 'deals.id', 'wall_crossings.deal_id')
    .leftJoin('users as analyst', 'analyst.id', 'wall_crossings.user_id')
    .leftJoin('users as asker', 'asker.id', 'wall_crossings.requested_by')
    .leftJoin('users as decider', 'decider.id', 'wall_crossings.decided_by')
    .selectAll('wall_crossings')
    .select([
      'deals.name as deal_name',
      'analyst.name as user_name',
      'asker.name as requested_by_name',
      'decider.name as decided_by_name',
    ])
    .orderBy('wall_crossings.id', 'desc')
    .execute();

/** Whether `userId` holds an approved, unexpired crossing for exactly this deal. */
export async function hasOpenCrossing(db: Kysely<Schema>, userId: string, dealId: string): Promise<boolean> {
  const row = await db
    .selectFrom('wall_crossings')
    .select('id')
    .where('user_id', '=', userId)
    .where('deal_id', '=', dealId)
    .where('status', '=', 'approved')
    .where('expires_at', '>', sql<string>`now()`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
