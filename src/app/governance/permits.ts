/** Permits per deal, their stage history, and the bottlenecks they add up to. */
import type { z } from 'zod';
import { KeelError } from '../../domain/errors.ts';
import {
  assertPermitMove,
  bottlenecks,
  daysInStages,
  type PermitRecord,
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
      const row = await tx
        .insertInto('permits')
        .values({
          deal_id: input.dealId,
          kind: input.kind,
          agency: input.agency,
          jurisdiction: input.jurisdiction,
          note: input.note ?? null,
          created_by: actor.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('permit_events')
        .values({ permit_id: row.id, stage: input.stage, on_date: input.on, recorded_by: actor.id })
        .execute();
      return { result: { id: row.id } };
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
      const permit = await tx
        .selectFrom('permits')
        .select(['id', 'deal_id'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!permit) throw new KeelError('not_found', `no permit ${id}`);
      await lockDeal(tx, permit.deal_id);
      const events = await tx
        .selectFrom('permit_events')
        .select(['stage', 'on_date'])
        .where('permit_id', '=', id)
        .orderBy('id')
        .execute();
      assertPermitMove(
        events.map((e) => ({ stage: e.stage, on: String(e.on_date) })),
        input,
      );
      await tx
        .insertInto('permit_events')
        .values({ permit_id: id, stage: input.stage, on_date: input.on, recorded_by: actor.id })
        .execute();
      return { result: { id, stage: input.stage } };
    },
  );
  return written;
}

async function permitRecords(ctx: AppContext, dealId?: string) {
  let q = ctx.database.db
    .selectFrom('permits as p')
    .innerJoin('deals as d', 'd.id', 'p.deal_id')
    .innerJoin('permit_events as e', 'e.permit_id', 'p.id')
    .select([
      'p.id',
      'p.deal_id',
      'p.kind',
      'p.agency',
      'p.jurisdiction',
      'd.amount_cents',
      'e.stage',
      'e.on_date',
    ])
    .orderBy('p.id')
    .orderBy('e.id');
  if (dealId) q = q.where('p.deal_id', '=', dealId);
  const rows = await q.execute();
  const byId = new Map<bigint, PermitRecord & { id: bigint; jurisdiction: string }>();
  for (const r of rows) {
    const record = byId.get(r.id) ?? {
      id: r.id,
      dealId: r.deal_id,
      kind: r.kind,
      agency: r.agency,
      jurisdiction: r.jurisdiction,
      dealAmount: r.amount_cents,
      events: [],
    };
    record.events.push({ stage: r.stage, on: String(r.on_date) });
    byId.set(r.id, record);
  }
  return [...byId.values()];
}

export async function dealPermits(ctx: AppContext, actor: Actor, dealId: string, asOf = today()) {
  authorize(actor, 'permits.read');
  return (await permitRecords(ctx, dealId)).map((p) => ({ ...p, days: daysInStages(p.events, asOf) }));
}

/**
 * Aggregates only (no deal names): the council and the public side may see them, with no figure that fewer
 * than k deals add up to; the private side sees every figure.
 */
export async function permitBottlenecks(ctx: AppContext, actor: Actor, asOf = today()) {
  authorize(actor, 'permits.aggregates');
  if (seesSuppressedFigures(actor)) return publicPermitBottlenecks(ctx, asOf);
  return { asOf, ...bottlenecks(await permitRecords(ctx), asOf) };
}

/** Bottlenecks with small-cell suppression, whoever asks (the council's stored facts use these). */
export async function publicPermitBottlenecks(ctx: AppContext, asOf = today()) {
  const [records, { programme }] = await Promise.all([permitRecords(ctx), currentProgramme(ctx.database.db)]);
  return { asOf, ...publicBottlenecks(records, asOf, programme.disclosure) };
}
