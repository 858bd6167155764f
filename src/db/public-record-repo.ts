/**
 * The public record: reported deals, peer awards and the statements they cite, read and written together
 * (a peer award links to the statement that announced it, a reported deal to the deal Keel books).
 */
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { Cents } from '../domain/money.ts';
import type { PeerAwardsTable, PublicStatementsTable, ReportedDealsTable, Schema } from './schema.ts';

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

/**
 * The deal Keel books that a verified report names: the company's name starts with the reported company's
 * and the bank's own amount is the deal's amount. The first by id; undefined if none.
 */
export const bookedDealReported = (db: Kysely<Schema>, company: string, ownAmount: Cents) =>
  db
    .selectFrom('deals')
    .innerJoin('companies', 'companies.id', 'deals.company_id')
    .select('deals.id')
    .where('deals.amount_cents', '=', ownAmount)
    .where((eb) =>
      eb(eb.fn('lower', ['companies.name']), 'like', `${company.toLowerCase().replace(/[%_\\]/g, '')}%`),
    )
    .orderBy('deals.id')
    .executeTakeFirst();

/** Adds a reported deal, or replaces the one with its id (a re-import of the same report). */
export async function upsertReportedDeal(
  tx: Transaction<Schema>,
  id: string,
  values: Omit<Insertable<ReportedDealsTable>, 'id'>,
): Promise<void> {
  await tx
    .insertInto('reported_deals')
    .values({ id, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

/** Adds a peer award unless one with its id is stored; true when it was added. */
export async function insertPeerAward(tx: Transaction<Schema>, award: Insertable<PeerAwardsTable>) {
  const inserted = await tx
    .insertInto('peer_awards')
    .values(award)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Each statement's path and source address (to link the awards that cite it). */
export const statementSources = (db: Kysely<Schema>) =>
  db.selectFrom('public_statements').select(['path', 'source_url']).execute();

/** Adds a statement, or replaces the one at its path. */
export async function upsertStatement(
  tx: Transaction<Schema>,
  path: string,
  values: Omit<Insertable<PublicStatementsTable>, 'path'>,
): Promise<void> {
  await tx
    .insertInto('public_statements')
    .values({ path, ...values })
    .onConflict((oc) => oc.column('path').doUpdateSet(values))
    .execute();
}
