/**
 * Keys the server builds from what it knows (an id, a file's hash) are predictable, so they must be
 * `serverKey(...)` (a namespace no client can write) or `unguessableKey(...)`, never a plain string that
 * would pass for a client's key. A text scan of the write paths keeps the next use case from slipping one in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServerKey, serverKey, storedKey, unguessableKey } from '../../src/app/write-key.ts';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('idempotency and ledger keys', () => {
  it('no use case, route or command builds a key from a template string', () => {
    const found: string[] = [];
    for (const dir of ['app', 'api', 'cli'])
      for (const file of files(join(SRC, dir)))
        for (const [n, line] of readFileSync(file, 'utf8').split('\n').entries())
          if (/\b(key|clientKey)\s*:\s*`/.test(line)) found.push(`${file}:${n + 1}: ${line.trim()}`);
    expect(found).toEqual([]);
  });

  it("a client's key is stored under its principal; a server key under the server, whatever its text", () => {
    const council = { id: 'council-member', role: 'council_member' } as const;
    expect(storedKey('token:revoke:tok_1', council)).toEqual({
      owner: 'principal:council-member',
      key: 'token:revoke:tok_1',
      madeByServer: false,
    });
    expect(storedKey(serverKey('token', 'revoke', 'tok_1'), council)).toEqual({
      owner: 'server',
      key: 'token:revoke:tok_1',
      madeByServer: true,
    });
    // A principal whose id reads like the server's owner still writes under `principal:`.
    expect(storedKey('k', { id: 'server', role: 'admin' }).owner).toBe('principal:server');
    // Only serverKey makes a ServerKey: a look-alike object is not one.
    expect({ text: 'token:revoke:tok_1' } instanceof ServerKey).toBe(false);
  });

  it('an unguessable key says what it is for and carries 96 random bits', () => {
    const a = unguessableKey('stack', '7', 'commitment');
    expect(a).toMatch(/^stack:7:commitment:[A-Za-z0-9_-]{16}$/);
    expect(unguessableKey('stack', '7', 'commitment')).not.toBe(a);
  });
});
