/**
 * @fastify/rate-limit's store on Keel's database (db/rate-limit-repo.ts) instead of each process's memory:
 * several servers on one PostgreSQL share the login limit, and a restart does not reset it. Each route has
 * its own counters (the key names method and route, then the client), as the plugin's own store keeps them.
 * A database error fails the request (the plugin's default): a limit that cannot be checked is not waived.
 */
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { AppContext } from '../app/context.ts';
import { countHit, readHits, type WindowCount } from '../db/rate-limit-repo.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

const answer = (cb: Callback) => (count: WindowCount) => cb(null, { current: count.hits, ttl: count.ttlMs });
const failure = (cb: Callback) => (error: unknown) =>
  cb(error instanceof Error ? error : new Error(String(error)));

/** The store class the plugin instantiates (`new Store(options)`), bound to `ctx`'s database. */
export function databaseRateLimitStore(ctx: AppContext) {
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _options?: unknown,
      private readonly route = 'global',
    ) {}

    incr(client: string, cb: Callback, timeWindow: number): void {
      countHit(ctx.database.db, `${this.route}|${client}`, timeWindow).then(answer(cb), failure(cb));
    }

    read(client: string, cb: Callback, timeWindow: number): void {
      readHits(ctx.database.db, `${this.route}|${client}`, timeWindow).then(answer(cb), failure(cb));
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]) {
      // The plugin merges the route into the options as `routeInfo` (its README), beside the route's own fields.
      const info = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo;
      return new DatabaseRateLimitStore(
        routeOptions,
        `${[info?.method].flat().join(',')} ${info?.url ?? ''}`,
      );
    }
  };
}
