/**
 * Committee cycles in the database. A cycle is named by the stage move that started it: the deal's latest
 * move into `committee`, or, when it never entered the committee here, the move that opened it (a
 * historical import, or a part of a parent deal's capital stack). A commitment needs an approval recorded
 * for the current cycle, so an approval of an earlier cycle is never reused.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { APPROVALS, type Condition } from '../domain/committee.ts';

/** The stage move that started the deal's current committee cycle. */
export async function currentCycle(tx: Kysely<Schema>, dealId: string): Promise<bigint> {
  const row = await tx
    .selectFrom('deal_stage_moves')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('deal_id', '=', dealId)
    .where((eb) => eb.or([eb('to_stage', '=', 'committee'), eb('from_stage', 'is', null)]))
    .executeTakeFirstOrThrow();
  return BigInt(row.id as bigint);
}

/** The approval of the deal's current cycle, if the committee (or the decision behind an import) gave one. */
export async function currentApproval(
  tx: Transaction<Schema>,
  dealId: string,
): Promise<{ id: bigint; conditions: Condition[] } | null> {
  const cycle = await currentCycle(tx, dealId);
  const row = await tx
    .selectFrom('committee_decisions')
    .select(['id', 'conditions'])
    .where('deal_id', '=', dealId)
    .where('cycle_move_id', '=', cycle)
    .where('decision', 'in', [...APPROVALS])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, conditions: row.conditions as Condition[] } : null;
}

/**
 * Records an approval taken outside Keel's committee for the cycle a deal opened with: the decision behind
 * a historical import, or the parent's approval that covers a part of its capital stack.
 */
export async function recordOutsideApprovals(
  tx: Transaction<Schema>,
  approvals: ReadonlyArray<{
    dealId: string;
    cycleMoveId: bigint;
    decidedOn: string;
    recordedBy: string;
    reference: string;
  }>,
): Promise<void> {
  if (!approvals.length) return;
  await tx
    .insertInto('committee_decisions')
    .values(
      approvals.map((a) => ({
        deal_id: a.dealId,
        decision: 'approve',
        votes: '[]',
        conflicts: '[]',
        conditions: '[]',
        decided_on: a.decidedOn,
        recorded_by: a.recordedBy,
        cycle_move_id: a.cycleMoveId,
        reference: a.reference,
      })),
    )
    .execute();
}
