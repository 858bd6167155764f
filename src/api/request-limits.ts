/**
 * Limits on what a request body may be, enforced before anything walks it. JSON is parsed by Keel's own
 * content-type parser: it measures the nesting depth with a loop over the text (no recursion, so a body of
 * 10,000 `[` cannot overflow the stack or pin the event loop), refuses prototype-poisoning keys, and only
 * then calls `JSON.parse`. Every later walk over a body (the NUL check, zod) is then bounded by the depth.
 */
import type { FastifyInstance } from 'fastify';
import { KeelError } from '../domain/errors.ts';

/** Largest JSON body (10 MiB): far above any form or batch Keel takes as JSON; files come as multipart. */
export const MAX_JSON_BYTES = 10 * 1024 * 1024;
/** Deepest nesting of arrays and objects: Keel's bodies go four levels deep; 32 leaves room without risk. */
export const MAX_JSON_DEPTH = 32;

/** The 1-based nesting depth at which `text` first exceeds `maxDepth`, or 0 if it never does. */
export function firstTooDeep(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character, including a quote
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > maxDepth) return depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return 0;
}

/** Keys that would reach an object's prototype if a body were ever merged into another object. */
const POISON = /__proto__|constructor|\\u00/;

function refusePoison(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new KeelError('invalid_json', 'the JSON body contains a "__proto__" key');
  if (key === 'constructor' && value && typeof value === 'object' && 'prototype' in value)
    throw new KeelError('invalid_json', 'the JSON body contains a "constructor.prototype" key');
  return value;
}

/** Parses a JSON body within the limits, or throws a KeelError that says which limit it broke. */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0)
    throw new KeelError('invalid_json', 'the body is empty but its content-type says application/json');
  if (firstTooDeep(text, MAX_JSON_DEPTH))
    throw new KeelError(
      'invalid_json',
      `the JSON body is nested more than ${MAX_JSON_DEPTH} levels deep; no Keel request needs that many`,
      { maxDepth: MAX_JSON_DEPTH },
    );
  try {
    // The reviver only runs when a suspicious key could be present: it costs a second pass otherwise.
    return POISON.test(text) ? JSON.parse(text, refusePoison) : JSON.parse(text);
  } catch (error) {
    if (error instanceof KeelError) throw error;
    throw new KeelError('invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Replaces Fastify's JSON parser with `parseJsonBody`, and refuses a declared length above the limit as
 * soon as the headers arrive, before the body is read or the caller authenticated.
 */
export function enforceRequestLimits(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const type = request.headers['content-type'] ?? '';
    if (type.startsWith('multipart/')) return; // uploads have their own, larger limit
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > MAX_JSON_BYTES) throw tooLarge();
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: MAX_JSON_BYTES },
    (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}

export const tooLarge = () =>
  new KeelError('payload_too_large', `the body is larger than ${MAX_JSON_BYTES / 1024 / 1024} MiB`, {
    maxBytes: MAX_JSON_BYTES,
  });

/** In a `u` regex a surrogate pair reads as one code point, so this matches only a lone surrogate. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a string cannot be stored as text, or null: PostgreSQL text holds neither NUL nor half a character. */
function unstorable(text: string): string | null {
  if (text.includes('\u0000')) return 'a NUL character, which text fields cannot hold';
  if (LONE_SURROGATE.test(text)) return 'a lone UTF-16 surrogate, which is not well-formed Unicode text';
  return null;
}

/**
 * The first string (value or key) that text columns cannot store, with its path and the reason, or null.
 * Iterative: bodies can be wide.
 */
export function findUnstorableText(root: unknown): { path: string; problem: string } | null {
  const stack: Array<[unknown, string]> = [[root, '']];
  while (stack.length) {
    const [value, path] = stack.pop() as [unknown, string];
    if (typeof value === 'string') {
      const problem = unstorable(value);
      if (problem) return { path: path || 'the request', problem };
    } else if (value && typeof value === 'object') {
      const entries = Object.entries(value);
      // Pushed in reverse, so the first field in the request is reported first.
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        const itemPath = path ? `${path}.${key}` : key;
        const keyProblem = unstorable(key);
        if (keyProblem) return { path: `a field name in ${path || 'the request'}`, problem: keyProblem };
        stack.push([item, itemPath]);
      }
    }
  }
  return null;
}
