/** What the generic job routes answer (routes/jobs.ts). */
import { z } from 'zod';

export const jobSchema = z.object({
  id: z.string(),
  /** 'projection', 'optimisation', 'portfolio_risk', 'import.<what>', … */
  kind: z.string(),
  owner: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  done: z.number(),
  total: z.number(),
  /** The latest progress as the kind's stream shows it. */
  progress: z.unknown().optional(),
  error: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
});

export const listJobsResponse = z.object({ jobs: z.array(jobSchema), total: z.number().int() });

export const getJobResponse = jobSchema;

/** A job just queued (202): follow it at /api/jobs/:id, its file at /api/jobs/:id/result. */
export const startedJobResponse = jobSchema;

export const cancelJobResponse = jobSchema;

/** A JSON result with its job; a binary one (a PDF) is sent as itself. */
export const jobResultResponse = z.object({ job: jobSchema, result: z.unknown() });
