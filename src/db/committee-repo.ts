/**
 * The committee aggregate: agenda items, the votes and conflicts of a deal's open question, and decisions.
 * A cycle is named by the stage move that started it: the deal's latest move into `committee`, or, when it
 * never entered the committee here, the move that opened it (a historical import, or a part of a parent
 * deal's capital stack). A commitment needs an approval recorded for the current cycle, so an approval of an
 * earlier cycle is never reused.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { APPROVALS, type Ballot, type Condition, type Decision, type Vote } from '../domain/committee.ts';
import type { Schema } from './schema.ts';
import { bigintOrNull } from './sql-helpers.ts';

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
  tx: Kysely<Schema>,
  dealId: string,
): Promise<{ id: bigint; conditions: Condition[]; amount: bigint | null } | null> {
  const cycle = await currentCycle(tx, dealId);
  const row = await tx
    .selectFrom('committee_decisions')
    .select(['id', 'conditions', 'approved_amount_cents'])
    .where('deal_id', '=', dealId)
    .where('cycle_move_id', '=', cycle)
    .where('decision', 'in', [...APPROVALS])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        conditions: row.conditions as Condition[],
        amount: bigintOrNull(row.approved_amount_cents),
      }
    : null;
}

const CURRENT_CYCLE_APPROVALS = sql`committee_decisions c
  WHERE c.deal_id = deals.id AND c.decision IN ('approve', 'approve_with_conditions')
    AND c.cycle_move_id = (
      SELECT max(m.id) FROM deal_stage_moves m
      WHERE m.deal_id = deals.id AND (m.to_stage = 'committee' OR m.from_stage IS NULL))`;

/**
 * Columns for a query over `deals`: whether the deal has an approval of its current cycle, and the amount the
 * latest one covers (null also when it was taken outside Keel and names none). The ledger selects them with
 * the deals it locks, so the committee gate costs no query of its own; the agenda uses them to tell a
 * re-approval.
 */
export const approvedInCurrentCycle = sql<boolean>`EXISTS (SELECT 1 FROM ${CURRENT_CYCLE_APPROVALS})`;
/**
 * The deal's latest approval of its current cycle (its id and amount), for a `LEFT JOIN LATERAL` over `deals`:
 * one look per deal gives both of the columns above, for a write that locks many deals.
 */
export const latestCurrentCycleApproval = sql`(
  SELECT c.id, c.approved_amount_cents FROM ${CURRENT_CYCLE_APPROVALS} ORDER BY c.id DESC LIMIT 1)`;
export const approvedAmountInCurrentCycle = sql<string | null>`(
  SELECT c.approved_amount_cents FROM ${CURRENT_CYCLE_APPROVALS} ORDER BY c.id DESC LIMIT 1)`;

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
    /** The amount the outside decision covers, when Keel knows it (a capital-stack part's); else null. */
    amount: bigint | null;
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
        approved_amount_cents: a.amount,
      })),
    )
    .execute();
}

