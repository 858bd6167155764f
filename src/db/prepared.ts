/**
 * Statements every write runs (the key claim, the locks, the ledger's read and insert, the audit row): each
 * connection parses and plans them once, as a named prepared statement, instead of on every call. Under
 * PGlite parsing and planning are most of a small statement's cost.
 *
 * Opt-in, by SQL text. Only statements whose text does not vary with their input (arrays go in as one
 * parameter) belong here, and they name their columns: a cached plan for `SELECT *` fails once another
 * server's migration changes the table.
 *
 * Reads whose best plan depends on how many ids they are given stay unprepared: after five executions
 * PostgreSQL may keep a generic plan, and for a batch's state read (1 to 5,000 deals) that plan scanned the
 * whole ledger, 120 ms instead of 6. Forcing custom plans for the session instead made every foreign-key
 * check replan too (PGlite: 500 checks in 13 ms instead of 2.7).
 */
import { createHash } from 'node:crypto';
import type { CompiledQuery, RawBuilder, Transaction } from 'kysely';
import pg from 'pg';
import type { Schema } from './schema.ts';

/** More distinct texts than this means a statement's text varies with its input: later ones run unprepared. */
export const MAX_PREPARED_TEXTS = 64;

const names = new Map<string, string>();

type Compilable = { compile(): CompiledQuery } | RawBuilder<unknown>;

/** Marks `query`'s text as prepared and returns the query unchanged, to be executed as usual. */
export function prepared<Q extends Compilable>(tx: Transaction<Schema>, query: Q): Q {
  const { sql: text } = 'isRawBuilder' in query ? query.compile(tx) : query.compile();
  if (!names.has(text) && names.size < MAX_PREPARED_TEXTS) {
    names.set(text, `keel_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`);
  }
  return query;
}

/** How many texts are marked, for the test that keeps them from varying. */
export const preparedTextCount = () => names.size;

/**
 * A pg client that sends the marked statements by name, so the server parses them once per connection (pg
 * remembers which names a connection has parsed). Everything else goes as before.
 */
export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg.Client.query is a set of overloads; this forwards them all.
  override query(...args: any[]): any {
    const [text, values] = args;
    const name = typeof text === 'string' && Array.isArray(values) ? names.get(text) : undefined;
    if (name) return super.query({ name, text, values }, ...args.slice(2));
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    return (super.query as (...a: any[]) => any)(...args);
  }
}
