/**
 * The organisation index of the client network: organisations a page at a time, filtered by a word of their
 * name, their kind or country, and sorted on the server, each with the deals it stands in and what it has
 * committed to them (numeric sums, sent as text).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { OrganisationKind } from '../domain/network.ts';
import { nameWords, nameWordsOrLike, wordsFirst, wordsMatch } from './deal-search.ts';
import type { Schema } from './schema.ts';
import { settleAll } from './sql-helpers.ts';

export type OrganisationSort = 'name' | 'kind' | 'country' | 'deals' | 'committed';

export interface OrganisationFilter {
  text?: string;
  kinds?: readonly OrganisationKind[];
  country?: string;
}

function matching(db: Kysely<Schema>, filter: OrganisationFilter) {
  // Participations per organisation, joined once: the sort by deals or committed amount reads it like a column.
  let query = db.selectFrom('organisations as o').leftJoin(
    (eb) =>
      eb
        .selectFrom('deal_participations')
        .select([
          'organisation_id',
          sql<string>`count(DISTINCT deal_id)`.as('deals'),
          sql<string>`sum(amount_cents) FILTER (WHERE status = 'committed')`.as('committed'),
        ])
        .groupBy('organisation_id')
        .as('p'),
    (join) => join.onRef('p.organisation_id', '=', 'o.id'),
  );
  const words = wordsMatch(filter.text, nameWordsOrLike(sql<string>`o.name`));
  if (words) query = query.where(words);
  if (filter.kinds?.length) query = query.where('o.kind', 'in', [...filter.kinds]);
  if (filter.country) query = query.where('o.country', '=', filter.country);
  return query;
}

function orderBy(sort: OrganisationSort, direction: 'asc' | 'desc'): RawBuilder<unknown> {
  const dir = direction === 'asc' ? sql`ASC` : sql`DESC`;
  switch (sort) {
    case 'name':
      return sql`lower(o.name) ${dir}, o.id`;
    case 'kind':
      return sql`o.kind ${dir}, lower(o.name), o.id`;
    case 'country':
      return sql`o.country ${dir}, lower(o.name), o.id`;
    case 'deals':
      return sql`coalesce(p.deals, 0) ${dir}, lower(o.name), o.id`;
    case 'committed':
      return sql`coalesce(p.committed, 0) ${dir}, lower(o.name), o.id`;
  }
}

/** One page of organisations and how many match in all. */
export async function organisationPage(
  db: Kysely<Schema>,
  filter: OrganisationFilter,
  page: { sort: OrganisationSort; direction: 'asc' | 'desc'; offset: number; limit: number },
) {
  const first = wordsFirst(filter.text, nameWords(sql<string>`o.name`));
  const [items, count] = await settleAll([
    matching(db, filter)
      .$if(first !== null, (q) => q.orderBy(first!))
      .select([
        'o.id',
        'o.name',
        'o.kind',
        'o.country',
        'o.company_id',
        sql<string>`coalesce(p.deals, 0)::text`.as('deals'),
        sql<string>`coalesce(p.committed, 0)::text`.as('committed_cents'),
      ])
      .orderBy(orderBy(page.sort, page.direction))
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    matching(db, filter)
      .select((eb) => eb.cast<string>(eb.fn.countAll(), 'text').as('n'))
      .executeTakeFirst(),
  ]);
  return { items, total: Number(count?.n ?? 0) };
}
