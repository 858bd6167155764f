import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { registerAdminRoutes } from './admin.ts';
import { registerAllocationRoutes } from './allocation.ts';
import { registerAuthRoutes } from './auth.ts';
import { registerCommitteeRoutes } from './committee.ts';
import { registerCreditRoutes } from './credit.ts';
import { registerDealRoutes } from './deals.ts';
import { registerFileRoutes } from './files.ts';
import { registerFindabilityRoutes } from './findability.ts';
import { registerGovernanceRoutes } from './governance.ts';
import { registerLedgerRoutes } from './ledger.ts';
import { registerNetworkRoutes } from './network.ts';
import { registerProgrammeRoutes } from './programme.ts';
import { registerReportRoutes } from './reports.ts';
import { registerResearchRoutes } from './research.ts';

export interface RouteOptions {
  secureCookies: boolean;
  loginRateLimit: number;
}

export function registerRoutes(app: FastifyInstance, ctx: AppContext, options: RouteOptions): void {
  registerAuthRoutes(app, ctx, options);
  registerProgrammeRoutes(app, ctx);
  registerDealRoutes(app, ctx);
  registerLedgerRoutes(app, ctx);
  registerFileRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerAllocationRoutes(app, ctx);
  registerCommitteeRoutes(app, ctx);
  registerResearchRoutes(app, ctx);
  registerNetworkRoutes(app, ctx);
  registerReportRoutes(app, ctx);
  registerGovernanceRoutes(app, ctx);
  registerCreditRoutes(app, ctx);
  registerFindabilityRoutes(app, ctx);
}
