/** Reads of the public record: the summary's part, the reported deals, the statements and their search. */
import type { Kysely } from 'kysely';
import {
  awardsOfStatement,
  reportedDealFigures,
  reportedDealRows,
  statementRow,
  statementsMatching,
} from '../../db/public-record-repo.ts';
import type { Schema } from '../../db/schema.ts';
import { KeelError } from '../../domain/errors.ts';
import type { PublicSource } from '../../domain/public-record/fields.ts';
import {
  type PublicRecordSummary,
  summarisePublicRecord,
} from '../../domain/public-record/record-summary.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';

/** The public record as of a date (reports on or before it); every figure comes from public reports. */
export async function publicRecordSummary(db: Kysely<Schema>, asOf?: string): Promise<PublicRecordSummary> {
  const rows = await reportedDealFigures(db, asOf);
  return summarisePublicRecord(
    rows.map((r) => ({
      status: r.status,
      precursor: r.precursor,
      reportedAmount: r.reported_amount_cents,
      ownAmount: r.own_amount_cents,
      booked: r.deal_id !== null,
    })),
  );
}

/** Each reported deal with its sources; private side (the list sits beside the booked deal it links to). */
export async function reportedDeals(ctx: AppContext, actor: Actor) {
  authorize(actor, 'deals.read');
  const rows = await reportedDealRows(ctx.database.db);
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
  const rows = await statementsMatching(ctx.database.db, q, query.limit);
  return {
    statements: rows.map((r) => ({
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
  const row = await statementRow(ctx.database.db, path);
  if (!row) throw new KeelError('not_found', `no statement "${path}"`);
  const awards = await awardsOfStatement(ctx.database.db, path);
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
