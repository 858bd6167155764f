/**
 * The query fields every server-paged list shares: a page (where it starts, how long it is, both capped by
 * the server) and a comma list of allowed values (the deals list's stages, the ledger's kinds).
 */
import { z } from 'zod';

/** A page of a list: where it starts and how long it is (the server caps both). */
export const paging = {
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

/** One value, or several separated by commas (`stage=exited,declined`); each must be one of `values`. */
export const commaList = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((text) => text.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)).max(values.length));
