/**
 * The public record: reported deals, peer awards and the statements they cite, read and written together
 * (a peer award links to the statement that announced it, a reported deal to the deal Keel books).
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from './schema.ts';

/** The figures of the reported deals reported on or before `asOf` (all of them without it). */
export function reportedDealFigures(db: Kysely<Schema>, asOf?: string) {
  const query = db
    .selectFrom('reported_deals')
    .select(['status', 'precursor', 'reported_amount_cents', 'own_amount_cents', 'deal_id']);
  return (asOf === undefined ? query : query.where('reported_on', '<=', asOf)).execute();
}

/** Every reported deal, oldest report first. */
export const reportedDealRows = (db: Kysely<Schema>) =>
  db.selectFrom('reported_deals').selectAll().orderBy('reported_on').orderBy('id').execute();

/**
 * Statements, newest first, whose title or text matches the words of `text` (full-text search with English
 * stemming), each with an excerpt: the matching passage marked «so», or the opening without words.
 */
export function statementsMatching(db: Kysely<Schema>, text: string, limit: number) {
  const words = sql`plainto_tsquery('english', ${text})`;
  const excerpt = text
    ? sql<string>`ts_headline('english', body, ${words}, 'MaxWords=30, MinWords=12, StartSel=«, StopSel=»')`
    : sql<string>`left(body, 240)`;
  return db
    .selectFrom('public_statements')
    .select((eb) => [
      'path',
      eb.cast<string>('issued_on', 'text').as('issued_on'),
      'title',
      'source_url',
      'topics',
      excerpt.as('excerpt'),
    ])
    .$if(text !== '', (q) => q.where(sql<boolean>`to_tsvector('english', title || ' ' || body) @@ ${words}`))
    .orderBy('issued_on', 'desc')
    .orderBy('path')
    .limit(limit)
    .execute();
}

/** One statement; undefined if none. */
export const statementRow = (db: Kysely<Schema>, path: string) =>
  db.selectFrom('public_statements').selectAll().where('path', '=', path).executeTakeFirst();

/** The peer awards a statement announced. */
export const awardsOfStatement = (db: Kysely<Schema>, path: string) =>
  db
    .selectFrom('peer_awards')
    .select(['id', 'recipient', 'programme'])
    .where('statement_path', '=', path)
    .execute();

/** Every peer award with the title of the statement that announced it, by start date. */
export const peerAwardRows = (db: Kysely<Schema>) =>
  db
    .selectFrom('peer_awards')
    .leftJoin('public_statements', 'public_statements.path', 'peer_awards.statement_path')
    .selectAll('peer_awards')
    .select(['public_statements.title as statement_title'])
    .orderBy('peer_awards.date_start')
    .orderBy('peer_awards.id')
    .execute();
