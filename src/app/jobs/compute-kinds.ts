/**
 * Long computations as durable jobs: projections, optimiser runs, the credit book's simulated loss. They
 * write nothing, so a takeover after their runner died simply runs them again (they are seeded: the same
 * answer). Each kind's input schema is the one its routes validate with.
 */
import { z } from 'zod';
import { authorize } from '../../domain/roles.ts';
import { projectEquityBook, projectionQuerySchema } from '../allocation.ts';
import {
  type PortfolioRiskInput,
  portfolioRisk,
  portfolioRiskInputSchema,
} from '../credit/portfolio-risk.ts';
import { type OptimiseInput, optimise, optimiseInputSchema } from '../optimiser.ts';
import { QUEUES } from './hub.ts';
import { registerJobKind } from './kinds.ts';

/** Over HTTP a projection has at most this many paths; larger runs belong to `keel project`. */
export const API_MAX_PATHS = 200_000;

export const apiProjectionQuerySchema = projectionQuerySchema.extend({
  paths: z.coerce.number().int().min(100).max(API_MAX_PATHS).default(10_000),
});

export const projectionJob = registerJobKind<z.infer<typeof apiProjectionQuerySchema>>({
  name: 'projection',
  queue: QUEUES.work,
  input: apiProjectionQuerySchema,
  authorize: (actor) => authorize(actor, 'programme.detail'),
  writes: false,
  label: 'projection',
  noEffect: 'nothing was written',
  async run(ctx, actor, input, control) {
    const result = await projectEquityBook(ctx, actor, input, {
      signal: control.signal,
      onProgress: (done, total) => control.onProgress(done, total, { done, total }, done === total),
    });
    return { result };
  },
});

export const optimisationJob = registerJobKind<OptimiseInput>({
  name: 'optimisation',
  queue: QUEUES.work,
  input: optimiseInputSchema,
  authorize: (actor) => authorize(actor, 'deals.read'),
  writes: false,
  label: 'optimisation',
  noEffect: 'nothing was written',
  async run(ctx, actor, input, control) {
    const result = await optimise(ctx, actor, input, {
      signal: control.signal,
      onProgress: (p) => control.onProgress(p.done, p.total, p, p.stage === 'done'),
    });
    return { result };
  },
});

export const portfolioRiskJob = registerJobKind<PortfolioRiskInput>({
  name: 'portfolio_risk',
  queue: QUEUES.work,
  input: portfolioRiskInputSchema as z.ZodType<PortfolioRiskInput>,
  authorize: (actor) => authorize(actor, 'credit.read'),
  writes: false,
  label: 'portfolio risk simulation',
  noEffect: 'nothing was written',
  async run(ctx, actor, input, control) {
    const result = await portfolioRisk(ctx, actor, input, {
      signal: control.signal,
      onProgress: (done, total) => control.onProgress(done, total, { done, total }, done === total),
    });
    return { result };
  },
});
