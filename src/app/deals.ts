import type { Transaction } from 'kysely';
import { currentApproval, recordOutsideApprovals } from '../db/committee-repo.ts';
import { dealList, insertDeals, lockDealRow, recordStageMove } from '../db/deals-repo.ts';
import type { Schema } from '../db/schema.ts';
import { existingIds } from '../db/sql-helpers.ts';
import { assertClosingConditions, assertNotDecisionMove } from '../domain/committee.ts';
import type { DealInput } from '../domain/deal.ts';
import { KeelError } from '../domain/errors.ts';
import type { Instrument } from '../domain/instruments.ts';
import { authorize } from '../domain/roles.ts';
import { assertMove, assertOpeningStage, DECIDED_STAGES, type Stage } from '../domain/stages.ts';
import { type BatchOptions, chunks, entryLabel, firstDuplicate } from './batch.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { runWrite } from './write.ts';
import type { WriteKey } from './write-key.ts';

const CHUNK = 1_000;

/**
 * Opens deals all or none, at the first stage. An admin may bring in a deal at a later stage as a historical
 * import carrying the reference of the decision taken elsewhere (stored on the deal, audited, and recorded as
 * the approval of the cycle the deal opens with when it opens past the committee).
 */
export async function openDeals(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  deals: DealInput[],
  options: BatchOptions = {},
) {
  authorize(actor, 'deals.write');
  const label = options.label ?? entryLabel;
  const ids = deals.map((d) => d.id);
  const dup = firstDuplicate(ids);
  if (dup >= 0) throw new KeelError('duplicate_id', `${label(dup)}: deal id "${ids[dup]}" appears twice`);
  deals.forEach((deal, index) => {
    try {
      assertOpeningStage(actor, deal);
    } catch (error) {
      if (error instanceof KeelError)
        throw new KeelError(error.code, `${label(index)}: ${error.message}`, error.details);
      throw error;
    }
  });

  return runWrite(
    ctx,
    {
      actor,
      action: 'deal.open',
      key,
      request: deals,
      subject: deals.length === 1 ? `deal:${ids[0]}` : 'deals',
    },
    async (tx) => {
      const companies = await existingIds(
        tx,
        'companies',
        deals.map((d) => d.companyId),
      );
      const subAreas = await existingIds(
        tx,
        'sub_areas',
        deals.map((d) => d.subAreaId),
      );
      const existing = await existingIds(tx, 'deals', ids);
      deals.forEach((deal, index) => {
        if (existing.has(deal.id))
          throw new KeelError('duplicate_id', `${label(index)}: deal "${deal.id}" already exists`);
        if (!companies.has(deal.companyId)) {
          throw new KeelError(
            'unknown_company',
            `${label(index)}, field company_id: no company "${deal.companyId}"; add it first`,
          );
        }
        if (!subAreas.has(deal.subAreaId)) {
          throw new KeelError(
            'unknown_sub_area',
            `${label(index)}, field sub_area_id: no sub-area "${deal.subAreaId}" in the taxonomy`,
          );
        }
      });
      for (const { items, end } of chunks(deals, CHUNK)) {
        options.signal?.throwIfAborted();
        const opening = await insertDeals(
          tx,
          items.map((d) => ({
            id: d.id,
            company_id: d.companyId,
            sub_area_id: d.subAreaId,
            instrument: d.instrument,
            amount_cents: d.amount,
            stage: d.stage,
            classification: d.classification,
            opened_on: d.openedOn,
            announced_on: d.announcedOn ?? null,
            team: JSON.stringify(d.team),
            source: d.source,
            synthetic: d.synthetic,
            resilience_score: d.resilienceScore ?? null,
            expected_return: d.expectedReturn ?? null,
            risk_score: d.riskScore ?? null,
            historical_decision_ref: d.historicalDecisionRef ?? null,
            name: d.name ?? null,
          })),
          actor.id,
        );
        await recordOutsideApprovals(
          tx,
          items
            .filter((d) => d.historicalDecisionRef !== undefined && DECIDED_STAGES.has(d.stage))
            .map((d) => ({
              dealId: d.id,
              cycleMoveId: opening.get(d.id)!,
              decidedOn: d.openedOn,
              recordedBy: actor.id,
              reference: d.historicalDecisionRef!,
              // The reference names a decision taken elsewhere, not the amount it approved.
              amount: null,
            })),
        );
        options.onProgress?.(end, deals.length);
      }
      // A historical import is audited with each deal's stage and the decision it rests on.
      const historical = deals
        .filter((d) => d.historicalDecisionRef !== undefined)
        .map((d) => ({ id: d.id, stage: d.stage, decisionRef: d.historicalDecisionRef }));
      return {
        result: { opened: deals.length },
        audit: { count: deals.length, first: ids[0] ?? null, ...(historical.length ? { historical } : {}) },
      };
    },
  );
}

/** Locks one deal's row for the rest of the transaction (stage changes serialise on it), or says it does not exist. */
export async function lockDeal(
  tx: Transaction<Schema>,
  dealId: string,
): Promise<{ id: string; stage: Stage; amount: bigint }> {
  const deal = await lockDealRow(tx, dealId);
  if (!deal) throw new KeelError('not_found', `no deal "${dealId}"`);
  return { id: deal.id, stage: deal.stage, amount: BigInt(deal.amount_cents) };
}

export async function moveDealStage(
  ctx: AppContext,
  actor: Actor,
  input: { key: string; dealId: string; to: Stage },
) {
  authorize(actor, 'deals.move');
  return runWrite(
    ctx,
    { actor, action: 'deal.move', key: input.key, request: input, subject: `deal:${input.dealId}` },
    async (tx) => {
      const deal = await lockDeal(tx, input.dealId);
      assertMove(deal.stage, input.to);
      assertNotDecisionMove(deal.stage, input.to);
      if (deal.stage === 'approved' && input.to === 'closed')
        assertClosingConditions(deal.stage, input.to, (await currentApproval(tx, deal.id))?.conditions ?? []);
      await setStage(tx, actor, deal, input.to);
      return { result: { dealId: deal.id, from: deal.stage, to: input.to } };
    },
  );
}

/** Moves a locked deal and records the move (a move into `committee` starts a new committee cycle). */
export async function setStage(
  tx: Transaction<Schema>,
  actor: Actor,
  deal: { id: string; stage: Stage },
  to: Stage,
): Promise<void> {
  await recordStageMove(tx, deal, to, actor.id);
}

export interface DealFilter {
  stage?: Stage | undefined;
  subAreaId?: string | undefined;
  instrument?: Instrument | undefined;
}

export async function listDeals(ctx: AppContext, actor: Actor, filter: DealFilter = {}) {
  authorize(actor, 'deals.read');
  return (await dealList(ctx.database.db, filter)).map(camelCased);
}
