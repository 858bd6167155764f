import { type Expression, type SqlBool, sql } from 'kysely';

/** `column = ANY($1::text[])`: one parameter however many values (an IN list stops at 65,535 parameters). */
export function inTextArray(column: string, values: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} = ANY(${[...values]}::text[])`;
}
