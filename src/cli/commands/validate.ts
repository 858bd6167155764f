import type { z } from 'zod';
import { UsageError } from '../errors.ts';

/** Validates command-line input with a schema; the first problem becomes a usage error naming the argument. */
export function parseOrUsage<T>(schema: z.ZodType<T>, input: unknown, names: Record<string, string>): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  const name =
    names[field] ?? (field ? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'argument');
  throw new UsageError(`${name}: ${issue.message}`);
}
