/**
 * One text form per value: object keys sorted, bigints tagged. Hashes and idempotency fingerprints are taken
 * over this form, so the same request always hashes the same, whatever order its keys arrived in.
 */
const BIGINT_TAG = '$bigint';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (typeof value === 'bigint') return { [BIGINT_TAG]: value.toString() };
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = normalise(item);
    }
    return out;
  }
  return value;
}

/** Reads canonical JSON back, turning tagged bigints into bigints again. */
export function parseCanonicalJson<T>(text: string): T {
  return JSON.parse(text, (_key, item) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const keys = Object.keys(item);
      if (keys.length === 1 && keys[0] === BIGINT_TAG) return BigInt(item[BIGINT_TAG]);
    }
    return item;
  }) as T;
}
