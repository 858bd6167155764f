import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { addRoute } from '../route.ts';
import { adminRoutes } from './admin.ts';
import { allocationRoutes } from './allocation.ts';
import { auditRoutes } from './audit.ts';
import { authRoutes } from './auth.ts';
import { committeeRoutes } from './committee.ts';
import { creditRoutes } from './credit.ts';
import { dealRoutes } from './deals.ts';
import { documentRoutes } from './documents.ts';
import { fileRoutes } from './files.ts';
import { findabilityRoutes } from './findability.ts';
import { governanceRoutes } from './governance.ts';
import { jobRoutes } from './jobs.ts';
import { ledgerRoutes } from './ledger.ts';
import { networkRoutes } from './network.ts';
import { notificationRoutes } from './notifications.ts';
import { programmeRoutes } from './programme.ts';
import { publicRecordRoutes } from './public-record.ts';
import { reportRoutes } from './reports.ts';
import { researchRoutes } from './research.ts';
import { setupRoutes } from './setup.ts';

export interface RouteOptions {
  secureCookies: boolean;
  loginRateLimit: number;
}

/** Every route map, by capability; a route's key in its map is its OpenAPI operationId. */
function routeMaps(ctx: AppContext, options: RouteOptions) {
  return [
    authRoutes(ctx, options),
    setupRoutes(ctx, options),
    programmeRoutes(ctx),
    dealRoutes(ctx),
    ledgerRoutes(ctx),
    auditRoutes(ctx),
    fileRoutes(ctx),
    jobRoutes(ctx),
    adminRoutes(ctx),
    allocationRoutes(ctx),
    committeeRoutes(ctx),
    researchRoutes(ctx),
    networkRoutes(ctx),
    reportRoutes(ctx),
    governanceRoutes(ctx),
    publicRecordRoutes(ctx),
    creditRoutes(ctx),
    findabilityRoutes(ctx),
    documentRoutes(ctx),
    notificationRoutes(ctx),
  ] as const;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** All routes by operationId: the type the web client and the contract types are derived from. */
export type ApiRoutes = UnionToIntersection<ReturnType<typeof routeMaps>[number]>;

export function registerRoutes(app: FastifyInstance, ctx: AppContext, options: RouteOptions): void {
  const seen = new Set<string>();
  for (const map of routeMaps(ctx, options)) {
    for (const [operationId, spec] of Object.entries(map)) {
      if (seen.has(operationId)) throw new Error(`two routes have the operationId ${operationId}`);
      seen.add(operationId);
      addRoute(app, ctx, operationId, spec as Parameters<typeof addRoute>[3]);
    }
  }
}
