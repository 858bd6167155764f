/**
 * Durable jobs of every kind (app/jobs/), through any server: a user's own jobs (the admin: everyone's), one
 * job, its events, its result, and cancelling it. Anyone else's job is answered as not found.
 */
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { cancelJob, jobResultOf, jobStatus, listMyJobs, watchJob } from '../../app/jobs/use-cases.ts';
import { paging } from '../../app/list-query.ts';
import { answerAsEventStream } from '../event-stream.ts';
import { cancelJobResponse, getJobResponse, jobResultResponse, listJobsResponse } from '../responses/jobs.ts';
import { route } from '../route.ts';

const jobParams = z.object({ id: z.string().regex(/^[a-z]{3}_[A-Za-z0-9_-]{1,40}$/, 'is not a job id') });
const tags = ['jobs'];

export function jobRoutes(ctx: AppContext) {
  return {
    listJobs: route({
      method: 'GET',
      url: '/api/jobs',
      access: 'authenticated',
      summary: 'My durable jobs, newest first (the admin: everyone’s), paged',
      tags,
      query: z.object(paging),
      response: listJobsResponse,
      handler: ({ principal, query }) => listMyJobs(ctx, principal, query),
    }),
    getJob: route({
      method: 'GET',
      url: '/api/jobs/:id',
      access: 'authenticated',
      summary: 'A durable job: kind, status, progress (its owner and the admin only)',
      tags,
      params: jobParams,
      response: getJobResponse,
      handler: ({ principal, params }) => jobStatus(ctx, principal, params.id),
    }),
    watchJob: route({
      method: 'GET',
      url: '/api/jobs/:id/events',
      access: 'authenticated',
      summary:
        'A job as server-sent events, from any server: `progress` (the job) while it is queued or runs, then `result` (the ended job); closing this stream stops the watching, not the job',
      tags,
      params: jobParams,
      produces: ['text/event-stream'],
      async handler({ principal, params, reply }) {
        // Refused (404) before the stream's headers go out: the stream answers 200 once it has started.
        await jobStatus(ctx, principal, params.id);
        return answerAsEventStream<unknown, unknown>(reply, ({ signal, onProgress }) =>
          watchJob(ctx, principal, params.id, { signal, onProgress: (job) => onProgress(job) }),
        );
      },
    }),
    getJobResult: route({
      method: 'GET',
      url: '/api/jobs/:id/result',
      access: 'authenticated',
      summary:
        'The result of a finished job: JSON with the job, or the file itself (a report’s PDF); 409 while it runs or if it failed',
      tags,
      params: jobParams,
      response: jobResultResponse,
      async handler({ principal, params, reply }) {
        const answer = await jobResultOf(ctx, principal, params.id);
        if (answer.kind === 'json') return { job: answer.job, result: answer.result };
        return reply
          .type(answer.contentType)
          .header('content-disposition', `attachment; filename="${answer.fileName}"`)
          .send(Buffer.from(answer.data));
      },
    }),
    cancelJob: route({
      method: 'DELETE',
      url: '/api/jobs/:id',
      access: 'authenticated',
      summary:
        'Cancel a job (its owner, or the admin: audited); a running one ends `cancelled` shortly, with nothing written',
      tags,
      params: jobParams,
      response: cancelJobResponse,
      handler: ({ principal, params }) => cancelJob(ctx, principal, params.id),
    }),
  };
}
