/** The investment committee: putting deals on its agenda (by hand or from the optimiser) and recording decisions. */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Schema } from '../db/schema.ts';
import { existingIds } from '../db/sql-helpers.ts';
import {
  assertDecisionIsSound,
  assertMayVote,
  type Ballot,
  type Condition,
  type DecisionInput,
  stageAfterDecision,
  type Vote,
} from '../domain/committee.ts';
import { KeelError } from '../domain/errors.ts';
import { isoDate, slug } from '../domain/fields.ts';
import { authorize } from '../domain/roles.ts';
import { camelCased } from './camel-case.ts';
import { currentCycle } from './committee-cycles.ts';
import type { Actor, AppContext } from './context.ts';
import { lockDeal, setStage } from './deals.ts';
import { currentProgramme } from './programme.ts';
import { runWrite } from './write.ts';

export const agendaInputSchema = z.object({
  dealIds: z.array(slug).min(1).max(200),
  meetingOn: isoDate,
  memoUrl: z.url().max(2000).optional(),
  source: z.enum(['manual', 'optimiser']).default('manual'),
});

export async function addToAgenda(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: z.infer<typeof agendaInputSchema>,
) {
  authorize(actor, 'committee.manage');
  const dealIds = [...new Set(input.dealIds)].sort();
  return runWrite(
    ctx,
    { actor, action: 'committee.agenda', key, request: input, subject: `committee:${input.meetingOn}` },
    async (tx) => {
      const known = await existingIds(tx, 'deals', dealIds);
      const missing = dealIds.find((id) => !known.has(id));
      if (missing) throw new KeelError('not_found', `no deal "${missing}"`);
      await tx
        .insertInto('committee_agenda')
        .values(
          dealIds.map((id) => ({
            deal_id: id,
            meeting_on: input.meetingOn,
            memo_url: input.memoUrl ?? null,
            source: input.source,
            added_by: actor.id,
          })),
        )
        .onConflict((oc) => oc.columns(['deal_id', 'meeting_on']).doNothing())
        .execute();
      return { result: { meetingOn: input.meetingOn, deals: dealIds } };
    },
  );
}

export async function listAgenda(ctx: AppContext, actor: Actor) {
  authorize(actor, 'committee.read');
  const items = await ctx.database.db
    .selectFrom('committee_agenda')
    .innerJoin('deals', 'deals.id', 'committee_agenda.deal_id')
    .innerJoin('companies', 'companies.id', 'deals.company_id')
    .select([
      'committee_agenda.id',
      'committee_agenda.deal_id',
      // Names, not ids, on the agenda.
      'deals.name',
      'companies.name as company',
      'deals.instrument',
      'committee_agenda.meeting_on',
      'committee_agenda.memo_url',
      'committee_agenda.source',
      'deals.stage',
      'deals.amount_cents',
    ])
    .orderBy('committee_agenda.meeting_on')
    .orderBy('committee_agenda.deal_id')
    .execute();
  // Deals before the committee show their open question: who voted how, who declared a conflict, who asked.
  const ballots = new Map<string, Ballot>();
  for (const dealId of new Set(items.filter((i) => i.stage === 'committee').map((i) => i.deal_id))) {
    const db = ctx.database.db;
    ballots.set(dealId, await loadBallot(db, dealId, await currentCycle(db, dealId)));
  }
  return items.map((item) => {
    const ballot = ballots.get(item.deal_id);
    return {
      ...camelCased(item),
      ballot: ballot
        ? { votes: ballot.votes, conflicts: ballot.conflicts, requesters: [...ballot.requesters].sort() }
        : null,
    };
  });
}

/** The open question before the committee for a deal in its current cycle: votes cast, conflicts, requesters. */
async function loadBallot(tx: Kysely<Schema>, dealId: string, cycle: bigint): Promise<Ballot> {
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
  // Whoever put the deal on an agenda since this cycle began also asked for the decision.
  const agenda = await tx
    .selectFrom('committee_agenda')
    .innerJoin('deal_stage_moves', (join) => join.on('deal_stage_moves.id', '=', cycle))
    .select('committee_agenda.added_by')
    .where('committee_agenda.deal_id', '=', dealId)
    .whereRef('committee_agenda.added_at', '>=', 'deal_stage_moves.moved_at')
    .execute();
  return {
    dealId,
    votes: votes.map((v) => ({ member: v.member_id, vote: v.vote })),
    conflicts: conflicts.map((c) => ({ member: c.member_id, note: c.note })),
    requesters: new Set([opening.moved_by, ...agenda.map((a) => a.added_by)]),
  };
}

/** Locks the deal, checks it is before the committee, and returns its current cycle and ballot. */
async function openQuestion(tx: Transaction<Schema>, dealId: string) {
  const deal = await lockDeal(tx, dealId);
  if (deal.stage !== 'committee')
    throw new KeelError('invalid_decision', `deal ${dealId} is in ${deal.stage}, not before the committee`);
  const cycle = await currentCycle(tx, dealId);
  return { deal, cycle, ballot: await loadBallot(tx, dealId, cycle) };
}

