/**
 * A saved view: a user's own name for a list page's filters and sort, kept as the URL query that page
 * reads (`stage=sourced&sort=name`). Opening it is following the link; nothing else is stored.
 */
import { z } from 'zod';
import type { Permission } from './roles.ts';

/** The pages whose state lives in the URL and can be saved. */
export const SAVED_VIEW_PAGES = ['deals', 'companies', 'pipeline', 'audit', 'ledger'] as const;
export type SavedViewPage = (typeof SAVED_VIEW_PAGES)[number];

/** What a user must be allowed to read to keep a view of a page: the page's own data. */
export const SAVED_VIEW_READS = {
  deals: 'deals.read',
  companies: 'companies.read',
  pipeline: 'deals.read',
  audit: 'audit.read',
  ledger: 'ledger.read',
} as const satisfies Record<SavedViewPage, Permission>;

/** One user keeps at most this many views per page: a list a person can scan, not a store. */
export const MAX_VIEWS_PER_PAGE = 50;

const viewQuery = z
  .string()
  .max(2000, 'is longer than 2,000 characters')
  .refine((text) => !/[#\s]/.test(text), 'is a URL query: no "#" or spaces')
  .refine(
    (text) => [...new URLSearchParams(text).keys()].every((key) => /^[A-Za-z]{1,40}$/.test(key)),
    'has a parameter name that is not letters only',
  )
  // One canonical text per view: the order the page wrote it in, without empty values.
  .transform((text) =>
    new URLSearchParams([...new URLSearchParams(text)].filter(([, value]) => value !== '')).toString(),
  );

export const savedViewInputSchema = z.object({
  page: z.enum(SAVED_VIEW_PAGES),
  name: z.string().trim().min(1, 'is required').max(80, 'is longer than 80 characters'),
  query: viewQuery,
});
export type SavedViewInput = z.infer<typeof savedViewInputSchema>;
