import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Schema } from './schema.ts';

/**
 * `ANY($1::text[])`, the right-hand side of `.where(column, '=', anyOf(values))`: one parameter however many
 * values (an IN list stops at 65,535 parameters), while Kysely still checks the column and its type.
 */
export function anyOf<T extends string>(values: readonly T[]): RawBuilder<T> {
  return sql<T>`ANY(${[...values]}::text[])`;
}

/** Tables whose rows are named by a text `id` that imports and batches refer to. */
type IdTable = 'companies' | 'sub_areas' | 'deals' | 'organisations';

/** Which of `ids` name an existing row of `table` (one query however many; none for an empty list). */
export async function existingIds(
  db: Kysely<Schema>,
  table: IdTable,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom(table)
    .select('id')
    .where('id', '=', anyOf([...new Set(ids)]))
    .execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * `Promise.all` for queries run side by side, except that every query settles before the first failure is
 * thrown: with `Promise.all` a failed query answered the request while its sibling still ran, and a database
 * closed after the answer (a shutdown, a test's end) then broke under it.
 */
export async function settleAll<T extends readonly unknown[] | []>(
  queries: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled: PromiseSettledResult<unknown>[] = await Promise.allSettled(queries as readonly unknown[]);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

/** A nullable bigint column as the driver hands it (a bigint, or text from a raw subquery): a bigint, or null. */
export const bigintOrNull = (value: bigint | string | null): bigint | null =>
  value === null ? null : BigInt(value);

/** `text` as a LIKE pattern matching itself literally (its own %, _ and backslash escaped), to wrap in % as needed. */
export const literalPattern = (text: string) => text.replace(/[\\%_]/g, '\\$&');