/** A signed-in committee member casts their own vote on the deal before the committee: one each per decision. */
export async function castVote(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: { dealId: string; vote: Vote },
) {
  authorize(actor, 'committee.vote');
  return runWrite(
    ctx,
    { actor, action: 'committee.vote', key, request: input, subject: `deal:${input.dealId}` },
    async (tx) => {
      const { cycle, ballot } = await openQuestion(tx, input.dealId);
      assertMayVote(ballot, actor.id);
      await tx
        .insertInto('committee_votes')
        .values({ deal_id: input.dealId, cycle_move_id: cycle, member_id: actor.id, vote: input.vote })
        .execute();
      return { result: { dealId: input.dealId, member: actor.id, vote: input.vote } };
    },
  );
}

/**
 * A committee member declares their own conflict of interest for the deal's current cycle (any number of
 * members may): a conflicted member cannot vote, and a vote cast before the declaration is not counted.
 */
export async function declareConflict(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: { dealId: string; note: string },
) {
  authorize(actor, 'committee.vote');
  const member = actor.id;
  return runWrite(
    ctx,
    { actor, action: 'committee.conflict', key, request: input, subject: `deal:${input.dealId}` },
    async (tx) => {
      const { cycle } = await openQuestion(tx, input.dealId);
      await tx
        .insertInto('committee_conflicts')
        .values({
          deal_id: input.dealId,
          cycle_move_id: cycle,
          member_id: member,
          note: input.note,
          declared_by: actor.id,
        })
        .onConflict((oc) => oc.columns(['deal_id', 'cycle_move_id', 'member_id']).doNothing())
        .execute();
      return { result: { dealId: input.dealId, member, declared: true } };
    },
  );
}

/**
 * The chair records the committee's decision on the votes the members cast, and the decision moves the
 * deal in the same transaction. Quorum and conflict rules come from the current programme version.
 */
export async function recordDecision(ctx: AppContext, actor: Actor, key: string, input: DecisionInput) {
  authorize(actor, 'committee.decide');
  return runWrite(
    ctx,
    { actor, action: 'committee.decide', key, request: input, subject: `deal:${input.dealId}` },
    async (tx) => {
      const { deal, cycle, ballot } = await openQuestion(tx, input.dealId);
      const { programme } = await currentProgramme(tx);
      const tally = assertDecisionIsSound(input, ballot, programme.committee, actor.id);
      const conflicted = new Set(ballot.conflicts.map((c) => c.member));
      const row = await tx
        .insertInto('committee_decisions')
        .values({
          deal_id: input.dealId,
          decision: input.decision,
          votes: JSON.stringify(ballot.votes.filter((v) => !conflicted.has(v.member))),
          conflicts: JSON.stringify(ballot.conflicts),
          conditions: JSON.stringify(input.conditions.map((text) => ({ text, status: 'open' }))),
          decided_on: input.decidedOn,
          recorded_by: actor.id,
          cycle_move_id: cycle,
          quorum: programme.committee.quorum,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('committee_votes')
        .set({ decision_id: row.id })
        .where('deal_id', '=', input.dealId)
        .where('cycle_move_id', '=', cycle)
        .where('decision_id', 'is', null)
        .execute();
      const to = stageAfterDecision(input.decision);
      if (to) await setStage(tx, actor, deal, to);
      return {
        result: {
          id: row.id,
          dealId: input.dealId,
          decision: input.decision,
          stage: to ?? deal.stage,
          tally,
        },
      };
    },
  );
}

/** Marks one condition of a decision met or waived (index from 0, in the order the committee set them). */
export async function updateCondition(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: { decisionId: bigint; index: number; status: 'met' | 'waived' },
) {
  authorize(actor, 'committee.manage');
  return runWrite(
    ctx,
    { actor, action: 'committee.condition', key, request: input, subject: `decision:${input.decisionId}` },
    async (tx) => {
      const row = await tx
        .selectFrom('committee_decisions')
        .select(['id', 'deal_id', 'conditions'])
        .where('id', '=', input.decisionId)
        .forUpdate()
        .executeTakeFirst();
      if (!row) throw new KeelError('not_found', `no committee decision ${input.decisionId}`);
      const conditions = row.conditions as Condition[];
      if (!conditions[input.index])
        throw new KeelError(
          'not_found',
          `decision ${input.decisionId} has no condition ${input.index} (it has ${conditions.length})`,
        );
      conditions[input.index] = { ...conditions[input.index]!, status: input.status };
      await tx
        .updateTable('committee_decisions')
        .set({ conditions: JSON.stringify(conditions) })
        .where('id', '=', row.id)
        .execute();
      return { result: { decisionId: row.id, dealId: row.deal_id, conditions } };
    },
  );
}
