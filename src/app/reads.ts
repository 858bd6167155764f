/** Private-side reads: companies, one deal with its history, the ledger. Access is decided before any read. */

import { z } from 'zod';
import { dealAmendments } from '../db/deals-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { isoDate, slug } from '../domain/fields.ts';
import { ENTRY_KINDS } from '../domain/ledger.ts';
import { authorize } from '../domain/roles.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { assertDealVisible } from './wall-crossings.ts';

export async function listCompanies(ctx: AppContext, actor: Actor) {
  authorize(actor, 'companies.read');
  const rows = await ctx.database.db.selectFrom('companies').selectAll().orderBy('name').execute();
  return rows.map(camelCased);
}

export async function getCompany(ctx: AppContext, actor: Actor, companyId: string) {
  authorize(actor, 'companies.read');
  const { db } = ctx.database;
  const company = await db.selectFrom('companies').selectAll().where('id', '=', companyId).executeTakeFirst();
  if (!company) throw new KeelError('not_found', `no company "${companyId}"`);
  const [facilities, deals] = await Promise.all([
    db.selectFrom('facilities').selectAll().where('company_id', '=', companyId).orderBy('id').execute(),
    db
      .selectFrom('deals')
      .select(['id', 'name', 'sub_area_id', 'instrument', 'amount_cents', 'stage'])
      .where('company_id', '=', companyId)
      .orderBy('id')
      .execute(),
  ]);
  return {
    company: camelCased(company),
    facilities: facilities.map(camelCased),
    deals: deals.map(camelCased),
  };
}

export async function getDeal(ctx: AppContext, actor: Actor, dealId: string) {
  await assertDealVisible(ctx, actor, dealId);
  const { db } = ctx.database;
  const deal = await db.selectFrom('deals').selectAll().where('id', '=', dealId).executeTakeFirst();
  if (!deal) throw new KeelError('not_found', `no deal "${dealId}"`);
  const [company, facilities, ledger, moves, amendments] = await Promise.all([
    db.selectFrom('companies').selectAll().where('id', '=', deal.company_id).executeTakeFirstOrThrow(),
    db.selectFrom('facilities').selectAll().where('company_id', '=', deal.company_id).orderBy('id').execute(),
    db.selectFrom('ledger_entries').selectAll().where('deal_id', '=', dealId).orderBy('seq').execute(),
    db.selectFrom('deal_stage_moves').selectAll().where('deal_id', '=', dealId).orderBy('id').execute(),
    dealAmendments(db, dealId),
  ]);
  return {
    deal: camelCased(deal),
    company: camelCased(company),
    facilities: facilities.map(camelCased),
    ledger: ledger.map(camelCased),
    stageMoves: moves.map(camelCased),
    amendments: amendments.map(camelCased),
  };
}

export const ledgerFilterSchema = z.object({
  dealId: slug.optional(),
  kind: z.enum(ENTRY_KINDS).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  afterSeq: z.coerce.bigint().min(0n).default(0n),
});
export type LedgerFilter = z.infer<typeof ledgerFilterSchema>;

export async function listLedger(ctx: AppContext, actor: Actor, filter: LedgerFilter) {
  authorize(actor, 'ledger.read');
  let query = ctx.database.db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('seq', '>', filter.afterSeq)
    .orderBy('seq')
    .limit(filter.limit);
  if (filter.dealId) query = query.where('deal_id', '=', filter.dealId);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.from) query = query.where('effective_on', '>=', filter.from);
  if (filter.to) query = query.where('effective_on', '<=', filter.to);
  return (await query.execute()).map(camelCased);
}
