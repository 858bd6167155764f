/**
 * The public record: reported deals (private side: the list sits beside the booked deals), and the White
 * House statements the peer awards cite, searchable by everyone (public documents). The peer register itself
 * is `/api/peers`; imports go through `/api/imports/public-deals` and `/api/imports/peer-awards`.
 * Responses are camelCase; amounts are cent strings, null where the source states no figure.
 */
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { reportedDeals, searchStatements, statement } from '../../app/public-record/read.ts';
import {
  reportedDealsResponse,
  searchStatementsResponse,
  statementResponse,
} from '../responses/public-record.ts';
import { route } from '../route.ts';

const statementPath = z
  .string()
  .max(400)
  .regex(
    /^[a-z-]+\/\d{4}-\d{2}\/[A-Za-z0-9%._-]+\.md$/,
    'is not a statement path like statements-releases/2024-03/….md',
  );

export function publicRecordRoutes(ctx: AppContext) {
  return {
    listReportedDeals: route({
      method: 'GET',
      url: '/api/public-record/deals',
      access: 'deals.read',
      summary:
        'Reported deals of the programme with role, reported total, own amount (null = undisclosed), status (unverified = lead) and sources',
      tags: ['public-record'],
      response: reportedDealsResponse,
      handler: async ({ principal }) => ({ deals: await reportedDeals(ctx, principal) }),
    }),
    searchStatements: route({
      method: 'GET',
      url: '/api/public-record/statements',
      access: 'programme.aggregates',
      summary: 'White House statements on the peer programmes, full-text searched (q), newest first',
      tags: ['public-record'],
      query: z.object({
        q: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: searchStatementsResponse,
      handler: async ({ principal, query }) => searchStatements(ctx, principal, query),
    }),
    getStatement: route({
      method: 'GET',
      url: '/api/public-record/statement',
      access: 'programme.aggregates',
      summary:
        'One statement as published (markdown text; clients show it as text), with the awards that cite it',
      tags: ['public-record'],
      query: z.object({ path: statementPath }),
      response: statementResponse,
      handler: async ({ principal, query }) => statement(ctx, principal, query.path),
    }),
  };
}
