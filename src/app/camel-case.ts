/**
 * Rows as the API and the CLI hand them on: the database's snake_case column names become camelCase, the
 * one wire style, without touching the values (bigint cents stay bigint until the response schema).
 */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

export type CamelCased<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

// Column names are few and fixed, rows many: a list page of 50 rows converted each key 50 times (about a
// tenth of a millisecond per request, measured with a CPU profile of GET /api/deal-list).
const converted = new Map<string, string>();
const MAX_REMEMBERED = 10_000;

function camelKey(key: string): string {
  let camel = converted.get(key);
  if (camel === undefined) {
    camel = key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    if (converted.size < MAX_REMEMBERED) converted.set(key, camel);
  }
  return camel;
}

export function camelCased<T extends object>(row: T): CamelCased<T> {
  const out: Record<string, unknown> = {};
  for (const key in row) if (Object.hasOwn(row, key)) out[camelKey(key)] = row[key];
  return out as CamelCased<T>;
}
