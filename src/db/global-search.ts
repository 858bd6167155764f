/**
 * Global search: the best matches of each kind asked for. Full-text matches on words (prefixes too) are
 * ranked with trigram word similarity, and names with a word that is only similar (a misspelling:
 * `smeltr`) are found too. Bodies of notes match on their words only: trigram similarity over a long text
 * says little. `limit` is per kind. Which kinds a principal may search is the use case's decision.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { SEARCH_KINDS, type SearchHit, type SearchKind, type SubjectKind } from '../domain/search.ts';
import { DEAL_VECTOR, foldedTyped, prefixQuery } from './deal-search.ts';
import type { Schema } from './schema.ts';
import { settleAll } from './sql-helpers.ts';

interface Terms {
  /** The words as a prefix tsquery. */
  tsq: RawBuilder<unknown>;
  /** The text as typed, folded as names are (lower case, no accents), for trigram similarity. */
  plain: RawBuilder<string>;
  limit: number;
}

type Row = Omit<SearchHit, 'about' | 'score'> & {
  about_kind: string | null;
  about_id: string | null;
  score: number | string;
};

/** Name of what a note or document is about: the deal's (or its company's), the company's, the meeting's date. */
const SUBJECT_NAME = sql<string>`CASE x.subject_kind
  WHEN 'deal' THEN (SELECT coalesce(d.name, c.name) FROM deals d JOIN companies c ON c.id = d.company_id WHERE d.id = x.subject_id)
  WHEN 'company' THEN (SELECT c.name FROM companies c WHERE c.id = x.subject_id)
  ELSE 'Committee meeting of ' || x.subject_id END`;

const QUERIES: Record<SearchKind, (t: Terms) => RawBuilder<Row>> = {
  // Each condition finds its deals through its own index (an OR of the two made PostgreSQL read every deal),
  // and the rank is the name's word similarity alone: ts_rank would rebuild each match's vector (bench:web).
  deal: ({ tsq, plain, limit }) => sql<Row>`
    SELECT 'deal' AS kind, d.id, coalesce(d.name, c.name) AS title,
           c.name || ' · ' || s.name || ' · ' || d.stage AS subtitle, NULL AS about_kind, NULL AS about_id,
           word_similarity(${plain}, keel_fold(coalesce(d.name, ''))) AS score
    FROM deals d JOIN companies c ON c.id = d.company_id JOIN sub_areas s ON s.id = d.sub_area_id
    WHERE d.id IN (SELECT d.id FROM deals d WHERE ${DEAL_VECTOR} @@ ${tsq}
                   UNION SELECT d.id FROM deals d WHERE ${plain} <% keel_fold(coalesce(d.name, '')))
    ORDER BY score DESC, d.amount_cents DESC, d.id LIMIT ${limit}`,
  company: ({ tsq, plain, limit }) => sql<Row>`
    SELECT 'company' AS kind, c.id, c.name AS title,
           coalesce(c.hq_city, '') || CASE WHEN c.ticker IS NULL THEN '' ELSE ' · ' || c.ticker END AS subtitle,
           NULL AS about_kind, NULL AS about_id,
           greatest(word_similarity(${plain}, keel_fold(c.name)), ts_rank(to_tsvector('keel_words', c.name), ${tsq})) AS score
    FROM companies c
    WHERE to_tsvector('keel_words', c.name) @@ ${tsq} OR ${plain} <% keel_fold(c.name)
    ORDER BY score DESC, c.id LIMIT ${limit}`,
  organisation: ({ tsq, plain, limit }) => sql<Row>`
    SELECT 'organisation' AS kind, o.id, o.name AS title, replace(o.kind, '_', ' ') || ' · ' || o.country AS subtitle,
           NULL AS about_kind, NULL AS about_id,
           greatest(word_similarity(${plain}, keel_fold(o.name)), ts_rank(to_tsvector('keel_words', o.name), ${tsq})) AS score
    FROM organisations o
    WHERE to_tsvector('keel_words', o.name) @@ ${tsq} OR ${plain} <% keel_fold(o.name)
    ORDER BY score DESC, o.id LIMIT ${limit}`,
  // A note is shown by the words around the match; rank counts for less than a name's (a name is what
  // people mostly look for).
  note: ({ tsq, limit }) => sql<Row>`
    SELECT 'note' AS kind, x.id::text AS id, 'Note on ' || ${SUBJECT_NAME} AS title,
           ts_headline('keel_words', x.body_md, ${tsq}, 'MaxWords=16, MinWords=6, StartSel="", StopSel=""') AS subtitle,
           x.subject_kind AS about_kind, x.subject_id AS about_id,
           0.8 * ts_rank(to_tsvector('keel_words', x.body_md), ${tsq}) AS score
    FROM pipeline_notes x
    WHERE to_tsvector('keel_words', x.body_md) @@ ${tsq}
    ORDER BY score DESC, x.id DESC LIMIT ${limit}`,
  // The newest version of each document; its title is searched like a name.
  document: ({ tsq, plain, limit }) => sql<Row>`
    SELECT 'document' AS kind, x.id::text AS id, x.title, ${SUBJECT_NAME} || ' · ' || x.filename AS subtitle,
           x.subject_kind AS about_kind, x.subject_id AS about_id,
           greatest(word_similarity(${plain}, keel_fold(x.title)), ts_rank(to_tsvector('keel_words', x.title), ${tsq})) AS score
    FROM (SELECT DISTINCT ON (subject_kind, subject_id, title) * FROM documents
          ORDER BY subject_kind, subject_id, title, version DESC) x
    WHERE to_tsvector('keel_words', x.title) @@ ${tsq} OR ${plain} <% keel_fold(x.title)
    ORDER BY score DESC, x.id DESC LIMIT ${limit}`,
  // Nodes of the newest graph version: materials, components, systems.
  research: ({ tsq, plain, limit }) => sql<Row>`
    SELECT 'research' AS kind, n->>'id' AS id, n->>'name' AS title, replace(n->>'kind', '_', ' ') AS subtitle,
           'node' AS about_kind, n->>'id' AS about_id,
           greatest(word_similarity(${plain}, keel_fold(n->>'name')), ts_rank(to_tsvector('keel_words', n->>'name'), ${tsq})) AS score
    FROM (SELECT graph FROM research_graph_versions ORDER BY version DESC LIMIT 1) g,
         jsonb_array_elements(g.graph->'nodes') n
    WHERE to_tsvector('keel_words', n->>'name') @@ ${tsq} OR ${plain} <% keel_fold(n->>'name')
    ORDER BY score DESC, n->>'id' LIMIT ${limit}`,
};

export async function searchRecords(
  db: Kysely<Schema>,
  text: string,
  kinds: ReadonlySet<SearchKind>,
  limit: number,
): Promise<SearchHit[]> {
  const words = prefixQuery(text);
  if (!words) return [];
  const terms: Terms = { tsq: sql`to_tsquery('keel_words', ${words})`, plain: foldedTyped(text), limit };
  const results = await settleAll(
    SEARCH_KINDS.filter((k) => kinds.has(k)).map((k) => QUERIES[k](terms).execute(db)),
  );
  return results
    .flatMap((r) => r.rows)
    .map(({ about_kind, about_id, score, ...hit }) => ({
      ...hit,
      about: about_kind && about_id ? { kind: about_kind as SubjectKind, id: about_id } : null,
      score: Number(score),
    }))
    .sort((a, b) => b.score - a.score);
}
