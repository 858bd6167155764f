/** Reference-rate fixings (migration 0042): written once, read by reference in day order. */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Fixing } from '../domain/credit/fixings.ts';
import type { Schema } from './schema.ts';

type Reference = Schema['credit_rate_fixings']['reference'];

/** The fixings already stored for these (reference, day) pairs, with their rate as stored. */
export async function storedFixings(
  tx: Transaction<Schema>,
  keys: readonly { reference: Reference; date: string }[],
): Promise<Map<string, { ratePercent: string; source: string }>> {
  const found = new Map<string, { ratePercent: string; source: string }>();
  for (let i = 0; i < keys.length; i += 2_000) {
    const chunk = keys.slice(i, i + 2_000);
    const rows = await tx
      .selectFrom('credit_rate_fixings')
      .select([
        'reference',
        sql<string>`fixed_on::text`.as('fixed_on'),
        sql<string>`rate_percent::text`.as('rate_percent'),
        'source',
      ])
      .where(
        sql<boolean>`(reference, fixed_on) IN (SELECT * FROM unnest(${chunk.map((k) => k.reference)}::text[], ${chunk.map((k) => k.date)}::date[]))`,
      )
      .execute();
    for (const r of rows)
      found.set(`${r.reference} ${r.fixed_on}`, { ratePercent: r.rate_percent, source: r.source });
  }
  return found;
}

export async function insertFixings(
  tx: Transaction<Schema>,
  rows: readonly { reference: Reference; date: string; ratePercent: string; source: string }[],
  importedBy: string,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 2_000) {
    await tx
      .insertInto('credit_rate_fixings')
      .values(
        rows.slice(i, i + 2_000).map((r) => ({
          reference: r.reference,
          fixed_on: r.date,
          rate_percent: r.ratePercent,
          source: r.source,
          imported_by: importedBy,
        })),
      )
      .execute();
  }
}

/** Every fixing of the references asked for, oldest first, rates as stored (trailing zeros of numeric kept off). */
export async function fixingsOf(
  db: Kysely<Schema>,
  references: readonly Reference[],
): Promise<Map<Reference, Fixing[]>> {
  const byReference = new Map<Reference, Fixing[]>(references.map((r) => [r, []]));
  if (references.length === 0) return byReference;
  const rows = await db
    .selectFrom('credit_rate_fixings')
    .select([
      'reference',
      sql<string>`fixed_on::text`.as('fixed_on'),
      sql<string>`trim_scale(rate_percent)::text`.as('rate_percent'),
      'source',
    ])
    .where('reference', 'in', [...references])
    .orderBy('fixed_on')
    .execute();
  for (const r of rows)
    byReference
      .get(r.reference)!
      .push({ fixedOn: r.fixed_on, ratePercent: r.rate_percent, source: r.source });
  return byReference;
}

/** The latest fixing of each reference and how many are stored: the credit page's summary. */
export const fixingSummary = (db: Kysely<Schema>) =>
  db
    .selectFrom('credit_rate_fixings')
    .select([
      'reference',
      sql<string>`count(*)::text`.as('count'),
      sql<string>`min(fixed_on)::text`.as('first_on'),
      sql<string>`max(fixed_on)::text`.as('last_on'),
      sql<string>`(array_agg(trim_scale(rate_percent)::text ORDER BY fixed_on DESC))[1]`.as('last_percent'),
      sql<string>`(array_agg(source ORDER BY fixed_on DESC))[1]`.as('last_source'),
    ])
    .groupBy('reference')
    .orderBy('reference')
    .execute();
