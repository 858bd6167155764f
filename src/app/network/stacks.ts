/**
 * The capital stack of a deal: participations beside the bank, their status, and what counts. A
 * participation the bank arranged counts as facilitated capital; when it is committed it is booked in the
 * same transaction as its own deal (the facilitated instrument) with a ledger commitment, so the programme
 * totals move through the ledger like every other amount, exactly. Declining a committed one books the
 * cancellation.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { currentApproval, recordOutsideApprovals } from '../../db/committee-repo.ts';
import { dealRow, insertDeals } from '../../db/deals-repo.ts';
import {
  insertParticipation,
  lockParticipation,
  ownNetCommitted,
  participationDeal,
  setParticipationRow,
  stackParticipations,
} from '../../db/network-repo.ts';
import type { Schema } from '../../db/schema.ts';
import { existingIds } from '../../db/sql-helpers.ts';
import { awaitsReapproval } from '../../domain/committee.ts';
import { KeelError } from '../../domain/errors.ts';
import { isoDate } from '../../domain/fields.ts';
import type { Instrument } from '../../domain/instruments.ts';
import { cents } from '../../domain/money.ts';
import {
  assertParticipationIsSound,
  type CapitalStack,
  capitalStack,
  countsTowardProgramme,
  PARTICIPATION_STATUSES,
  type ParticipationInput,
  type ParticipationStatus,
} from '../../domain/network.ts';
import { authorize } from '../../domain/roles.ts';
import { FUNDABLE_STAGES, type Stage } from '../../domain/stages.ts';
import { type Actor, type AppContext, today } from '../context.ts';
import { lockDeal } from '../deals.ts';
import { recordEntriesInTransaction } from '../ledger.ts';
import { currentProgramme } from '../programme.ts';
import { assertDealVisible } from '../wall-crossings.ts';
import { runWrite } from '../write.ts';
import { unguessableKey, type WriteKey } from '../write-key.ts';

export const participationStatusSchema = z.object({
  status: z.enum(PARTICIPATION_STATUSES),
  /** Date booked in the ledger when a counted participation is committed or withdrawn (default today). */
  effectiveOn: isoDate.optional(),
});

/** Allowed status moves: forward through the funnel, or out (declined). A declined participation stays declined. */
const NEXT: Record<ParticipationStatus, readonly ParticipationStatus[]> = {
  proposed: ['soft_circled', 'committed', 'declined'],
  soft_circled: ['committed', 'declined'],
  committed: ['declined'],
  declined: [],
};

export async function addParticipation(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  input: ParticipationInput,
) {
  authorize(actor, 'network.write');
  if (input.status === 'committed') {
    throw new KeelError(
      'invalid_participation',
      'add a participation first, then commit it (so that what counts is booked)',
    );
  }
  const { programme } = await currentProgramme(ctx.database.db);
  assertParticipationIsSound(programme, input);
  const written = await runWrite(
    ctx,
    { actor, action: 'network.participation.add', key, request: input, subject: `deal:${input.dealId}` },
    async (tx) => {
      await lockDeal(tx, input.dealId);
      const known = await existingIds(tx, 'organisations', [input.organisationId]);
      if (!known.size)
        throw new KeelError('unknown_organisation', `no organisation "${input.organisationId}"`);
      const id = await insertParticipation(tx, input, actor.id);
      return { result: { id, counts: countsTowardProgramme(programme, input) } };
    },
  );
  return written;
}

