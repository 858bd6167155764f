/** The investment committee: putting deals on its agenda (by hand or from the optimiser) and recording decisions. */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import {
  agendaList,
  currentCycle,
  dealDecisions,
  insertAgendaItems,
  insertConflict,
  insertDecision,
  insertVote,
  loadBallot,
  lockDecision,
  setDecisionConditions,
} from '../db/committee-repo.ts';
import { meetingPapers } from '../db/documents-repo.ts';
import type { Schema } from '../db/schema.ts';
import { existingIds } from '../db/sql-helpers.ts';
import {
  assertDecisionIsSound,
  assertMayVote,
  type Ballot,
  countVotes,
  type DecisionInput,
  stageAfterDecision,
  type Vote,
} from '../domain/committee.ts';
import { KeelError } from '../domain/errors.ts';
import { isoDate, slug } from '../domain/fields.ts';
import { authorize, can } from '../domain/roles.ts';
import { camelCased } from './camel-case.ts';
import { type Actor, type AppContext, today } from './context.ts';
import { lockDeal, setStage } from './deals.ts';
import { currentProgramme } from './programme.ts';
import { runWrite } from './write.ts';

export const agendaInputSchema = z.object({
  dealIds: z.array(slug).min(1).max(200),
  meetingOn: isoDate,
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
      await insertAgendaItems(tx, {
        dealIds,
        meetingOn: input.meetingOn,
        source: input.source,
        addedBy: actor.id,
      });
      return { result: { meetingOn: input.meetingOn, deals: dealIds } };
    },
  );
}

export async function listAgenda(ctx: AppContext, actor: Actor) {
  authorize(actor, 'committee.read');
  const items = await agendaList(ctx.database.db);
  // Deals before the committee show their open question: who voted how, who declared a conflict, who asked.
  const ballots = new Map<string, Ballot>();
  for (const dealId of new Set(items.filter((i) => i.stage === 'committee').map((i) => i.deal_id))) {
    const db = ctx.database.db;
    ballots.set(dealId, await loadBallot(db, dealId, await currentCycle(db, dealId)));
  }
  const papers = await agendaPapers(ctx, actor, items);
  return items.map((item) => {
    const ballot = ballots.get(item.deal_id);
    return {
      ...camelCased(item),
      papers: papers
        .filter((p) => p.subject_id === item.meeting_on)
        .map(({ id, title, filename, version }) => ({ id, title, filename, version })),
      ballot: ballot
        ? { votes: ballot.votes, conflicts: ballot.conflicts, requesters: [...ballot.requesters].sort() }
        : null,
    };
  });
}

/**
 * The memo and papers of each meeting on the agenda (the latest version of each title): the memo is a
 * document of its meeting, so an agenda item links to it. Only for those who may read documents.
 */
async function agendaPapers(ctx: AppContext, actor: Actor, items: ReadonlyArray<{ meeting_on: string }>) {
  if (!can(actor, 'documents.read')) return [];
  return meetingPapers(ctx.database.db, [...new Set(items.map((i) => i.meeting_on))]);
}

/**
 * A deal's committee decisions with their tally and conditions. Committee readers only: a wall-crossed
 * analyst sees the deal's figures, not how each member voted or what conflicts they declared, which are
 * the committee's own record (as the amendment reasons and the activity are the deal team's).
 */
export async function listDealDecisions(ctx: AppContext, actor: Actor, dealId: string) {
  authorize(actor, 'committee.read');
  const { db } = ctx.database;
  if (!(await existingIds(db, 'deals', [dealId])).size)
    throw new KeelError('not_found', `no deal "${dealId}"`);
  return (await dealDecisions(db, dealId)).map((row) => ({
    ...camelCased(row),
    tally: countVotes(row.votes),
  }));
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
      await insertVote(tx, { dealId: input.dealId, cycle, member: actor.id, vote: input.vote });
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
      await insertConflict(tx, {
        dealId: input.dealId,
        cycle,
        member,
        note: input.note,
        declaredBy: actor.id,
      });
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
  if (input.decidedOn > today())
    throw new KeelError(
      'invalid_decision',
      `decidedOn ${input.decidedOn} is in the future: a decision is recorded on or after the day it was taken`,
    );
  return runWrite(
    ctx,
    { actor, action: 'committee.decide', key, request: input, subject: `deal:${input.dealId}` },
    async (tx) => {
      const { deal, cycle, ballot } = await openQuestion(tx, input.dealId);
      const { programme } = await currentProgramme(tx);
      const tally = assertDecisionIsSound(input, ballot, programme.committee, actor.id);
      const conflicted = new Set(ballot.conflicts.map((c) => c.member));
      const id = await insertDecision(tx, {
        dealId: input.dealId,
        decision: input.decision,
        votes: ballot.votes.filter((v) => !conflicted.has(v.member)),
        conflicts: ballot.conflicts,
        conditions: input.conditions.map((text) => ({ text, status: 'open' })),
        decidedOn: input.decidedOn,
        recordedBy: actor.id,
        cycle,
        quorum: programme.committee.quorum,
      });
      const to = stageAfterDecision(input.decision);
      if (to) await setStage(tx, actor, deal, to);
      return {
        result: {
          id,
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
      const row = await lockDecision(tx, input.decisionId);
      if (!row) throw new KeelError('not_found', `no committee decision ${input.decisionId}`);
      const conditions = row.conditions;
      if (!conditions[input.index])
        throw new KeelError(
          'not_found',
          `decision ${input.decisionId} has no condition ${input.index} (it has ${conditions.length})`,
        );
      conditions[input.index] = { ...conditions[input.index]!, status: input.status };
      await setDecisionConditions(tx, row.id, conditions);
      return { result: { decisionId: row.id, dealId: row.dealId, conditions } };
    },
  );
}
