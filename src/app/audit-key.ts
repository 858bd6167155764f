/**
 * The audit signing key: an Ed25519 private key in a PEM file outside the database (KEEL_AUDIT_KEY, by
 * default next to the data folder or, on a PostgreSQL server, in the user's config folder). It is created
 * on first use with mode 0600; whoever can read it can sign checkpoints, so it belongs to the operator.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { KeelError } from '../domain/errors.ts';

export interface AuditKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  file: string;
}

/**
 * The key file as a refusal names it: its name, not its folder. The refusal reaches a browser too (the audit
 * log page signs checkpoints), and the server's folders are not the browser's business; the operator knows
 * where KEEL_AUDIT_KEY points.
 */
const shown = (file: string) => `file ${basename(file)} (KEEL_AUDIT_KEY)`;

/** The key at `file`, created when missing. */
export function auditKeyForSigning(file: string): AuditKeys {
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      // 'wx': never overwrite a key another process created in the meantime.
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  // Like ssh with its keys: a signing key other users can read is no longer the operator's alone.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0)
    throw new KeelError(
      'invalid_audit_key',
      `the audit key ${shown(file)} can be read by other users: make it private (chmod 600) or create a new one`,
    );
  return readKey(file);
}

/** The public half of the key at `file` for checking signatures, or null when there is no key there. */
export function auditPublicKey(file: string | undefined): KeyObject | null {
  if (!file || !existsSync(file)) return null;
  return readKey(file).publicKey;
}

function readKey(file: string): AuditKeys {
  try {
    const privateKey = createPrivateKey(readFileSync(file));
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
    return { privateKey, publicKey: createPublicKey(privateKey), file };
  } catch (error) {
    // A file system error's own message holds the path: its code (EACCES, EISDIR) says enough.
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new KeelError('invalid_audit_key', `cannot use the audit key ${shown(file)}: ${why}`);
  }
}
