/**
 * The rate limits' counters (migration 0035). Each hit is one statement, atomic on any number of servers:
 * it starts a new window when the last one has run out, else counts one more in it, and answers the count
 * and the milliseconds the window has left, by the database's clock.
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from './schema.ts';

export interface WindowCount {
  hits: number;
  /** Milliseconds until the window restarts. */
  ttlMs: number;
}

const windowOf = (windowMs: number) => sql`make_interval(secs => ${windowMs / 1000}::float8)`;
const asCount = (row: { hits: number; ttl_ms: string }): WindowCount => ({
  hits: row.hits,
  ttlMs: Math.max(0, Math.ceil(Number(row.ttl_ms))),
});

export async function countHit(db: Kysely<Schema>, key: string, windowMs: number): Promise<WindowCount> {
  const window = windowOf(windowMs);
  const { rows } = await sql<{ hits: number; ttl_ms: string }>`
    INSERT INTO rate_limit_hits AS r (key, window_started_at, hits) VALUES (${key}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN r.window_started_at + ${window} <= now() THEN 1 ELSE r.hits + 1 END,
      window_started_at = CASE WHEN r.window_started_at + ${window} <= now() THEN now() ELSE r.window_started_at END
    RETURNING hits, (extract(epoch FROM r.window_started_at + ${window} - now()) * 1000)::text AS ttl_ms`.execute(
    db,
  );
  return asCount(rows[0]!);
}

/** The count without counting (an ended window reads as none). */
export async function readHits(db: Kysely<Schema>, key: string, windowMs: number): Promise<WindowCount> {
  const window = windowOf(windowMs);
  const { rows } = await sql<{ hits: number; ttl_ms: string }>`
    SELECT hits, (extract(epoch FROM window_started_at + ${window} - now()) * 1000)::text AS ttl_ms
    FROM rate_limit_hits WHERE key = ${key} AND window_started_at + ${window} > now()`.execute(db);
  return rows[0] ? asCount(rows[0]) : { hits: 0, ttlMs: 0 };
}

/** Forgets counters whose window started before `before` (they count nothing any more). */
export async function pruneRateLimits(db: Kysely<Schema>, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('rate_limit_hits')
    .where('window_started_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
