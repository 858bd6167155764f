/**
 * The pieces every response schema is built from. A schema's input side is what a use case returns
 * (bigint cents, Date); its output side is the wire (decimal strings, ISO text), so a handler cannot return
 * a float where cents belong and a client reads strings, exact at any size.
 */
import { z } from 'zod';
import type { ErrorCode } from '../../domain/errors.ts';
import { INSTRUMENTS } from '../../domain/instruments.ts';
import { STAGES } from '../../domain/stages.ts';
import { STATUS } from '../errors.ts';

const DECIMAL = /^-?\d+$/;

/** An integer amount in cents, as a decimal string on the wire. */
export const centsString = z
  .union([z.bigint(), z.string().regex(DECIMAL)])
  .transform((v) => v.toString())
  .pipe(z.string().regex(DECIMAL).describe('integer cents as a decimal string'));

/** Any other bigint (a sequence number, a database id), as a decimal string on the wire. */
export const bigintString = z
  .union([z.bigint(), z.string().regex(DECIMAL)])
  .transform((v) => v.toString())
  .pipe(z.string().regex(DECIMAL).describe('an integer as a decimal string'));

/** A point in time as ISO 8601 text (the database's timestamps may arrive as Date or as text). */
export const timestamp = z
  .union([z.date(), z.string()])
  .transform((v) => (v instanceof Date ? v.toISOString() : v))
  .pipe(z.string().describe('a time, ISO 8601'));

/**
 * A deal's stage and instrument: stored as text, sent as the domain's values, so a client compares them with
 * the domain's unions and the type checker refuses a stage that does not exist.
 */
export const stageField = z.string().pipe(z.enum(STAGES));
export const instrumentField = z.string().pipe(z.enum(INSTRUMENTS));

const ERROR_CODES = Object.keys(STATUS) as [ErrorCode, ...ErrorCode[]];

/** Every refusal: a code from the closed table in api/errors.ts, a message for people, details for code. */
export const errorBodySchema = z
  .object({
    error: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'ErrorBody' });

/** What every write answers: the use case's result, and whether the key was seen before (nothing written). */
export function writeResult<T extends z.ZodType>(result: T) {
  return z.object({ result, replayed: z.boolean() });
}
