import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';

/**
 * `ANY($1::text[])`, the right-hand side of `.where(column, '=', anyOf(values))`: one parameter however many
 * values (an IN list stops at 65,535 parameters), while Kysely still checks the column and its type.
 */
export function anyOf<T extends string>(values: readonly T[]): RawBuilder<T> {
  return sql<T>`ANY(${[...values]}::text[])`;
}

/**
 * @deprecated The column is a bare string here, so Kysely cannot check it: use `.where(column, '=',
 * anyOf(values))`. Kept only until app/ledger.ts (owned by the ledger work) moves to `anyOf`.
 */
export function inTextArray(column: string, values: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} = ANY(${[...values]}::text[])`;
}
