/** The investment committee: putting deals on its agenda (by hand or from the optimiser) and recording decisions. */
import { z } from 'zod';
import { inTextArray } from '../db/sql-helpers.ts';
import { assertDecisionIsSound, type Condition, type DecisionInput } from '../domain/committee.ts';
import { KeelError } from '../domain/errors.ts';
import { isoDate, slug } from '../domain/fields.ts';
import { authorize } from '../domain/roles.ts';
import type { Actor, AppContext } from './context.ts';
import { lockDeal } from './deals.ts';
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
      const known = new Set(
        (await tx.selectFrom('deals').select('id').where(inTextArray('id', dealIds)).execute()).map(
          (d) => d.id,
        ),
      );
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
  return ctx.database.db
    .selectFrom('committee_agenda')
    .innerJoin('deals', 'deals.id', 'committee_agenda.deal_id')
    .select([
      'committee_agenda.id',
      'committee_agenda.deal_id',
      'committee_agenda.meeting_on',
      'committee_agenda.memo_url',
      'committee_agenda.source',
      'deals.stage',
      'deals.amount_cents',
    ])
    .orderBy('committee_agenda.meeting_on')
    .orderBy('committee_agenda.deal_id')
    .execute();
}

export async function recordDecision(ctx: AppContext, actor: Actor, key: string, input: DecisionInput) {
  authorize(actor, 'committee.decide');
  assertDecisionIsSound(input);
  return runWrite(
    ctx,
    { actor, action: 'committee.decide', key, request: input, subject: `deal:${input.dealId}` },
    async (tx) => {
      const deal = await lockDeal(tx, input.dealId);
      if (deal.stage !== 'committee')
        throw new KeelError(
          'invalid_decision',
          `deal ${input.dealId} is in ${deal.stage}, not before the committee`,
        );
      const row = await tx
        .insertInto('committee_decisions')
        .values({
          deal_id: input.dealId,
          decision: input.decision,
          votes: JSON.stringify(input.votes),
          conflicts: JSON.stringify(input.conflicts),
          conditions: JSON.stringify(input.conditions.map((text) => ({ text, status: 'open' }))),
          decided_on: input.decidedOn,
          recorded_by: actor.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { result: { id: row.id, dealId: input.dealId, decision: input.decision } };
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
