/**
 * The ledger list (issue 15): ledger entries a page at a time, filtered and sorted on the server, with the
 * filtered set's count and exact sum per kind. Private side only (ledger.read): the public side never sees
 * a deal's money. The same filters narrow the ledger's CSV/XLSX export (app/exports.ts).
 */
import { z } from 'zod';
import { type LedgerListFilter, ledgerKindTotals, ledgerListPage } from '../db/ledger-search.ts';
import { isoDate, slug } from '../domain/fields.ts';
import { ENTRY_KINDS } from '../domain/ledger.ts';
import { authorize } from '../domain/roles.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { commaList, paging } from './list-query.ts';

const filterFields = {
  /** One kind, or several separated by commas. */
  kind: commaList(ENTRY_KINDS).optional(),
  dealId: slug.optional(),
  companyId: slug.optional(),
  subAreaId: slug.optional(),
  /** Effective dates, both ends included. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Words of the deal's or its company's name. */
  q: z.string().trim().max(200).optional(),
};

const fromNotAfterTo = (f: { from?: string | undefined; to?: string | undefined }) =>
  !f.from || !f.to || f.from <= f.to;
const dateOrder = { message: 'from must not be after to', path: ['from'] };

export const LEDGER_SORTS = ['date', 'amount', 'seq', 'deal', 'company', 'kind', 'recordedBy'] as const;

/** A query of the ledger's filters and `fields` of its own (a page and sort, an export's format). */
export const withLedgerFilters = <F extends z.ZodRawShape>(fields: F) =>
  z
    .object({ ...filterFields, ...fields })
    .refine((f) => fromNotAfterTo(f as { from?: string; to?: string }), dateOrder);

export const ledgerListFilterSchema = withLedgerFilters({});
export type LedgerListQueryFilter = z.infer<typeof ledgerListFilterSchema>;

/** Whether a query names any of the ledger's filters. */
export const hasLedgerFilter = (query: LedgerListQueryFilter) =>
  Object.keys(filterFields).some((key) => query[key as keyof LedgerListQueryFilter] !== undefined);

export const ledgerListQuerySchema = withLedgerFilters({
  sort: z.enum(LEDGER_SORTS).default('date'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  ...paging,
});

export function toLedgerFilter(query: LedgerListQueryFilter): LedgerListFilter {
  return {
    kinds: query.kind,
    dealId: query.dealId,
    companyId: query.companyId,
    subAreaId: query.subAreaId,
    from: query.from,
    to: query.to,
    text: query.q,
  };
}

/** A page of the ledger with its names, how many entries match in all and their sum per kind. */
export async function listLedgerPage(
  ctx: AppContext,
  actor: Actor,
  query: z.infer<typeof ledgerListQuerySchema>,
) {
  authorize(actor, 'ledger.read');
  const filter = toLedgerFilter(query);
  const [rows, kinds] = await Promise.all([
    ledgerListPage(ctx.database.db, filter, {
      sort: query.sort,
      direction: query.dir,
      offset: query.offset,
      limit: query.limit,
    }),
    ledgerKindTotals(ctx.database.db, filter),
  ]);
  const total = kinds.reduce((n, k) => n + k.entries, 0);
  return { items: rows.map(camelCased), total, kinds, offset: query.offset, limit: query.limit };
}