/** The open question before the committee for a deal in its current cycle: votes cast, conflicts, requesters. */
export async function loadBallot(tx: Kysely<Schema>, dealId: string, cycle: bigint): Promise<Ballot> {
  const votes = await tx
    .selectFrom('committee_votes')
    .select(['member_id', 'vote'])
    .where('deal_id', '=', dealId)
    .where('cycle_move_id', '=', cycle)
    .where('decision_id', 'is', null)
    .orderBy('id')
    .execute();
  const conflicts = await tx
    .selectFrom('committee_conflicts')
    .select(['member_id', 'note'])
    .where('deal_id', '=', dealId)
    .where('cycle_move_id', '=', cycle)
    .orderBy('member_id')
    .execute();
  const opening = await tx
    .selectFrom('deal_stage_moves')
    .select('moved_by')
    .where('id', '=', cycle)
    .executeTakeFirstOrThrow();
  // Whoever put the deal on an agenda since this cycle began also asked for the decision; so did whoever put
  // it on before and left it there (an item still open when the deal entered the committee: added, neither
  // taken off nor decided before the cycle began).
  const agenda = await tx
    .selectFrom('committee_agenda as a')
    .innerJoin('deal_stage_moves as m', (join) => join.on('m.id', '=', cycle))
    .select('a.added_by')
    .where('a.deal_id', '=', dealId)
    .where(({ or, and, eb, not, exists, selectFrom }) =>
      or([
        eb('a.added_at', '>=', eb.ref('m.moved_at')),
        and([
          or([eb('a.removed_at', 'is', null), eb('a.removed_at', '>=', eb.ref('m.moved_at'))]),
          not(
            exists(
              selectFrom('committee_decisions as d')
                .select('d.id')
                .whereRef('d.deal_id', '=', 'a.deal_id')
                .whereRef('d.recorded_at', '>=', 'a.added_at')
                .whereRef('d.recorded_at', '<', 'm.moved_at'),
            ),
          ),
        ]),
      ]),
    )
    .execute();
  // So did whoever raised its amount since then: a re-approval is the question their amendment asked.
  const raisers = await tx
    .selectFrom('deal_amendments')
    .innerJoin('deal_stage_moves', (join) => join.on('deal_stage_moves.id', '=', cycle))
    .select('deal_amendments.amended_by')
    .where('deal_amendments.deal_id', '=', dealId)
    .where('deal_amendments.field', '=', 'amount')
    .whereRef('deal_amendments.amended_at', '>=', 'deal_stage_moves.moved_at')
    .execute();
  return {
    dealId,
    votes: votes.map((v) => ({ member: v.member_id, vote: v.vote })),
    conflicts: conflicts.map((c) => ({ member: c.member_id, note: c.note })),
    requesters: new Set([
      opening.moved_by,
      ...agenda.map((a) => a.added_by),
      ...raisers.map((r) => r.amended_by),
    ]),
  };
}

/** The deals a request puts on the agenda: stage, amount and the amount their current approval covers. */
export async function agendaDeals(tx: Kysely<Schema>, ids: readonly string[]) {
  const rows = await tx
    .selectFrom('deals')
    .select(['id', 'stage', 'amount_cents'])
    .select(approvedAmountInCurrentCycle.as('approved_amount_cents'))
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    stage: r.stage,
    amount: BigInt(r.amount_cents),
    approvedAmount: bigintOrNull(r.approved_amount_cents),
  }));
}

export async function insertAgendaItems(
  tx: Transaction<Schema>,
  items: {
    dealIds: readonly string[];
    meetingOn: string;
    source: string;
    addedBy: string;
  },
) {
  await tx
    .insertInto('committee_agenda')
    .values(
      items.dealIds.map((id) => ({
        deal_id: id,
        meeting_on: items.meetingOn,
        source: items.source,
        added_by: items.addedBy,
      })),
    )
    .onConflict((oc) => oc.columns(['deal_id', 'meeting_on']).where('removed_at', 'is', null).doNothing())
    .execute();
}

/**
 * The agenda by meeting day and deal, with the deal's and company's names (names, not ids, on the agenda).
 * An item leaves it when it is taken off, or once the committee records a decision on its deal after the
 * item was added; the caller also drops deals that no longer have a question for the committee.
 */
export const agendaList = (db: Kysely<Schema>) =>
  db
    .selectFrom('committee_agenda')
    .innerJoin('deals', 'deals.id', 'committee_agenda.deal_id')
    .innerJoin('companies', 'companies.id', 'deals.company_id')
    .select([
      'committee_agenda.id',
      'committee_agenda.deal_id',
      'deals.name',
      'companies.name as company',
      'deals.instrument',
      'committee_agenda.meeting_on',
      'committee_agenda.source',
      'committee_agenda.added_by',
      'deals.stage',
      'deals.amount_cents',
    ])
    .select(approvedAmountInCurrentCycle.as('approved_amount_cents'))
    .where('committee_agenda.removed_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('committee_decisions as d')
            .select('d.id')
            .whereRef('d.deal_id', '=', 'committee_agenda.deal_id')
            .whereRef('d.recorded_at', '>=', 'committee_agenda.added_at'),
        ),
      ),
    )
    .orderBy('committee_agenda.meeting_on')
    .orderBy('committee_agenda.deal_id')
    .execute();

/** Takes one item off the agenda (kept, with who took it off); its deal and meeting, or undefined if none is on. */
export const removeAgendaItem = (tx: Transaction<Schema>, id: bigint, removedBy: string) =>
  tx
    .updateTable('committee_agenda')
    .set({ removed_at: sql`now()`, removed_by: removedBy })
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .returning(['deal_id', 'meeting_on'])
    .executeTakeFirst();

