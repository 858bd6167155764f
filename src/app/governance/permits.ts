/** Permits per deal, their stage history, and the bottlenecks they add up to. */
import type { z } from 'zod';
import {
  insertPermit,
  insertPermitEvent,
  permitDeal,
  permitEvents,
  permitRecords,
} from '../../db/governance-repo.ts';
import { KeelError } from '../../domain/errors.ts';
import {
  assertPermitMove,
  bottlenecks,
  daysInStages,
  permitInputSchema,
  type permitMoveSchema,
} from '../../domain/permitting.ts';
import { publicBottlenecks } from '../../domain/public-bottlenecks.ts';
import { authorize } from '../../domain/roles.ts';
import { type Actor, type AppContext, today } from '../context.ts';
import { lockDeal } from '../deals.ts';
import { currentProgramme } from '../programme.ts';
import { seesSuppressedFigures } from '../public-aggregates.ts';
import { runWrite } from '../write.ts';

export { permitInputSchema };

export async function addPermit(
  ctx: AppContext,
  actor: Actor,
  key: string,
  input: z.infer<typeof permitInputSchema>,
) {
  authorize(actor, 'permits.write');
  const written = await runWrite(
    ctx,
    { actor, action: 'permit.add', key, request: input, subject: `deal:${input.dealId}` },
    async (tx) => {
      await lockDeal(tx, input.dealId);
      const id = await insertPermit(tx, {
        dealId: input.dealId,
        kind: input.kind,
        agency: input.agency,
        jurisdiction: input.jurisdiction,
        note: input.note ?? null,
        stage: input.stage,
        on: input.on,
        by: actor.id,
      });
      return { result: { id } };
    },
  );
  return written;
}

export async function movePermit(
  ctx: AppContext,
  actor: Actor,
  key: string,
  id: bigint,
  input: z.infer<typeof permitMoveSchema>,
) {
  authorize(actor, 'permits.write');
  const written = await runWrite(
    ctx,
    { actor, action: 'permit.move', key, request: { id, ...input }, subject: `permit:${id}` },
    async (tx) => {
      const permit = await permitDeal(tx, id);
      if (!permit) throw new KeelError('not_found', `no permit ${id}`);
      await lockDeal(tx, permit.deal_id);
      assertPermitMove(await permitEvents(tx, id), input);
      await insertPermitEvent(tx, { permitId: id, stage: input.stage, on: input.on, by: actor.id });
      return { result: { id, stage: input.stage } };
    },
  );
  return written;
}

export async function dealPermits(ctx: AppContext, actor: Actor, dealId: string, asOf = today()) {
  authorize(actor, 'permits.read');
  return (await permitRecords(ctx.database.db, dealId)).map((p) => ({
    ...p,
    days: daysInStages(p.events, asOf),
  }));
}

/**
 * Aggregates only (no deal names): the council and the public side may see them, with no figure that fewer
 * than k deals add up to; the private side sees every figure.
 */
export async function permitBottlenecks(ctx: AppContext, actor: Actor, asOf = today()) {
  authorize(actor, 'permits.aggregates');
  if (seesSuppressedFigures(actor)) return publicPermitBottlenecks(ctx, asOf);
  return { asOf, ...bottlenecks(await permitRecords(ctx.database.db), asOf) };
}

/** Bottlenecks with small-cell suppression, whoever asks (the council's stored facts use these). */
export async function publicPermitBottlenecks(ctx: AppContext, asOf = today()) {
  const [records, { programme }] = await Promise.all([
    permitRecords(ctx.database.db),
    currentProgramme(ctx.database.db),
  ]);
  return { asOf, ...publicBottlenecks(records, asOf, programme.disclosure) };
}
