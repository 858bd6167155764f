/**
 * Rows as the API and the CLI hand them on: the database's snake_case column names become camelCase, the
 * one wire style, without touching the values (bigint cents stay bigint until the response schema).
 */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

export type CamelCased<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

export function camelCased<T extends object>(row: T): CamelCased<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row))
    out[key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())] = value;
  return out as CamelCased<T>;
}
