/**
 * Whose an idempotency key is. A client's key (the Idempotency-Key header, `--key`) belongs to the principal
 * who sent it: it is stored under that principal, so it can only ever meet the same principal's own earlier
 * requests, and a key of another principal is simply a different key. A key the server makes for itself (a
 * file's hash, a token id) is a `ServerKey`: it lives in a namespace no client key can reach, whoever the
 * principal is and whatever the key's text, so no client can claim it first.
 */
import { randomBytes } from 'node:crypto';
import type { Actor } from './context.ts';

/** The owner of every key the server makes. A client key's owner always starts with `principal:`. */
const SERVER_OWNER = 'server';

/**
 * A key the server makes for an operation that is the same whoever asks for it (load this programme file,
 * revoke this token, import this file): every principal who repeats the operation meets the same key and
 * gets the stored response. So a server key is only for operations whose response carries nothing that
 * depends on who asked; build one with `serverKey`. (A class with a private field: no plain string or
 * look-alike object can be passed where a ServerKey is expected.)
 */
export class ServerKey {
  readonly #text: string;
  private constructor(text: string) {
    this.#text = text;
  }
  get text(): string {
    return this.#text;
  }
  /** Parts joined with `:`, e.g. `serverKey('token', 'revoke', id)`. */
  static of(parts: readonly string[]): ServerKey {
    return new ServerKey(parts.join(':'));
  }
}

/** A server key for an operation named by its parts, e.g. `serverKey('programme', sha256)`. */
export const serverKey = (...parts: string[]): ServerKey => ServerKey.of(parts);

/** Either the client's own key, as it was sent, or a key the server made for itself. */
export type WriteKey = string | ServerKey;

/** Where a key is stored: its owner (a principal, or the server) and its text. */
export interface StoredKey {
  owner: string;
  key: string;
  madeByServer: boolean;
}

export function storedKey(key: WriteKey, actor: Actor): StoredKey {
  if (key instanceof ServerKey) return { owner: SERVER_OWNER, key: key.text, madeByServer: true };
  return { owner: `principal:${actor.id}`, key, madeByServer: false };
}

/**
 * A key the server makes in a namespace clients write too (a ledger entry's key is unique across the
 * ledger, and clients choose theirs): the parts say what it is for, 96 random bits make sure no client
 * can claim it first.
 */
export const unguessableKey = (...parts: string[]): string =>
  [...parts, randomBytes(12).toString('base64url')].join(':');
