/**
 * API tokens and browser sessions resolved once, not on every request, where that is safe.
 * - An embedded data folder is held by one process (the folder lock), so every change to a token, a session
 *   or their account (revoke, logout, disable, role change) is a write of this process, and each write
 *   empties the cache.
 * - A server database may have other writers (several Keel servers, a `keel` command, an operator's SQL), so
 *   a server caches only while it listens for the database's notices of such changes (migrations 0038 and
 *   0039, db/credential-notices.ts), forgets everything on each notice, and trusts nothing while not
 *   listening. A change made through another server reaches this one when the notice arrives (milliseconds
 *   after the commit); a change through this server is seen at once, as on the embedded database.
 * While a write of this process that changes credentials is in flight the cache is neither read nor filled,
 * and a lookup that began before such a write ended (or a notice arrived) is not kept. Other writes (a ledger
 * import holding the embedded database's one connection for seconds) leave the cache alone: they cannot
 * change what it holds, and bypassing it would make every request wait for them.
 */
import type { apiTokenByHash, sessionByToken } from '../db/users-repo.ts';

type TokenRow = NonNullable<Awaited<ReturnType<typeof apiTokenByHash>>>;
type SessionRow = NonNullable<Awaited<ReturnType<typeof sessionByToken>>>;

/** Belt and braces: an entry is looked up again after a minute, whatever happened. */
const MAX_AGE_MS = 60_000;
/** Per kind of credential. */
const MAX_ENTRIES = 10_000;

/** One kind of credential's rows, by the SHA-256 of its secret. */
class Shelf<Row> {
  private readonly entries = new Map<string, { generation: number; at: number; row: Row }>();
  constructor(private readonly cache: TokenCache) {}

  /** The row if cached and still good; undefined means: ask the database. */
  get(sha256: string): Row | undefined {
    const generation = this.cache.lookupBegins();
    if (generation === null) return undefined;
    const entry = this.entries.get(sha256);
    if (!entry || entry.generation !== generation || Date.now() - entry.at > MAX_AGE_MS) return undefined;
    return entry.row;
  }

  /** Keeps a row found by a lookup, unless a write began or ended (or a notice came) since it began. */
  keep(sha256: string, row: Row, lookupGeneration: number | null): void {
    if (lookupGeneration === null || lookupGeneration !== this.cache.lookupBegins()) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(sha256, { generation: lookupGeneration, at: Date.now(), row });
  }

  clear(): void {
    this.entries.clear();
  }
}

export class TokenCache {
  private generation = 0;
  private writing = 0;
  private trusted: boolean;
  readonly tokens = new Shelf<TokenRow>(this);
  readonly sessions = new Shelf<SessionRow>(this);

  /** `trusted: false` until the server hears of changes made elsewhere (see setTrusted). */
  constructor(options: { trusted?: boolean } = {}) {
    this.trusted = options.trusted ?? true;
  }

  /** A token, session or user changed elsewhere: whatever was cached may be stale. */
  forget(): void {
    this.generation++;
    this.tokens.clear();
    this.sessions.clear();
  }

  /** Whether changes made elsewhere can reach this cache (its notice connection is up). */
  setTrusted(on: boolean): void {
    this.trusted = on;
    this.forget();
  }

  /** A write begins: until it ends, every lookup goes to the database. */
  writeBegins(): void {
    this.writing++;
  }

  /** A write ended (committed or not): whatever was cached before it may be stale. */
  writeEnds(): void {
    if (this.writing <= 0) throw new Error('token cache: a write ended that never began');
    this.writing--;
    this.forget();
  }

  /** Before a database lookup: the state it must still find when its row is kept (null: do not keep it). */
  lookupBegins(): number | null {
    return !this.trusted || this.writing > 0 ? null : this.generation;
  }
}

/**
 * The audited actions that change a token, a session or an account (db/users-repo.ts's writes): only these
 * write under asCacheWrite. test/unit/credential-writes.test.ts checks every use case that calls one of those
 * writes names its action so.
 */
export const CREDENTIAL_ACTION = /^(auth|token|user|setup)\./;

/**
 * Runs a write made outside runWrite (login, logout) as one for the cache: a session deleted here must not
 * be served from the cache after it commits.
 */
export async function asCacheWrite<T>(cache: TokenCache | undefined, work: () => Promise<T>): Promise<T> {
  cache?.writeBegins();
  try {
    return await work();
  } finally {
    cache?.writeEnds();
  }
}
