/**
 * Finding deals, companies and organisations at scale: a page of deals filtered and sorted on the server, the
 * pipeline's totals per stage, and global search (full-text search on names, trigram similarity for near
 * misses). The indexes are in migration 0022. Who may see what is decided by the caller (app/), not here.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Instrument } from '../domain/instruments.ts';
import { STAGES, type Stage } from '../domain/stages.ts';
import type { Schema } from './schema.ts';
import { anyOf, settleAll } from './sql-helpers.ts';

export interface DealFilter {
  stages?: readonly Stage[] | undefined;
  areaId?: string | undefined;
  subAreaId?: string | undefined;
  instruments?: readonly Instrument[] | undefined;
  /** A member of the deal team. */
  banker?: string | undefined;
  /** Words of the deal's name, its id or its company's name. */
  text?: string | undefined;
}

export type DealSort = 'amount' | 'name' | 'stage' | 'updated';

/**
 * Words to a prefix tsquery: `antimony smel` → `antimony:* & smel:*`. Only letters and digits pass, so the
 * text cannot carry tsquery syntax; null when nothing searchable is left.
 */
export function prefixQuery(text: string | undefined): string | null {
  const words =
    (text ?? '')
      // Composed, so that a letter typed with a combining accent stays one word (the accent is folded in SQL).
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, 8) ?? [];
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

/*
 * Names are matched with accents folded (migration 0041): words through the 'keel_words' configuration ('simple'
 * after unaccent) and trigrams on keel_fold(…), so that "societe" finds "Société" and "Société" finds
 * "Societe". Each expression is written as its index is (0041), or the index would not serve it.
 */
export const DEAL_VECTOR = sql`to_tsvector('keel_words', coalesce(d.name, '') || ' ' || replace(d.id, '-', ' '))`;

/**
 * A list's word filter as a condition: null when no words were typed (no filter), false when the text holds
 * nothing searchable (`%`, `(((`, an emoji: nothing matches, rather than everything).
 */
export function wordsMatch(
  text: string | undefined,
  match: (query: RawBuilder<unknown>, typed: RawBuilder<string>) => RawBuilder<boolean>,
): RawBuilder<boolean> | null {
  if (!text?.trim()) return null;
  const words = prefixQuery(text);
  return words ? match(asTsQuery(words), foldedTyped(text)) : sql<boolean>`false`;
}

const asTsQuery = (prefixes: string) => sql`to_tsquery('keel_words', ${prefixes})`;

/** Words of a deal's name or id, or of its company's name (deals d joined to companies c). */
export const dealOrCompanyWords = (query: RawBuilder<unknown>) =>
  sql<boolean>`(${DEAL_VECTOR} @@ ${query} OR to_tsvector('keel_words', c.name) @@ ${query})`;

/**
 * The same, or a name with a word only similar to the typed text (a misspelling: `perpetau`), by pg_trgm's
 * word similarity as global search finds names; the trigram indexes of migration 0022 serve it. Lists of
 * deals, companies and organisations use it; the ledger list keeps to words (a million rows, joined).
 */
export const dealOrCompanyWordsOrLike = (query: RawBuilder<unknown>, typed: RawBuilder<string>) =>
  sql<boolean>`(${dealOrCompanyWords(query)} OR ${typed} <% keel_fold(coalesce(d.name, '')) OR ${typed} <% keel_fold(c.name))`;

/** A name's words. */
export const nameWords = (name: RawBuilder<string>) => (query: RawBuilder<unknown>) =>
  sql<boolean>`to_tsvector('keel_words', ${name}) @@ ${query}`;

/** A name's words, or a word only similar to the typed text (see dealOrCompanyWordsOrLike). */
export const nameWordsOrLike =
  (name: RawBuilder<string>) => (query: RawBuilder<unknown>, typed: RawBuilder<string>) =>
    sql<boolean>`(${nameWords(name)(query)} OR ${typed} <% keel_fold(${name}))`;

/**
 * The first ORDER BY term of a list filtered by words-or-similar: rows holding every typed word come before
 * rows only a few trigrams away, whatever the chosen sort. Typed in full, "Synthetic deal 1271" matched all
 * 2,000 "Synthetic deal …" names by similarity, and sorted by name the deal itself was pages down (found by
 * the fresh-eyes attack). Null when no text was typed.
 */
