/** Reads of the public record: the summary's part, the reported deals, the statements and their search. */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { KeelError } from '../../domain/errors.ts';
import type { Cents } from '../../domain/money.ts';
import type { PublicSource } from '../../domain/public-record/fields.ts';
import {
  type PublicRecordSummary,
  summarisePublicRecord,
} from '../../domain/public-record/record-summary.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';

/** The public record as of a date (reports on or before it); every figure comes from public reports. */
export async function publicRecordSummary(db: Kysely<Schema>, asOf?: string): Promise<PublicRecordSummary> {
  const rows = await db
    .selectFrom('reported_deals')
    .select(['status', 'precursor', 'reported_amount_cents', 'own_amount_cents', 'deal_id'])
    .$if(asOf !== undefined, (q) => q.where('reported_on', '<=', asOf!))
    .execute();
  return summarisePublicRecord(
    rows.map((r) => ({
      status: r.status,
      precursor: r.precursor,
      reportedAmount: r.reported_amount_cents as Cents | null,
      ownAmount: r.own_amount_cents as Cents | null,
      booked: r.deal_id !== null,
    })),
  );
}

/** Each reported deal with its sources; private side (the list sits beside the booked deal it links to). */
export async function reportedDeals(ctx: AppContext, actor: Actor) {
  authorize(actor, 'deals.read');
  const rows = await ctx.database.db
    .selectFrom('reported_deals')
    .selectAll()
    .orderBy('reported_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reportedOn: r.reported_on,
    company: r.company,
    instrument: r.instrument,
    reportedAmount: r.reported_amount_cents,
    ownAmount: r.own_amount_cents,
    /** Spelled out so no reader takes a blank for zero. */
    ownAmountDisclosed: r.own_amount_cents !== null,
    amountBasis: r.amount_basis,
    roles: r.roles,
    subAreaText: r.sub_area_text,
    subAreaId: r.sub_area_id,
    status: r.status,
    /** Unverified reports are leads: before screening, never in the ledger. */
    stage:
      r.status === 'unverified'
        ? ('lead' as const)
        : r.precursor
          ? ('precursor' as const)
          : ('reported' as const),
    precursor: r.precursor,
    stateFips: r.state_fips,
    countyFips: r.county_fips,
    sources: r.sources as PublicSource[],
    dealId: r.deal_id,
    origin: r.origin,
  }));
}

/** Statements whose title or text matches the words (PostgreSQL full-text search, English stemming). */
export async function searchStatements(ctx: AppContext, actor: Actor, query: { q?: string; limit: number }) {
  authorize(actor, 'programme.aggregates');
  const q = query.q?.trim() ?? '';
  const rows = await sql<{
    path: string;
    issued_on: string;
    title: string;
    source_url: string;
    topics: string[];
    excerpt: string;
  }>`
    SELECT path, issued_on::text AS issued_on, title, source_url, topics,
           ${
             q
               ? sql`ts_headline('english', body, plainto_tsquery('english', ${q}), 'MaxWords=30, MinWords=12, StartSel=«, StopSel=»')`
               : sql`left(body, 240)`
           } AS excerpt
    FROM public_statements
    ${q ? sql`WHERE to_tsvector('english', title || ' ' || body) @@ plainto_tsquery('english', ${q})` : sql``}
    ORDER BY issued_on DESC, path
    LIMIT ${query.limit}`.execute(ctx.database.db);
  return {
    statements: rows.rows.map((r) => ({
      path: r.path,
      issuedOn: r.issued_on,
      title: r.title,
      sourceUrl: r.source_url,
      topics: r.topics,
      excerpt: r.excerpt,
    })),
  };
}

export async function statement(ctx: AppContext, actor: Actor, path: string) {
  authorize(actor, 'programme.aggregates');
  const row = await ctx.database.db
    .selectFrom('public_statements')
    .selectAll()
    .where('path', '=', path)
    .executeTakeFirst();
  if (!row) throw new KeelError('not_found', `no statement "${path}"`);
  const awards = await ctx.database.db
    .selectFrom('peer_awards')
    .select(['id', 'recipient', 'programme'])
    .where('statement_path', '=', path)
    .execute();
  return {
    path: row.path,
    issuedOn: row.issued_on,
    title: row.title,
    sourceUrl: row.source_url,
    topics: row.topics,
    /** Markdown as published; the web app shows it as text, never as HTML. */
    body: row.body,
    awards,
  };
}
