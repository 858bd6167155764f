/**
 * API tokens resolved once, not on every request, where that is safe: an embedded data folder is held by one
 * process (the folder lock), so every change to a token or its account (revoke, disable, role change) is an
 * audited write of this process, and each write empties the cache. While any write is in flight the cache
 * is neither read nor filled, and a lookup that began before a write ended is not kept: a revoked token is
 * refused by the first request after the revocation commits. A server database may have other writers
 * (several Keel servers), so it gets no cache.
 */
import type { apiTokenByHash } from '../db/users-repo.ts';

type TokenRow = NonNullable<Awaited<ReturnType<typeof apiTokenByHash>>>;

/** Belt and braces: an entry is looked up again after a minute, whatever happened. */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 10_000;

export class TokenCache {
  private generation = 0;
  private writing = 0;
  private readonly entries = new Map<string, { generation: number; at: number; row: TokenRow }>();

  /** A write begins: until it ends, every lookup goes to the database. */
  writeBegins(): void {
    this.writing++;
  }

  /** A write ended (committed or not): whatever was cached before it may be stale. */
  writeEnds(): void {
    if (this.writing <= 0) throw new Error('token cache: a write ended that never began');
    this.writing--;
    this.generation++;
    this.entries.clear();
  }

  /** The token's row if cached and still good; undefined means: ask the database. */
  get(tokenSha256: string): TokenRow | undefined {
    if (this.writing > 0) return undefined;
    const entry = this.entries.get(tokenSha256);
    if (!entry || entry.generation !== this.generation || Date.now() - entry.at > MAX_AGE_MS)
      return undefined;
    return entry.row;
  }

  /** Before a database lookup: the state it must still find when its row is kept (null: do not keep it). */
  lookupBegins(): number | null {
    return this.writing > 0 ? null : this.generation;
  }

  /** Keeps a row found by a lookup, unless a write began or ended since the lookup began. */
  keep(tokenSha256: string, row: TokenRow, lookupGeneration: number | null): void {
    if (lookupGeneration === null || this.writing > 0 || lookupGeneration !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(tokenSha256, { generation: lookupGeneration, at: Date.now(), row });
  }
}