export async function insertVote(
  tx: Transaction<Schema>,
  vote: { dealId: string; cycle: bigint; member: string; vote: Vote },
) {
  await tx
    .insertInto('committee_votes')
    .values({ deal_id: vote.dealId, cycle_move_id: vote.cycle, member_id: vote.member, vote: vote.vote })
    .execute();
}

/** A member's conflict for the cycle; declaring it again changes nothing. */
export async function insertConflict(
  tx: Transaction<Schema>,
  conflict: { dealId: string; cycle: bigint; member: string; note: string; declaredBy: string },
) {
  await tx
    .insertInto('committee_conflicts')
    .values({
      deal_id: conflict.dealId,
      cycle_move_id: conflict.cycle,
      member_id: conflict.member,
      note: conflict.note,
      declared_by: conflict.declaredBy,
    })
    .onConflict((oc) => oc.columns(['deal_id', 'cycle_move_id', 'member_id']).doNothing())
    .execute();
}

/**
 * Withdraws the open votes on a deal (cast, not yet counted in a decision): they were cast on an amount that
 * an amendment has just changed, so they answer a question no longer asked. How many; the audit log keeps
 * each vote as cast.
 */
export async function withdrawOpenVotes(tx: Transaction<Schema>, dealId: string): Promise<number> {
  const removed = await tx
    .deleteFrom('committee_votes')
    .where('deal_id', '=', dealId)
    .where('decision_id', 'is', null)
    .executeTakeFirst();
  return Number(removed.numDeletedRows);
}

/** Stores a decision of the cycle and attaches the cycle's open votes to it; its id. */
export async function insertDecision(
  tx: Transaction<Schema>,
  decision: {
    dealId: string;
    decision: Decision;
    votes: Ballot['votes'];
    conflicts: Ballot['conflicts'];
    conditions: Condition[];
    decidedOn: string;
    recordedBy: string;
    cycle: bigint;
    quorum: number;
    /** The deal's amount the decision approves; null for a decline or a deferral. */
    approvedAmount: bigint | null;
  },
): Promise<bigint> {
  const row = await tx
    .insertInto('committee_decisions')
    .values({
      deal_id: decision.dealId,
      decision: decision.decision,
      votes: JSON.stringify(decision.votes),
      conflicts: JSON.stringify(decision.conflicts),
      conditions: JSON.stringify(decision.conditions),
      decided_on: decision.decidedOn,
      recorded_by: decision.recordedBy,
      cycle_move_id: decision.cycle,
      quorum: decision.quorum,
      approved_amount_cents: decision.approvedAmount,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('committee_votes')
    .set({ decision_id: row.id })
    .where('deal_id', '=', decision.dealId)
    .where('cycle_move_id', '=', decision.cycle)
    .where('decision_id', 'is', null)
    .execute();
  return row.id;
}

/** Locks one decision while its conditions change; undefined if none. */
export async function lockDecision(tx: Transaction<Schema>, id: bigint) {
  const row = await tx
    .selectFrom('committee_decisions')
    .select(['id', 'deal_id', 'conditions'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && { id: row.id, dealId: row.deal_id, conditions: row.conditions as Condition[] };
}

export async function setDecisionConditions(tx: Transaction<Schema>, id: bigint, conditions: Condition[]) {
  await tx
    .updateTable('committee_decisions')
    .set({ conditions: JSON.stringify(conditions) })
    .where('id', '=', id)
    .execute();
}

/** A deal's committee decisions, oldest first, with the votes and conditions each rests on. */
export async function dealDecisions(db: Kysely<Schema>, dealId: string) {
  const rows = await db
    .selectFrom('committee_decisions')
    .select([
      'id',
      'decision',
      'decided_on',
      'votes',
      'conflicts',
      'conditions',
      'recorded_by',
      'reference',
      'approved_amount_cents',
    ])
    .where('deal_id', '=', dealId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    ...row,
    votes: row.votes as Ballot['votes'],
    conflicts: row.conflicts as Ballot['conflicts'],
    conditions: row.conditions as Condition[],
  }));
}
