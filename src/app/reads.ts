/** Private-side reads: companies, one deal with its history, the ledger. Access is decided before any read. */

import { z } from 'zod';
import { currentApproval } from '../db/committee-repo.ts';
import { companyDeals, companyFacilities, companyRow, companyRows } from '../db/companies-repo.ts';
import { dealAmendments, dealRow, dealStageMoves } from '../db/deals-repo.ts';
import { dealLedgerEntries, ledgerEntries } from '../db/ledger-rows.ts';
import { settleAll } from '../db/sql-helpers.ts';
import { userNames } from '../db/users-repo.ts';
import { awaitsReapproval } from '../domain/committee.ts';
import { KeelError } from '../domain/errors.ts';
import { isoDate, slug } from '../domain/fields.ts';
import { ENTRY_KINDS } from '../domain/ledger.ts';
import { authorize, can } from '../domain/roles.ts';
import { FUNDABLE_STAGES } from '../domain/stages.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { assertDealVisible } from './wall-crossings.ts';

export async function listCompanies(ctx: AppContext, actor: Actor) {
  authorize(actor, 'companies.read');
  return (await companyRows(ctx.database.db)).map(camelCased);
}

export async function getCompany(ctx: AppContext, actor: Actor, companyId: string) {
  authorize(actor, 'companies.read');
  const { db } = ctx.database;
  const company = await companyRow(db, companyId);
  if (!company) throw new KeelError('not_found', `no company "${companyId}"`);
  const [facilities, deals] = await Promise.all([
    companyFacilities(db, companyId),
    companyDeals(db, companyId),
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
  const deal = await dealRow(db, dealId);
  if (!deal) throw new KeelError('not_found', `no deal "${dealId}"`);
  // What the committee approved in the deal's current cycle is read beside the rest (it needs only the stage).
  const [company, facilities, ledger, moves, amendments, approval] = await settleAll([
    companyRow(db, deal.company_id),
    companyFacilities(db, deal.company_id),
    dealLedgerEntries(db, dealId),
    dealStageMoves(db, dealId),
    dealAmendments(db, dealId),
    FUNDABLE_STAGES.has(deal.stage) ? currentApproval(db, dealId) : null,
  ]);
  // The foreign key guarantees the company; its absence is a broken database, not a client error.
  if (!company) throw new Error(`deal ${dealId} has no company ${deal.company_id}`);
  // An analyst brought over the wall for this deal sees its figures; the amendments' reasons are the deal
  // team's record, as its activity timeline is.
  const shownAmendments = can(actor, 'deals.read') ? amendments : [];
  const approvedAmount = approval?.amount ?? null;
  const people = await userNames(db, [
    ...ledger.map((e) => e.recorded_by),
    ...moves.map((m) => m.moved_by),
    ...shownAmendments.map((a) => a.amended_by),
  ]);
  return {
    deal: camelCased(deal),
    company: camelCased(company),
    facilities: facilities.map(camelCased),
    ledger: ledger.map(camelCased),
    stageMoves: moves.map(camelCased),
    amendments: shownAmendments.map(camelCased),
    approvedAmount,
    awaitsReapproval: awaitsReapproval(
      { stage: deal.stage, amount: BigInt(deal.amount_cents) },
      approvedAmount,
    ),
    people: Object.fromEntries(people),
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
  return (await ledgerEntries(ctx.database.db, filter)).map(camelCased);
}
