/**
 * Finding deals, companies and organisations at scale: a page of deals filtered and sorted on the server, the
 * pipeline's totals per stage, and global search (full-text search on names, trigram similarity for near
 * misses). The indexes are in migration 0022. Who may see what is decided by the caller (app/), not here.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { STAGES } from '../domain/stages.ts';
import type { Schema } from './schema.ts';

export interface DealFilter {
  stages?: readonly string[] | undefined;
  areaId?: string | undefined;
  subAreaId?: string | undefined;
  instruments?: readonly string[] | undefined;
  /** A member of the deal team. */
  banker?: string | undefined;
  /** Words of the deal's name, its id or its company's name. */
  text?: string | undefined;
}

export type DealSort = 'amount' | 'name' | 'stage' | 'updated';

export interface DealListRow {
  id: string;
  name: string | null;
  company_id: string;
  company: string;
  sub_area_id: string;
  sub_area: string;
  area_id: string;
  instrument: string;
  amount_cents: string;
  stage: string;
  team: string[];
  synthetic: boolean;
  opened_on: string;
  updated_at: string;
}

/**
 * Words to a prefix tsquery: `antimony smel` → `antimony:* & smel:*`. Only letters and digits pass, so the
 * text cannot carry tsquery syntax; null when nothing searchable is left.
 */
export function prefixQuery(text: string | undefined): string | null {
  const words =
    (text ?? '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, 8) ?? [];
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

const DEAL_VECTOR = sql`to_tsvector('simple', coalesce(d.name, '') || ' ' || replace(d.id, '-', ' '))`;

function where(filter: DealFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (filter.stages?.length) parts.push(sql`d.stage = ANY(${[...filter.stages]}::text[])`);
  if (filter.areaId) parts.push(sql`s.area_id = ${filter.areaId}`);
  if (filter.subAreaId) parts.push(sql`d.sub_area_id = ${filter.subAreaId}`);
  // An empty list matches nothing (an instrument outside the chosen desk's pipeline).
  if (filter.instruments) parts.push(sql`d.instrument = ANY(${[...filter.instruments]}::text[])`);
  if (filter.banker) parts.push(sql`d.team ? ${filter.banker}`);
  const query = prefixQuery(filter.text);
  if (query)
    parts.push(
      sql`(${DEAL_VECTOR} @@ to_tsquery('simple', ${query}) OR to_tsvector('simple', c.name) @@ to_tsquery('simple', ${query}))`,
    );
  return sql.join(parts, sql` AND `);
}

const FROM = sql`deals d JOIN companies c ON c.id = d.company_id JOIN sub_areas s ON s.id = d.sub_area_id`;
const UPDATED = sql`coalesce((SELECT max(m.moved_at) FROM deal_stage_moves m WHERE m.deal_id = d.id), d.created_at)`;

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
): Promise<{ items: DealListRow[]; total: number }> {
  const condition = where(filter);
  const [rows, count] = await Promise.all([
    sql<DealListRow>`
      SELECT d.id, d.name, d.company_id, c.name AS company, d.sub_area_id, s.name AS sub_area, s.area_id,
             d.instrument, d.amount_cents::text AS amount_cents, d.stage, d.team, d.synthetic,
             d.opened_on::text AS opened_on, ${UPDATED} AS updated_at
      FROM ${FROM}
      WHERE ${condition}
      ORDER BY ${orderBy(page.sort, page.direction)}
      LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db),
    sql<{ n: string }>`SELECT count(*)::text AS n FROM ${FROM} WHERE ${condition}`.execute(db),
  ]);
  return { items: rows.rows, total: Number(count.rows[0]?.n ?? 0) };
}

/** Deals and their amount per stage, for the board's column headers (every stage, zero when empty). */
export async function stageTotals(
  db: Kysely<Schema>,
  filter: DealFilter,
): Promise<Array<{ stage: string; deals: number; amountCents: string }>> {
  const { rows } = await sql<{ stage: string; deals: string; amount: string }>`
    SELECT d.stage, count(*)::text AS deals, sum(d.amount_cents)::text AS amount
    FROM ${FROM} WHERE ${where(filter)} GROUP BY d.stage`.execute(db);
  const byStage = new Map(rows.map((r) => [r.stage, r]));
  return STAGES.map((stage) => ({
    stage,
    deals: Number(byStage.get(stage)?.deals ?? 0),
    amountCents: byStage.get(stage)?.amount ?? '0',
  }));
}

export interface SearchHit {
  kind: 'deal' | 'company' | 'organisation';
  id: string;
  title: string;
  subtitle: string;
  score: number;
}

/**
 * The best matches of each kind asked for: full-text matches on words (prefixes too) ranked with trigram
 * word similarity, plus names with a word that is only similar (a misspelling: `smeltr`). `limit` per kind.
 */
export async function searchNames(
  db: Kysely<Schema>,
  text: string,
  kinds: ReadonlySet<SearchHit['kind']>,
  limit: number,
): Promise<SearchHit[]> {
  const query = prefixQuery(text);
  if (!query) return [];
  const plain = text.trim().toLowerCase();
  const tsq = sql`to_tsquery('simple', ${query})`;
  const searches: Promise<{ rows: SearchHit[] }>[] = [];
  if (kinds.has('deal'))
    searches.push(
      sql<SearchHit>`
        SELECT 'deal' AS kind, d.id, coalesce(d.name, c.name) AS title,
               c.name || ' · ' || s.name || ' · ' || d.stage AS subtitle,
               greatest(word_similarity(${plain}, coalesce(d.name, '')), ts_rank(${DEAL_VECTOR}, ${tsq})) AS score
        FROM ${FROM}
        WHERE ${DEAL_VECTOR} @@ ${tsq} OR ${plain} <% coalesce(d.name, '')
        ORDER BY score DESC, d.amount_cents DESC, d.id LIMIT ${limit}`.execute(db),
    );
  if (kinds.has('company'))
    searches.push(
      sql<SearchHit>`
        SELECT 'company' AS kind, c.id, c.name AS title,
               coalesce(c.hq_city, '') || CASE WHEN c.ticker IS NULL THEN '' ELSE ' · ' || c.ticker END AS subtitle,
               greatest(word_similarity(${plain}, c.name), ts_rank(to_tsvector('simple', c.name), ${tsq})) AS score
        FROM companies c
        WHERE to_tsvector('simple', c.name) @@ ${tsq} OR ${plain} <% c.name
        ORDER BY score DESC, c.id LIMIT ${limit}`.execute(db),
    );
  if (kinds.has('organisation'))
    searches.push(
      sql<SearchHit>`
        SELECT 'organisation' AS kind, o.id, o.name AS title, replace(o.kind, '_', ' ') || ' · ' || o.country AS subtitle,
               greatest(word_similarity(${plain}, o.name), ts_rank(to_tsvector('simple', o.name), ${tsq})) AS score
        FROM organisations o
        WHERE to_tsvector('simple', o.name) @@ ${tsq} OR ${plain} <% o.name
        ORDER BY score DESC, o.id LIMIT ${limit}`.execute(db),
    );
  const results = await Promise.all(searches);
  return results
    .flatMap((r) => r.rows)
    .map((r) => ({ ...r, score: Number(r.score) }))
    .sort((a, b) => b.score - a.score);
}
