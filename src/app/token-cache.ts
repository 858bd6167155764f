/**
 * API tokens resolved once, not on every request, where that is safe.
 * - An embedded data folder is held by one process (the folder lock), so every change to a token or its
 *   account (revoke, disable, role change) is an audited write of this process, and each write empties the
 *   cache.
 * - A server database may have other writers (several Keel servers, a `keel` command, an operator's SQL), so
 *   a server caches only while it listens for the database's notices of such changes (migration 0038,
 *   db/credential-notices.ts), forgets everything on each notice, and trusts nothing while not listening.
 *   A change made through another server reaches this one when the notice arrives (milliseconds after the
 *   commit); a change through this server is seen at once, as on the embedded database.
 * While any write of this process is in flight the cache is neither read nor filled, and a lookup that began
 * before a write ended (or a notice arrived) is not kept.
 */
import type { apiTokenByHash } from '../db/users-repo.ts';

type TokenRow = NonNullable<Awaited<ReturnType<typeof apiTokenByHash>>>;

/** Belt and braces: an entry is looked up again after a minute, whatever happened. */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 10_000;

export class TokenCache {
  private generation = 0;
  private writing = 0;
  private trusted: boolean;

  /** `trusted: false` until the server hears of changes made elsewhere (see setTrusted). */
  constructor(options: { trusted?: boolean } = {}) {
    this.trusted = options.trusted ?? true;
  }

  /** A token or user changed elsewhere: whatever was cached may be stale. */
  forget(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Whether changes made elsewhere can reach this cache (its notice connection is up). */
  setTrusted(on: boolean): void {
    this.trusted = on;
    this.forget();
  }
  private readonly entries = new Map<string, { generation: number; at: number; row: TokenRow }>();

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

  /** The token's row if cached and still good; undefined means: ask the database. */
  get(tokenSha256: string): TokenRow | undefined {
    if (!this.trusted || this.writing > 0) return undefined;
    const entry = this.entries.get(tokenSha256);
    if (!entry || entry.generation !== this.generation || Date.now() - entry.at > MAX_AGE_MS)
      return undefined;
    return entry.row;
  }

  /** Before a database lookup: the state it must still find when its row is kept (null: do not keep it). */
  lookupBegins(): number | null {
    return !this.trusted || this.writing > 0 ? null : this.generation;
  }

  /** Keeps a row found by a lookup, unless a write began or ended since the lookup began. */
  keep(tokenSha256: string, row: TokenRow, lookupGeneration: number | null): void {
    if (
      lookupGeneration === null ||
      !this.trusted ||
      this.writing > 0 ||
      lookupGeneration !== this.generation
    )
      return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(tokenSha256, { generation: lookupGeneration, at: Date.now(), row });
  }
}
