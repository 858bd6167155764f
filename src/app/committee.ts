/** The investment committee: putting deals on its agenda (by hand or from the optimiser) and recording decisions. */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import {
  agendaDeals,
  agendaList,
  currentApproval,
  currentCycle,
  dealDecisions,
  insertAgendaItems,
  insertConflict,
  insertDecision,
  insertVote,
  loadBallot,
  lockDecision,
  removeAgendaItem,
  setDecisionConditions,
} from '../db/committee-repo.ts';
import { meetingPapers } from '../db/documents-repo.ts';
import type { Schema } from '../db/schema.ts';
import { bigintOrNull, existingIds } from '../db/sql-helpers.ts';
import { userNames } from '../db/users-repo.ts';
import {
  APPROVALS,
  assertDecisionIsSound,
  assertMayGoOnAgenda,
  assertMayVote,
  awaitsReapproval,
  type Ballot,
  countVotes,
  type DecisionInput,
  isBeforeCommittee,
  mayGoOnAgenda,
  stageAfterDecision,
  type Vote,
} from '../domain/committee.ts';
import { KeelError } from '../domain/errors.ts';
import { isoDate, slug } from '../domain/fields.ts';
import { formatDollars } from '../domain/money.ts';
import { authorize, can } from '../domain/roles.ts';
import { camelCased } from './camel-case.ts';
import { type Actor, type AppContext, today } from './context.ts';
import { lockDeal, setStage } from './deals.ts';
import { currentProgramme } from './programme.ts';
import { runWrite } from './write.ts';

export const agendaInputSchema = z.object({
  dealIds: z.array(slug).min(1, 'name at least one deal').max(200, 'at most 200 deals at once'),
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
      const deals = new Map((await agendaDeals(tx, dealIds)).map((d) => [d.id, d]));
      for (const id of dealIds) {
        const deal = deals.get(id);
        if (!deal) throw new KeelError('not_found', `no deal "${id}"`);
        assertMayGoOnAgenda(deal, deal.approvedAmount);
      }
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

/** Takes an item off the agenda; it is kept, so who put the deal on still may not vote on it (four eyes). */
export async function removeFromAgenda(ctx: AppContext, actor: Actor, key: string, itemId: bigint) {
  authorize(actor, 'committee.manage');
  return runWrite(
    ctx,
    { actor, action: 'committee.agenda.remove', key, request: { itemId }, subject: `agenda:${itemId}` },
    async (tx) => {
      const removed = await removeAgendaItem(tx, itemId, actor.id);
      if (!removed) throw new KeelError('not_found', `no agenda item ${itemId} on the agenda`);
      return { result: { id: itemId, dealId: removed.deal_id, meetingOn: removed.meeting_on } };
    },
  );
}

export async function listAgenda(ctx: AppContext, actor: Actor) {
  authorize(actor, 'committee.read');
  const items = (await agendaList(ctx.database.db))
    .map(({ approved_amount_cents, ...item }) => ({
      ...item,
      approvedAmount: bigintOrNull(approved_amount_cents),
      deal: { stage: item.stage, amount: BigInt(item.amount_cents) },
    }))
    // A deal withdrawn, declined or decided since it was put on the agenda has no question left there.
    .filter((item) => mayGoOnAgenda(item.deal, item.approvedAmount));
  // Deals before the committee show their open question: who voted how, who declared a conflict, who asked.
  const ballots = new Map<string, Ballot>();
  const open = items.filter((i) => isBeforeCommittee(i.deal, i.approvedAmount)).map((i) => i.deal_id);
  for (const dealId of new Set(open)) {
    const db = ctx.database.db;
    ballots.set(dealId, await loadBallot(db, dealId, await currentCycle(db, dealId)));
  }
  const papers = await agendaPapers(ctx, actor, items);
  const people = await userNames(
    ctx.database.db,
    [...ballots.values()].flatMap((b) => [
      ...b.votes.map((v) => v.member),
      ...b.conflicts.map((c) => c.member),
      ...b.requesters,
    ]),
  );
  const named = <T extends { member: string }>(rows: readonly T[]) =>
    rows.map((r) => ({ ...r, name: people.get(r.member) ?? r.member }));
  return items.map(({ deal, ...item }) => {
    const ballot = ballots.get(item.deal_id);
    return {
      ...camelCased(item),
      reapproval: awaitsReapproval(deal, item.approvedAmount),
      papers: papers
        .filter((p) => p.subject_id === item.meeting_on)
        .map(({ id, title, filename, version }) => ({ id, title, filename, version })),
      ballot: ballot
        ? {
            votes: named(ballot.votes),
            conflicts: named(ballot.conflicts),
            requesters: [...ballot.requesters].sort(),
            requesterNames: [...ballot.requesters].sort().map((id) => people.get(id) ?? id),
          }
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
  const decisions = await dealDecisions(db, dealId);
  const people = await userNames(
    db,
    decisions.flatMap((d) => [
      d.recorded_by,
      ...d.votes.map((v) => v.member),
      ...d.conflicts.map((c) => c.member),
    ]),
  );
  const name = (id: string) => people.get(id) ?? id;
  return decisions.map(({ approved_amount_cents, ...row }) => ({
    ...camelCased(row),
    recordedByName: name(row.recorded_by),
    votes: row.votes.map((v) => ({ ...v, name: name(v.member) })),
    conflicts: row.conflicts.map((c) => ({ ...c, name: name(c.member) })),
    approvedAmount: bigintOrNull(approved_amount_cents),
    tally: countVotes(row.votes),
  }));
}

/**
 * Locks the deal, checks it is before the committee (its first decision, or the re-approval of an amount
 * raised past its approval), and returns its current cycle and ballot.
 */
async function openQuestion(tx: Transaction<Schema>, dealId: string) {
  const deal = await lockDeal(tx, dealId);
  const approval = deal.stage === 'committee' ? null : await currentApproval(tx, dealId);
  if (!isBeforeCommittee(deal, approval?.amount ?? null))
    throw new KeelError(
      'invalid_decision',
      `deal ${dealId} is in ${deal.stage}, not before the committee${approval?.amount ? ` (its amount is within its approval of ${formatDollars(approval.amount)})` : ''}`,
    );
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
        // An approval covers the amount the committee had before it: the deal's amount as it stands.
        approvedAmount: APPROVALS.includes(input.decision) ? deal.amount : null,
      });
      const to = stageAfterDecision(input.decision, deal.stage);
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
