/**
 * Secrets Keel must read back (the TOTP seeds), encrypted at rest with AES-256-GCM: a copy of the database or
 * of its dump does not hand out anyone's second factor. The key is KEEL_SECRET_KEY (32 bytes, base64 or hex:
 * the same on every server of one PostgreSQL database), else a file made on first use with mode 0600 next to
 * (not inside) the embedded data folder, or in the user's config folder for a PostgreSQL server. Each sealed
 * value is bound to what it belongs to (a user id), so it cannot be copied onto another row.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KeelError } from '../domain/errors.ts';
import type { AppContext } from './context.ts';

const KEY_BYTES = 32;
const VERSION = 'v1';

/** KEEL_SECRET_KEY as a key, or undefined when unset; a value that is not 32 bytes stops Keel at start. */
export function secretKeyFromEnv(text: string | undefined): Buffer | undefined {
  if (!text) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES || (!/^[0-9a-fA-F]{64}$/.test(text) && key.toString('base64') !== text))
    throw new KeelError(
      'invalid_config',
      'KEEL_SECRET_KEY must be 32 random bytes as base64 (44 characters) or hex (64): openssl rand -base64 32',
    );
  return key;
}

const keys = new Map<string, Buffer>();

/** The key from the file, made when missing; refused when other users may read it. */
function keyFromFile(file: string): Buffer {
  const known = keys.get(file);
  if (known) return known;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      // 'wx': never overwrite a key another process made in the meantime.
      writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0)
    throw new KeelError(
      'invalid_config',
      `the secret key ${file} can be read by other users: make it private (chmod 600)`,
    );
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES)
    throw new KeelError('invalid_config', `the secret key ${file} is not 32 bytes of base64`);
  keys.set(file, key);
  return key;
}

function keyOf(ctx: AppContext): Buffer {
  if (ctx.secretKey) return ctx.secretKey;
  if (ctx.secretKeyFile) return keyFromFile(ctx.secretKeyFile);
  throw new KeelError('invalid_config', 'no key for secrets at rest: set KEEL_SECRET_KEY');
}

/** `plain` sealed for `owner`: version, nonce, ciphertext and tag as base64url, joined by dots. */
export function sealSecret(ctx: AppContext, plain: string, owner: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(ctx), iv).setAAD(Buffer.from(owner));
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv, sealed, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/**
 * The secret `stored` holds for `owner`. A value from before encryption (a bare base32 seed) is read as it
 * is; one sealed under another key or for another owner is refused.
 */
export function openSecret(ctx: AppContext, stored: string, owner: string): string {
  const parts = stored.split('.');
  if (parts[0] !== VERSION) return stored;
  const [, iv, sealed, tag] = parts.map((part) => Buffer.from(part, 'base64url'));
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(ctx), iv as Buffer)
      .setAAD(Buffer.from(owner))
      .setAuthTag(tag as Buffer);
    return Buffer.concat([decipher.update(sealed as Buffer), decipher.final()]).toString('utf8');
  } catch (error) {
    if (error instanceof KeelError) throw error;
    throw new KeelError(
      'invalid_config',
      `a stored secret of ${owner} cannot be decrypted: KEEL_SECRET_KEY or the key file is not the one it was sealed with`,
    );
  }
}