export async function setParticipationStatus(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  id: bigint,
  input: z.infer<typeof participationStatusSchema>,
) {
  authorize(actor, 'network.write');
  const { programme } = await currentProgramme(ctx.database.db);
  const written = await runWrite(
    ctx,
    {
      actor,
      action: 'network.participation.status',
      key,
      request: { id, ...input },
      subject: `participation:${id}`,
    },
    async (tx) => {
      const found = await participationDeal(tx, id);
      if (!found) throw new KeelError('not_found', `no participation ${id}`);
      const parent = await lockDeal(tx, found.deal_id);
      const p = await lockParticipation(tx, id);
      const from = p.status;
      if (!NEXT[from].includes(input.status)) {
        throw new KeelError('invalid_participation', `a ${from} participation cannot become ${input.status}`);
      }
      const counts = countsTowardProgramme(programme, {
        instrument: p.instrument,
        arrangedByBank: p.arranged_by_bank,
      });
      const effectiveOn = input.effectiveOn ?? today();
      let countedDealId = p.counted_deal_id;
      // The ledger rows this write books, described in its audit entry like any other ledger write.
      let ledgerAudit: Record<string, unknown> | undefined;
      if (counts && input.status === 'committed') {
        authorize(actor, 'ledger.write');
        if (!FUNDABLE_STAGES.has(parent.stage)) {
          throw new KeelError(
            'invalid_participation',
            `deal ${parent.id} is ${parent.stage}: arranged capital is committed once the deal is approved`,
          );
        }
        countedDealId = await openFacilitatedDeal(tx, actor, parent, p, effectiveOn);
        ({ audit: ledgerAudit } = await recordEntriesInTransaction(tx, actor, [
          {
            clientKey: unguessableKey('stack', String(id), 'commitment'),
            dealId: countedDealId,
            kind: 'commitment',
            amount: p.amount_cents,
            effectiveOn,
          },
        ]));
      }
      if (counts && from === 'committed' && input.status === 'declined' && countedDealId) {
        authorize(actor, 'ledger.write');
        ({ audit: ledgerAudit } = await recordEntriesInTransaction(tx, actor, [
          {
            clientKey: unguessableKey('stack', String(id), 'cancellation'),
            dealId: countedDealId,
            kind: 'cancellation',
            amount: p.amount_cents,
            effectiveOn,
          },
        ]));
      }
      await setParticipationRow(tx, id, { status: input.status, countedDealId });
      return {
        result: { id, from, to: input.status, countedDealId },
        audit: { request: { id, ...input }, ...(ledgerAudit && { ledgerRows: ledgerAudit.ledgerRows }) },
      };
    },
  );
  return written;
}

async function openFacilitatedDeal(
  tx: Transaction<Schema>,
  actor: Actor,
  parent: { id: string; stage: Stage },
  p: { id: bigint; instrument: Instrument; amount_cents: bigint; organisation_id: string },
  openedOn: string,
) {
  const source = await dealRow(tx, parent.id);
  if (!source) throw new KeelError('not_found', `no deal "${parent.id}"`);
  // Participation ids are unique, so the suffix keeps the id unique when a long parent id is shortened to
  // stay within the 120 characters every deal id may have.
  // The arranged part is covered by the parent's approval of its current committee cycle, and by no other.
  const approval = await currentApproval(tx, parent.id);
  if (!approval)
    throw new KeelError(
      'committee_approval_required',
      `deal ${parent.id} has no committee approval for its current committee cycle: arranged capital is committed under one`,
      { dealId: parent.id },
    );
  // While the parent's raised amount awaits re-approval, its question is open: nothing is arranged under it.
  if (awaitsReapproval({ stage: parent.stage, amount: BigInt(source.amount_cents) }, approval.amount))
    throw new KeelError(
      'committee_approval_required',
      `deal ${parent.id}'s amount was raised past its approval and awaits the committee's re-approval: arranged capital is committed once it is re-approved`,
      { dealId: parent.id },
    );
  const suffix = `-p${p.id}`;
  const id = `${parent.id.slice(0, 120 - suffix.length)}${suffix}`;
  // Opened like every deal: its first stage move, so stage histories and month-end pipelines include it.
  const opening = await insertDeals(
    tx,
    [
      {
        id,
        company_id: source.company_id,
        sub_area_id: source.sub_area_id,
        instrument: p.instrument,
        amount_cents: p.amount_cents,
        stage: parent.stage,
        classification: source.classification,
        opened_on: openedOn,
        team: JSON.stringify([actor.id]),
        source: `capital stack of deal ${parent.id}: ${p.instrument} arranged by the bank for ${p.organisation_id} (participation ${p.id})`,
        synthetic: source.synthetic,
      },
    ],
    actor.id,
  );
  await recordOutsideApprovals(tx, [
    {
      dealId: id,
      cycleMoveId: opening.get(id)!,
      decidedOn: openedOn,
      recordedBy: actor.id,
      reference: `committee decision ${approval.id} on deal ${parent.id} (capital stack)`,
      amount: p.amount_cents,
    },
  ]);
  return id;
}

export interface StackView extends CapitalStack {
  dealId: string;
  organisations: Record<string, string>;
}

export async function capitalStackOf(ctx: AppContext, actor: Actor, dealId: string): Promise<StackView> {
  authorize(actor, 'network.read');
  await assertDealVisible(ctx, actor, dealId);
  const db = ctx.database.db;
  const deal = await dealRow(db, dealId);
  if (!deal) throw new KeelError('not_found', `no deal "${dealId}"`);
  const [{ programme }, own, { participations, names }] = await Promise.all([
    currentProgramme(db),
    ownNetCommitted(db, dealId),
    stackParticipations(db, dealId),
  ]);
  const stack = capitalStack(
    programme,
    { instrument: deal.instrument, committed: cents(BigInt(own)) },
    participations,
  );
  return {
    ...stack,
    dealId,
    organisations: names,
  };
}
