/**
 * One driver for both databases: Kysely over `pg`. The embedded default is PGlite in a data folder, reached
 * through PGlite's node-postgres adapter (a pool of one, PGlite is single-connection); DATABASE_URL switches
 * to a PostgreSQL server with a real pool. The embedded folder is locked first: see data-folder-lock.ts.
 */
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataFolder } from './data-folder-lock.ts';
import { migrate } from './migrate.ts';
import { PGLITE_EXTENSIONS } from './pglite-extensions.ts';
import { PreparingClient } from './prepared.ts';
import type { Schema } from './schema.ts';

const OID = { int8: 20, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700 } as const;

/** int8 as bigint (money), numeric and dates as the strings the server sent (no float, no time-zone shift). */
const typeParsers = {
  getTypeParser(oid: number, format?: string) {
    if (oid === OID.int8) return (value: string) => BigInt(value);
    if (oid === OID.date || oid === OID.timestamp || oid === OID.timestamptz || oid === OID.numeric) {
      return (value: string) => value;
    }
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export interface KeelDatabase {
  db: Kysely<Schema>;
  pool: pg.Pool;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages: the folder or the server URL without its password. */
  location: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** PostgreSQL pool size; PGlite is always one connection. */
  poolSize?: number;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
}

export async function openDatabase(options: OpenOptions): Promise<KeelDatabase> {
  const database = options.databaseUrl
    ? openServer(options.databaseUrl, options.poolSize ?? 10)
    : await openEmbedded(options.dataDir ?? './keel-data');
  try {
    if (options.migrate !== false) await migrate(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

function openServer(url: string, poolSize: number): KeelDatabase {
  // Creating a job queue holds one connection (its advisory lock, app/job-queue.ts) while another creates it.
  if (!Number.isInteger(poolSize) || poolSize < 2)
    throw new Error(`a PostgreSQL pool needs at least 2 connections, not ${poolSize}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: typeParsers,
    Client: PreparingClient,
  });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    kind: 'postgres',
    location: redactPassword(url),
    close: () => db.destroy(),
  };
}

async function openEmbedded(dataDir: string): Promise<KeelDatabase> {
  // memory:// lives in this process only, so there is no folder to share and nothing to lock.
  const inMemory = dataDir.startsWith('memory://');
  const lock = inMemory ? { release() {} } : lockDataFolder(dataDir);
  try {
    const pglite = inMemory
      ? new PGlite({ extensions: PGLITE_EXTENSIONS })
      : new PGlite(`${dataDir}/pgdata`, { extensions: PGLITE_EXTENSIONS });
    await pglite.waitReady;
    const statements = letTheEventLoopIn(pglite);
    const pool = new pg.Pool({
      ...createPgConfig(pglite),
      max: 1,
      types: typeParsers,
      Client: PreparingClient,
    } as pg.PoolConfig);
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    let closed = false;
    return {
      db,
      pool,
      kind: 'pglite',
      location: dataDir,
      async close() {
        if (closed) return;
        closed = true;
        try {
          // A statement handed over before the close may still wait for its turn: it runs first.
          await statements.drain();
          await db.destroy();
          await statements.drain();
          await pglite.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Longest run of PGlite statements before other work gets a turn. */
const TURN_MS = 10;

/**
 * PGlite runs each statement synchronously on this thread, and hands results back through promises only, so
 * a long transaction (a 150,000-row import) would run statement after statement without the event loop ever
 * getting a turn: no timer, no incoming request, not even a static file, for as long as it lasts. Before a
 * statement, once TURN_MS has passed since the last turn, the loop gets one. The transaction keeps its
 * connection (the pool has one), so nothing of the database interleaves; only requests that do not need it
 * (static files, the stream of another request) are served meanwhile.
 */
function letTheEventLoopIn(pglite: PGlite): { drain(): Promise<void> } {
  const execute = pglite.execProtocolStream.bind(pglite);
  let lastTurn = performance.now();
  // Statements waiting for their turn or running: closing the database waits for them, or one handed over
  // just before the close would reach a closed PGlite (an unhandled rejection from inside PGlite).
  const inFlight = new Set<Promise<unknown>>();
  pglite.execProtocolStream = (...args: Parameters<PGlite['execProtocolStream']>) => {
    const statement = (async () => {
      if (performance.now() - lastTurn > TURN_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastTurn = performance.now();
      }
      return execute(...args);
    })();
    inFlight.add(statement);
    statement.then(
      () => inFlight.delete(statement),
      () => inFlight.delete(statement),
    );
    return statement;
  };
  return {
    async drain() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}

export function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the PostgreSQL server in DATABASE_URL';
  }
}
