/**
 * The embedded mode's cache of resolved API tokens and sessions: never read or filled while a write is in flight, emptied
 * when one ends, and a lookup that raced a write is not kept (it may have read the row before the write).
 */
import { describe, expect, it } from 'vitest';
import { TokenCache } from '../../src/app/token-cache.ts';

const row = (role: string) =>
  ({ id: 'ana', role, disabled: false, scope: 'read', expires_at: null, revoked_at: null }) as never;

describe('TokenCache', () => {
  it('keeps a row found while no write runs, until a write ends', () => {
    const cache = new TokenCache();
    const at = cache.lookupBegins();
    cache.tokens.keep('h', row('banker'), at);
    expect(cache.tokens.get('h')).toMatchObject({ role: 'banker' });
    cache.writeBegins();
    expect(cache.tokens.get('h'), 'not read during a write').toBeUndefined();
    cache.writeEnds();
    expect(cache.tokens.get('h'), 'emptied by the write').toBeUndefined();
  });

  it('does not keep a lookup that began before a write ended, or while one runs', () => {
    const cache = new TokenCache();
    const before = cache.lookupBegins();
    cache.writeBegins();
    cache.tokens.keep('h', row('banker'), before);
    expect(cache.tokens.get('h')).toBeUndefined();
    const during = cache.lookupBegins();
    expect(during).toBeNull();
    cache.writeEnds();
    cache.tokens.keep('h', row('banker'), before); // began before the write ended: may be stale
    cache.tokens.keep('h', row('banker'), during);
    expect(cache.tokens.get('h')).toBeUndefined();
    cache.tokens.keep('h', row('admin'), cache.lookupBegins());
    expect(cache.tokens.get('h')).toMatchObject({ role: 'admin' });
  });

  it('keeps sessions apart from tokens, and forgets both on a notice', () => {
    const cache = new TokenCache();
    cache.tokens.keep('h', row('banker'), cache.lookupBegins());
    cache.sessions.keep('h', row('admin'), cache.lookupBegins());
    expect(cache.tokens.get('h')).toMatchObject({ role: 'banker' });
    expect(cache.sessions.get('h')).toMatchObject({ role: 'admin' });
    cache.forget();
    expect(cache.tokens.get('h')).toBeUndefined();
    expect(cache.sessions.get('h')).toBeUndefined();
  });

  it('refuses a write that ends without beginning (a bug, loudly)', () => {
    expect(() => new TokenCache().writeEnds()).toThrow(/never began/);
  });
});
