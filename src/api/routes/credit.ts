import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { irbFigures, irbQuerySchema } from '../../app/credit/irb.ts';
import { addRoute } from '../route.ts';

const tags = ['credit'];

export function registerCreditRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/api/credit/irb',
    access: 'credit.read',
    summary:
      'Basel II corporate IRB figures for one exposure (BCBS 2006 ¶272–273): correlation, maturity adjustment, K, risk weight',
    tags,
    query: irbQuerySchema,
    handler: async ({ principal, query }) => irbFigures(principal, query),
  });
}