export function wordsFirst(
  text: string | undefined,
  words: (query: RawBuilder<unknown>) => RawBuilder<boolean>,
): RawBuilder<unknown> | null {
  // Text with nothing searchable filters every row out already (and a constant cannot be an ORDER BY term).
  const query = text?.trim() ? prefixQuery(text) : null;
  return query ? sql`${words(asTsQuery(query))} DESC` : null;
}

/** The text as typed, trimmed and folded as names are (lower case, no accents), for trigram similarity. */
export const foldedTyped = (text: string) => sql<string>`keel_fold(${text.trim()})`;

/** Deals (d) with their company (c) and sub-area (s), narrowed by `filter`. */
function matching(db: Kysely<Schema>, filter: DealFilter) {
  let query = db
    .selectFrom('deals as d')
    .innerJoin('companies as c', 'c.id', 'd.company_id')
    .innerJoin('sub_areas as s', 's.id', 'd.sub_area_id');
  if (filter.stages?.length) query = query.where('d.stage', '=', anyOf(filter.stages));
  if (filter.areaId) query = query.where('s.area_id', '=', filter.areaId);
  if (filter.subAreaId) query = query.where('d.sub_area_id', '=', filter.subAreaId);
  // An empty list matches nothing (an instrument outside the chosen desk's pipeline).
  if (filter.instruments) query = query.where('d.instrument', '=', anyOf(filter.instruments));
  // Kysely has no builder for jsonb's `?` (a team member) nor for full-text matches: typed SQL conditions.
  if (filter.banker) query = query.where(sql<boolean>`d.team ? ${filter.banker}`);
  const words = wordsMatch(filter.text, dealOrCompanyWordsOrLike);
  if (words) query = query.where(words);
  return query;
}

/** When a deal last changed: its last stage move, or its creation. */
const UPDATED = sql<string>`coalesce((SELECT max(m.moved_at) FROM deal_stage_moves m WHERE m.deal_id = d.id), d.created_at)`;

function orderBy(sort: DealSort, direction: 'asc' | 'desc'): RawBuilder<unknown> {
  const dir = direction === 'asc' ? sql`ASC` : sql`DESC`;
  switch (sort) {
    case 'amount':
      return sql`d.amount_cents ${dir}, d.id`;
    case 'name':
      return sql`lower(coalesce(d.name, c.name)) ${dir}, d.id`;
    case 'stage':
      // Funnel order, not the alphabet.
      return sql`array_position(${[...STAGES]}::text[], d.stage) ${dir}, d.amount_cents DESC, d.id`;
    case 'updated':
      return sql`updated_at ${dir}, d.id`;
  }
}

/** One page of deals and how many match in all. */
export async function dealPage(
  db: Kysely<Schema>,
  filter: DealFilter,
  page: { sort: DealSort; direction: 'asc' | 'desc'; offset: number; limit: number },
) {
  const first = wordsFirst(filter.text, dealOrCompanyWords);
  const [items, count] = await settleAll([
    matching(db, filter)
      .$if(first !== null, (q) => q.orderBy(first!))
      .select((eb) => [
        'd.id',
        'd.name',
        'd.company_id',
        'c.name as company',
        'd.sub_area_id',
        's.name as sub_area',
        's.area_id',
        'd.instrument',
        eb.cast<string>('d.amount_cents', 'text').as('amount_cents'),
        'd.stage',
        'd.team',
        'd.synthetic',
        eb.cast<string>('d.opened_on', 'text').as('opened_on'),
        UPDATED.as('updated_at'),
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

/** A row of the deals list as `dealPage` reads it. */
export type DealListRow = Awaited<ReturnType<typeof dealPage>>['items'][number];

/** Deals and their amount per stage, for the board's column headers (every stage, zero when empty). */
export async function stageTotals(
  db: Kysely<Schema>,
  filter: DealFilter,
): Promise<Array<{ stage: Stage; deals: number; amountCents: string }>> {
  const rows = await matching(db, filter)
    .select((eb) => [
      'd.stage',
      eb.cast<string>(eb.fn.countAll(), 'text').as('deals'),
      eb.cast<string>(eb.fn.sum('d.amount_cents'), 'text').as('amount'),
    ])
    .groupBy('d.stage')
    .execute();
  const byStage = new Map(rows.map((r) => [r.stage, r]));
  return STAGES.map((stage) => ({
    stage,
    deals: Number(byStage.get(stage)?.deals ?? 0),
    amountCents: byStage.get(stage)?.amount ?? '0',
  }));
}
