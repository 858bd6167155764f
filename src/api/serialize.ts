import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { jsonText } from '../domain/json-text.ts';

/** JSON for the API: bigints (money in cents, sequence numbers) become decimal strings, exact at any size. */
export const toJson = (payload: unknown): string => jsonText(payload);

/**
 * Fastify's serializer for a route's response schema: the answer goes out as the schema's output, so a
 * field the schema does not name is not sent. `strict` (the test suite) also refuses an answer the schema
 * does not fit or would drop a field of, so every test that calls a route checks its contract; otherwise
 * such an answer goes out as it was made and a warning names the route.
 */
export function responseSerializer(strict: boolean) {
  return ({ schema, method, url }: { schema: unknown; method: string; url: string }) => {
    if (!(schema instanceof z.ZodType)) return toJson;
    return (data: unknown): string => {
      const parsed = schema.safeParse(data);
      const problem = !parsed.success
        ? z.prettifyError(parsed.error)
        : strict && !isDeepStrictEqual(JSON.parse(toJson(data)), JSON.parse(toJson(parsed.data)))
          ? `fields the schema does not name: ${undeclared(JSON.parse(toJson(data)), JSON.parse(toJson(parsed.data))).join(', ')}`
          : null;
      if (problem === null) return toJson(parsed.data);
      const message = `the answer of ${method} ${url} does not fit its response schema: ${problem}`;
      if (strict) {
        // The 500 the client gets names only a request id; the test run shows the mismatch itself.
        console.error(message);
        throw new Error(message);
      }
      process.emitWarning(message);
      return toJson(data);
    };
  };
}

function undeclared(sent: unknown, kept: unknown, path = ''): string[] {
  if (Array.isArray(sent) && Array.isArray(kept))
    return sent.flatMap((v, i) => undeclared(v, kept[i], `${path}[${i}]`)).slice(0, 5);
  if (sent && typeof sent === 'object' && kept && typeof kept === 'object') {
    const k = kept as Record<string, unknown>;
    return Object.entries(sent).flatMap(([key, v]) =>
      key in k ? undeclared(v, k[key], `${path}.${key}`) : [`${path}.${key}`],
    );
  }
  return isDeepStrictEqual(sent, kept)
    ? []
    : [`${path} (${JSON.stringify(sent)} became ${JSON.stringify(kept)})`];
}
