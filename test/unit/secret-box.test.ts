/**
 * Secrets at rest (app/secret-box.ts): sealed with AES-256-GCM under KEEL_SECRET_KEY or a 0600 key file made on
 * first use, bound to their owner, refused under another key; a seed stored before encryption still reads.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { openSecret, sealSecret, secretKeyFromEnv } from '../../src/app/secret-box.ts';

const dir = mkdtempSync(join(tmpdir(), 'keel-secret-box-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx = (extra: Partial<AppContext>) => extra as AppContext;

describe('secrets at rest', () => {
  it('seals with a key file made on first use, private to its owner, and opens for the same owner only', () => {
    const file = join(dir, 'data.secret-key');
    const keel = ctx({ secretKeyFile: file });
    const sealed = sealSecret(keel, 'JBSWY3DPEHPK3PXP', 'ana');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(sealSecret(keel, 'JBSWY3DPEHPK3PXP', 'ana')).not.toBe(sealed); // a fresh nonce each time
    expect(openSecret(keel, sealed, 'ana')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => openSecret(keel, sealed, 'bob')).toThrow(/cannot be decrypted/);
    expect(() => openSecret(ctx({ secretKey: Buffer.alloc(32, 7) }), sealed, 'ana')).toThrow(
      /cannot be decrypted/,
    );
    // A seed from before encryption is read as it is.
    expect(openSecret(keel, 'JBSWY3DPEHPK3PXP', 'ana')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a key file others may read, no key at all, and a KEEL_SECRET_KEY that is not 32 bytes', () => {
    const open = join(dir, 'readable.secret-key');
    writeFileSync(open, `${Buffer.alloc(32, 1).toString('base64')}\n`, { mode: 0o644 });
    expect(() => sealSecret(ctx({ secretKeyFile: open }), 'x', 'ana')).toThrow(/chmod 600/);
    expect(() => sealSecret(ctx({}), 'x', 'ana')).toThrow(/KEEL_SECRET_KEY/);
    expect(secretKeyFromEnv(undefined)).toBeUndefined();
    expect(secretKeyFromEnv('ab'.repeat(32))).toEqual(Buffer.alloc(32, 0xab));
    expect(secretKeyFromEnv(Buffer.alloc(32, 3).toString('base64'))).toEqual(Buffer.alloc(32, 3));
    for (const bad of ['short', Buffer.alloc(16).toString('base64'), 'ab'.repeat(31)])
      expect(() => secretKeyFromEnv(bad), bad).toThrow(/KEEL_SECRET_KEY must be 32 random bytes/);
  });
});
