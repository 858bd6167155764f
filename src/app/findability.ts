/**
 * Finding things at the scale of thousands of deals: the deals list (paged, sorted and filtered on the
 * server), the pipeline's totals per stage, and global search. Search respects the information barrier by
 * the permission table: a kind of record is searched only for a principal who may read it, so the public
 * side (research analysts, the council) finds research nodes but no deal, company, organisation, note or
 * document, and learns nothing from a miss.
 */
import { z } from 'zod';
import { companyPage } from '../db/company-search.ts';
import { dealPage, stageTotals } from '../db/deal-search.ts';
import { searchRecords } from '../db/global-search.ts';
import { organisationPage } from '../db/organisation-search.ts';
import { slug } from '../domain/fields.ts';
import { INSTRUMENTS, PIPELINES } from '../domain/instruments.ts';
import { ORGANISATION_KINDS, organisationSchema } from '../domain/network.ts';
import { authorize, can } from '../domain/roles.ts';
import type { SearchKind } from '../domain/search.ts';
import { STAGES } from '../domain/stages.ts';
import { camelCased } from './camel-case.ts';
import type { Actor, AppContext } from './context.ts';
import { commaList, paging } from './list-query.ts';

export const dealFilterSchema = z.object({
  /** One stage, or several separated by commas (the board's "exited" column holds three). */
  stage: commaList(STAGES).optional(),
  areaId: slug.optional(),
  subAreaId: slug.optional(),
  instrument: z.enum(INSTRUMENTS).optional(),
  /** A desk's pipeline: its instruments. */
  pipeline: z.enum(PIPELINES.map((p) => p.id) as [string, ...string[]]).optional(),
  banker: z.string().trim().min(1).max(200).optional(),
  q: z.string().trim().max(200).optional(),
});

export const dealListQuerySchema = dealFilterSchema.extend({
  sort: z.enum(['amount', 'name', 'stage', 'updated']).default('amount'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  ...paging,
});

function toFilter(query: z.infer<typeof dealFilterSchema>) {
  const desk = query.pipeline ? PIPELINES.find((p) => p.id === query.pipeline)?.instruments : undefined;
  const instruments = query.instrument
    ? desk && !desk.includes(query.instrument)
      ? [] // an instrument outside the desk's pipeline: nothing matches
      : [query.instrument]
    : desk;
  return {
    stages: query.stage,
    areaId: query.areaId,
    subAreaId: query.subAreaId,
    instruments,
    banker: query.banker,
    text: query.q,
  };
}

export async function listDealPage(
  ctx: AppContext,
  actor: Actor,
  query: z.infer<typeof dealListQuerySchema>,
) {
  authorize(actor, 'deals.read');
  const page = await dealPage(ctx.database.db, toFilter(query), {
    sort: query.sort,
    direction: query.dir,
    offset: query.offset,
    limit: query.limit,
  });
  return { items: page.items.map(camelCased), total: page.total, offset: query.offset, limit: query.limit };
}

export async function pipelineStageTotals(
  ctx: AppContext,
  actor: Actor,
  query: z.infer<typeof dealFilterSchema>,
) {
  authorize(actor, 'deals.read');
  return { stages: await stageTotals(ctx.database.db, toFilter(query)) };
}

export const companyListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  sort: z.enum(['name', 'deals', 'amount']).default('name'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  ...paging,
});

/** The company index: a page of companies with their deal count and amount, private side only. */
export async function listCompanyPage(
  ctx: AppContext,
  actor: Actor,
  query: z.infer<typeof companyListQuerySchema>,
) {
  authorize(actor, 'companies.read');
  const page = await companyPage(ctx.database.db, query.q, {
    sort: query.sort,
    direction: query.dir,
    offset: query.offset,
    limit: query.limit,
  });
  const items = page.items.map((row) => ({ ...camelCased(row), deals: Number(row.deals) }));
  return { items, total: page.total, offset: query.offset, limit: query.limit };
}

export const organisationListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  /** One kind, or several separated by commas (a party picker offers every kind but companies). */
  kind: commaList(ORGANISATION_KINDS).optional(),
  country: organisationSchema.shape.country.optional(),
  sort: z.enum(['name', 'kind', 'country', 'deals', 'committed']).default('name'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  ...paging,
});

/** The client network's organisation index: a page of organisations with their deals and committed amount. */
export async function listOrganisationPage(
  ctx: AppContext,
  actor: Actor,
  query: z.infer<typeof organisationListQuerySchema>,
) {
  authorize(actor, 'network.read');
  const page = await organisationPage(
    ctx.database.db,
    { text: query.q, kinds: query.kind, country: query.country },
    { sort: query.sort, direction: query.dir, offset: query.offset, limit: query.limit },
  );
  const items = page.items.map((row) => ({ ...camelCased(row), deals: Number(row.deals) }));
  return { items, total: page.total, offset: query.offset, limit: query.limit };
}

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, 'type a word to search for').max(200),
  limit: z.coerce.number().int().min(1).max(25).default(8),
});

/** Which kinds of record a principal may find: exactly what they may read, so a miss reveals nothing. */
const SEARCHABLE: Array<[SearchKind, (actor: Actor) => boolean]> = [
  ['deal', (a) => can(a, 'deals.read')],
  ['company', (a) => can(a, 'companies.read')],
  ['organisation', (a) => can(a, 'network.read')],
  // Notes are on deals and on companies: a reader needs both.
  ['note', (a) => can(a, 'deals.read') && can(a, 'companies.read')],
  ['document', (a) => can(a, 'documents.read')],
  ['research', (a) => can(a, 'research.read')],
];

export async function search(ctx: AppContext, actor: Actor, query: z.infer<typeof searchQuerySchema>) {
  authorize(actor, 'programme.aggregates');
  const kinds = new Set(SEARCHABLE.filter(([, may]) => may(actor)).map(([kind]) => kind));
  const results = kinds.size ? await searchRecords(ctx.database.db, query.q, kinds, query.limit) : [];
  return { results };
}
