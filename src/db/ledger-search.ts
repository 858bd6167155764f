/**
 * The ledger list: ledger entries a page at a time with their deal's and company's names, filtered and
 * sorted on the server, and the filtered set's count and exact sum per kind (numeric in SQL, text out; a
 * float never). Filters on the deal (its company, sub-area, words of its or its company's name) narrow the
 * entries to a set of deal ids, so the count and sums read the ledger alone and join nothing. The default
 * order (newest effective date first) reads the index of migration 0031 backwards and stops at the page.
 * Who may see what is decided by the caller (app/), not here.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { ENTRY_KINDS, type EntryKind } from '../domain/ledger.ts';
import { dealOrCompanyWords, wordsMatch } from './deal-search.ts';
import type { Schema } from './schema.ts';
import { anyOf } from './sql-helpers.ts';

export interface LedgerListFilter {
  kinds?: readonly EntryKind[] | undefined;
  dealId?: string | undefined;
  companyId?: string | undefined;
  subAreaId?: string | undefined;
  /** Effective dates, both ends included (ISO dates). */
  from?: string | undefined;
  to?: string | undefined;
  /** Words of the deal's name or its company's name. */
  text?: string | undefined;
}

export type LedgerSort = 'date' | 'amount' | 'seq' | 'deal' | 'company' | 'kind' | 'recordedBy';

/** Ledger entries (e) narrowed by `filter`; no join. */
function matching(db: Kysely<Schema>, filter: LedgerListFilter) {
  let query = db.selectFrom('ledger_entries as e');
  if (filter.kinds?.length) query = query.where('e.kind', '=', anyOf(filter.kinds));
  if (filter.dealId) query = query.where('e.deal_id', '=', filter.dealId);
  if (filter.from) query = query.where('e.effective_on', '>=', filter.from);
  if (filter.to) query = query.where('e.effective_on', '<=', filter.to);
  const words = wordsMatch(filter.text, dealOrCompanyWords);
  if (filter.companyId || filter.subAreaId || words) {
    // The deals the entries may be of: a semi-join, so the count and sums still read the ledger alone.
    let deals = db
      .selectFrom('deals as d')
      .innerJoin('companies as c', 'c.id', 'd.company_id')
      .select('d.id');
    if (filter.companyId) deals = deals.where('d.company_id', '=', filter.companyId);
    if (filter.subAreaId) deals = deals.where('d.sub_area_id', '=', filter.subAreaId);
    if (words) deals = deals.where(words);
    query = query.where('e.deal_id', 'in', deals);
  }
  return query;
}

function orderBy(sort: LedgerSort, direction: 'asc' | 'desc'): RawBuilder<unknown> {
  const dir = direction === 'asc' ? sql`ASC` : sql`DESC`;
  // Ties go newest first, and the recorded order makes the order total (a stable page boundary).
  const newest = sql`e.effective_on DESC, e.seq DESC`;
  switch (sort) {
    case 'date':
      // Both columns the same way: the (effective_on, seq) index reads in either direction.
      return sql`e.effective_on ${dir}, e.seq ${dir}`;
    case 'amount':
      return sql`e.amount_cents ${dir}, e.seq ${dir}`;
    case 'seq':
      return sql`e.seq ${dir}`;
    case 'deal':
      return sql`lower(coalesce(d.name, c.name)) ${dir}, d.id ${dir}, ${newest}`;
    case 'company':
      return sql`c.name_sort ${dir}, c.id ${dir}, ${newest}`;
    case 'kind':
      return sql`e.kind ${dir}, ${newest}`;
    case 'recordedBy':
      return sql`lower(coalesce(u.name, e.recorded_by)) ${dir}, ${newest}`;
  }
}

/** One page of ledger entries with their deal, company and recorder's names. */
export function ledgerListPage(
  db: Kysely<Schema>,
  filter: LedgerListFilter,
  page: { sort: LedgerSort; direction: 'asc' | 'desc'; offset: number; limit: number },
) {
  return matching(db, filter)
    .innerJoin('deals as d', 'd.id', 'e.deal_id')
    .innerJoin('companies as c', 'c.id', 'd.company_id')
    .leftJoin('users as u', 'u.id', 'e.recorded_by')
    .select((eb) => [
      eb.cast<string>('e.seq', 'text').as('seq'),
      'e.deal_id',
      'd.name as deal_name',
      'd.company_id',
      'c.name as company',
      'd.sub_area_id',
      'e.kind',
      eb.cast<string>('e.amount_cents', 'text').as('amount_cents'),
      eb.cast<string>('e.effective_on', 'text').as('effective_on'),
      'e.note',
      'e.recorded_at',
      'e.recorded_by',
      sql<string>`coalesce(u.name, e.recorded_by)`.as('recorded_by_name'),
    ])
    .orderBy(orderBy(page.sort, page.direction))
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** The filtered set's entries and exact amount per kind: every kind, in the ledger's order, zero when none. */
export async function ledgerKindTotals(
  db: Kysely<Schema>,
  filter: LedgerListFilter,
): Promise<Array<{ kind: EntryKind; entries: number; amountCents: string }>> {
  const rows = await matching(db, filter)
    .select((eb) => [
      'e.kind',
      eb.cast<string>(eb.fn.countAll(), 'text').as('entries'),
      eb.cast<string>(eb.fn.sum('e.amount_cents'), 'text').as('amount'),
    ])
    .groupBy('e.kind')
    .execute();
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  return ENTRY_KINDS.map((kind) => ({
    kind,
    entries: Number(byKind.get(kind)?.entries ?? 0),
    amountCents: byKind.get(kind)?.amount ?? '0',
  }));
}

/** Every entry of the filtered set, in recorded order (an export; no filter: the whole ledger). */
export const ledgerListAll = (db: Kysely<Schema>, filter: LedgerListFilter) =>
  matching(db, filter)
    .innerJoin('deals as d', 'd.id', 'e.deal_id')
    .innerJoin('companies as c', 'c.id', 'd.company_id')
    .leftJoin('users as u', 'u.id', 'e.recorded_by')
    .selectAll('e')
    .select(['d.name as deal_name', 'c.name as company', 'u.name as recorded_by_name'])
    .orderBy('e.seq')
    .execute();
