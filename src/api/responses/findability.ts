/**
 * What the findability routes answer (routes/findability.ts): the paged deals list, stage totals, search,
 * saved views.
 */
import { z } from 'zod';
import { ENTRY_KINDS } from '../../domain/ledger.ts';
import { SAVED_VIEW_PAGES } from '../../domain/saved-views.ts';
import { SEARCH_KINDS, SUBJECT_KINDS } from '../../domain/search.ts';
import { bigintString, centsString, instrumentField, stageField, timestamp, writeResult } from './shared.ts';

export const listDealPageResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      /** Null for deals opened before deals had names (migration 0022): show the company's name. */
      name: z.string().nullable(),
      companyId: z.string(),
      company: z.string(),
      subAreaId: z.string(),
      subArea: z.string(),
      areaId: z.string(),
      instrument: instrumentField,
      amountCents: centsString,
      stage: stageField,
      team: z.array(z.string()),
      synthetic: z.boolean(),
      openedOn: z.string(),
      updatedAt: timestamp,
    }),
  ),
  /** How many deals match the filters in all (the page holds at most `limit` of them). */
  total: z.number(),
  offset: z.number(),
  limit: z.number(),
});

export const pipelineStageTotalsResponse = z.object({
  stages: z.array(z.object({ stage: stageField, deals: z.number(), amountCents: centsString })),
});

export const searchResponse = z.object({
  results: z.array(
    z.object({
      kind: z.enum(SEARCH_KINDS),
      id: z.string(),
      title: z.string(),
      subtitle: z.string(),
      /** What a note or document belongs to (a click opens it); null for a record itself. */
      about: z.object({ kind: z.enum(SUBJECT_KINDS), id: z.string() }).nullable(),
      /** Relevance, higher first (a float: ranking only). */
      score: z.number(),
    }),
  ),
});

export const listSavedViewsResponse = z.object({
  items: z.array(
    z.object({
      id: bigintString,
      page: z.enum(SAVED_VIEW_PAGES),
      name: z.string(),
      /** The page's URL query: open the view by going to the page with it. */
      query: z.string(),
      savedAt: timestamp,
    }),
  ),
});

export const saveViewResponse = writeResult(z.object({ id: bigintString, replaced: z.boolean() }));
export const removeSavedViewResponse = writeResult(z.object({ id: bigintString }));

export const listOrganisationPageResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      /** ISO 3166 alpha-2 code of the country of incorporation. */
      country: z.string(),
      /** The Keel company this organisation is, if it is one. */
      companyId: z.string().nullable(),
      /** In how many deals' capital stacks it stands, at any status. */
      deals: z.number(),
      /** What it has committed across those deals. */
      committedCents: centsString,
    }),
  ),
  total: z.number(),
  offset: z.number(),
  limit: z.number(),
});

export const listCompanyPageResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      hqCity: z.string().nullable(),
      /** FIPS code of the state (the web app shows its name). */
      hqStateFips: z.string().nullable(),
      ticker: z.string().nullable(),
      usBased: z.boolean(),
      existingClient: z.boolean(),
      synthetic: z.boolean(),
      /** How many deals the company has, at any stage. */
      deals: z.number(),
      amountCents: centsString,
    }),
  ),
  total: z.number(),
  offset: z.number(),
  limit: z.number(),
});

const entryKindField = z.string().pipe(z.enum(ENTRY_KINDS));

export const listLedgerPageResponse = z.object({
  items: z.array(
    z.object({
      /** The recorded order. */
      seq: bigintString,
      dealId: z.string(),
      /** Null for deals opened before deals had names: show the company's name. */
      dealName: z.string().nullable(),
      companyId: z.string(),
      company: z.string(),
      subAreaId: z.string(),
      kind: entryKindField,
      amountCents: centsString,
      effectiveOn: z.string(),
      note: z.string().nullable(),
      recordedAt: timestamp,
      /** Who recorded it: their id, and their name (the id when no user has it). */
      recordedBy: z.string(),
      recordedByName: z.string(),
    }),
  ),
  /** How many entries match the filters in all (the page holds at most `limit` of them). */
  total: z.number(),
  /** The filtered set per kind: every kind, in the ledger's order, with its exact sum (zero when none). */
  kinds: z.array(z.object({ kind: entryKindField, entries: z.number(), amountCents: centsString })),
  offset: z.number(),
  limit: z.number(),
});
