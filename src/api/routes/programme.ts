import type { AppContext } from '../../app/context.ts';
import { publicAggregates, seesSuppressedFigures } from '../../app/public-aggregates.ts';
import { programmeAggregates, programmeSummary } from '../../app/summary.ts';
import { listSubAreas } from '../../app/taxonomy.ts';
import {
  listSubAreasResponse,
  programmeAggregatesResponse,
  programmeSummaryResponse,
} from '../responses/programme.ts';
import { route } from '../route.ts';

export function programmeRoutes(ctx: AppContext) {
  return {
    programmeSummary: route({
      method: 'GET',
      url: '/api/programme/summary',
      access: 'programme.detail',
      summary: 'Programme summary with cap usage per company (private side)',
      tags: ['programme'],
      response: programmeSummaryResponse,
      handler: ({ principal }) => programmeSummary(ctx, principal),
    }),
    programmeAggregates: route({
      method: 'GET',
      url: '/api/programme/aggregates',
      access: 'programme.aggregates',
      summary:
        "Programme totals by year, area, sub-area, instrument and stage; no counterparty-level data. The public side sees no figure that fewer than k deals add up to (k: the programme file's disclosure.minimumCellSize).",
      tags: ['programme'],
      response: programmeAggregatesResponse,
      handler: ({ principal }) =>
        seesSuppressedFigures(principal)
          ? publicAggregates(ctx, principal)
          : programmeAggregates(ctx, principal),
    }),
    listSubAreas: route({
      method: 'GET',
      url: '/api/taxonomy',
      access: 'taxonomy.read',
      summary: 'Core areas and sub-areas',
      tags: ['programme'],
      response: listSubAreasResponse,
      handler: async ({ principal }) => ({ items: await listSubAreas(ctx, principal) }),
    }),
  };
}
