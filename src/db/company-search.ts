/**
 * The company index: companies a page at a time, filtered by a word of their name or city and sorted on the
 * server, each with how many deals it has and their amount (a float never: the sum is numeric, sent as text).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { wordsFirst, wordsMatch } from './deal-search.ts';
import type { Schema } from './schema.ts';
import { settleAll } from './sql-helpers.ts';

export type CompanySort = 'name' | 'deals' | 'amount';

const companyWords = (query: RawBuilder<unknown>) =>
  sql<boolean>`to_tsvector('keel_words', c.name || ' ' || coalesce(c.hq_city, '')) @@ ${query}`;

function matching(db: Kysely<Schema>, text: string | undefined) {
  // Deals per company, joined once: the sort by count or amount reads it like a column.
  let query = db.selectFrom('companies as c').leftJoin(
    (eb) =>
      eb
        .selectFrom('deals')
        .select((d) => ['company_id', d.fn.countAll().as('deals'), d.fn.sum('amount_cents').as('amount')])
        .groupBy('company_id')
        .as('t'),
    (join) => join.onRef('t.company_id', '=', 'c.id'),
  );
  // A word of the name or city, or a name with a word only similar to the typed text (a misspelling).
  const words = wordsMatch(
    text,
    (q, typed) => sql<boolean>`(${companyWords(q)} OR ${typed} <% keel_fold(c.name))`,
  );
  if (words) query = query.where(words);
  return query;
}

function orderBy(sort: CompanySort, direction: 'asc' | 'desc'): RawBuilder<unknown> {
  const dir = direction === 'asc' ? sql`ASC` : sql`DESC`;
  switch (sort) {
    case 'name':
      return sql`c.name_sort ${dir}, c.id`;
    case 'deals':
      return sql`coalesce(t.deals, 0) ${dir}, c.name_sort, c.id`;
    case 'amount':
      return sql`coalesce(t.amount, 0) ${dir}, c.name_sort, c.id`;
  }
}

/** One page of companies and how many match in all. */
export async function companyPage(
  db: Kysely<Schema>,
  text: string | undefined,
  page: { sort: CompanySort; direction: 'asc' | 'desc'; offset: number; limit: number },
) {
  const first = wordsFirst(text, companyWords);
  const [items, count] = await settleAll([
    matching(db, text)
      .$if(first !== null, (q) => q.orderBy(first!))
      .select([
        'c.id',
        'c.name',
        'c.hq_city',
        'c.hq_state_fips',
        'c.ticker',
        'c.us_based',
        'c.existing_client',
        'c.synthetic',
        sql<string>`coalesce(t.deals, 0)::text`.as('deals'),
        sql<string>`coalesce(t.amount, 0)::text`.as('amount_cents'),
      ])
      .orderBy(orderBy(page.sort, page.direction))
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    matching(db, text)
      .select((eb) => eb.cast<string>(eb.fn.countAll(), 'text').as('n'))
      .executeTakeFirst(),
  ]);
  return { items, total: Number(count?.n ?? 0) };
}
