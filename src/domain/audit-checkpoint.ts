/**
 * A checkpoint is the audit chain's head (sequence number and hash) at a moment, signed with an Ed25519 key
 * that is kept outside the database. Whoever can write to the database can recompute the whole chain after
 * an edit; they cannot sign its new head. A checkpoint kept elsewhere (printed, mailed, filed) therefore
 * pins every row up to its sequence number.
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { KeelError } from './errors.ts';

export interface SignedCheckpoint {
  kind: 'keel-audit-checkpoint';
  version: 1;
  /** Last audit row covered (decimal text: JSON has no 64-bit integers). */
  seq: string;
  hash: string;
  signedAt: string;
  /** The signer's public key (SPKI DER, base64), for messages; verification uses the key file's own. */
  publicKey: string;
  signature: string;
}

function message(seq: string, hash: string, signedAt: string): Buffer {
  return Buffer.from(`keel-audit-checkpoint v1\n${seq}\n${hash}\n${signedAt}`);
}

export function publicKeyText(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** The public key a checkpoint names (the signer's), or null when it is not a key. */
export function publicKeyFromText(text: string): KeyObject | null {
  try {
    return createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

/** A short name for a public key in messages: the first 16 hex digits of its SHA-256. */
export function keyFingerprint(publicKeyBase64: string): string {
  return createHash('sha256').update(publicKeyBase64).digest('hex').slice(0, 16);
}

export function signCheckpoint(
  head: { seq: bigint; hash: string },
  signedAt: string,
  keys: { privateKey: KeyObject; publicKey: KeyObject },
): SignedCheckpoint {
  const seq = head.seq.toString();
  return {
    kind: 'keel-audit-checkpoint',
    version: 1,
    seq,
    hash: head.hash,
    signedAt,
    publicKey: publicKeyText(keys.publicKey),
    signature: sign(null, message(seq, head.hash, signedAt), keys.privateKey).toString('base64'),
  };
}

export function signatureHolds(checkpoint: SignedCheckpoint, publicKey: KeyObject | null): boolean {
  if (!publicKey) return false;
  try {
    return verify(
      null,
      message(checkpoint.seq, checkpoint.hash, checkpoint.signedAt),
      publicKey,
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/** Reads a checkpoint given from outside (a file); refuses anything that is not one. */
export function parseCheckpoint(text: string, where: string): SignedCheckpoint {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KeelError('invalid_checkpoint', `${where} is not a Keel audit checkpoint (not JSON)`);
  }
  const fields = ['seq', 'hash', 'signedAt', 'publicKey', 'signature'] as const;
  const wellFormed =
    value &&
    value.kind === 'keel-audit-checkpoint' &&
    value.version === 1 &&
    fields.every((f) => typeof value[f] === 'string') &&
    /^\d{1,19}$/.test(value.seq as string) &&
    /^[0-9a-f]{64}$/.test(value.hash as string);
  if (!wellFormed)
    throw new KeelError(
      'invalid_checkpoint',
      `${where} is not a Keel audit checkpoint (fields missing or malformed)`,
    );
  return value as unknown as SignedCheckpoint;
}
