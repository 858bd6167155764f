/**
 * Long work run as a durable job (app/jobs/) and answered as the same server-sent events as
 * event-stream.ts: first `job` {id, kind} (the job can then be read, watched or cancelled at /api/jobs/:id
 * through any server), `progress` while it runs (as the kind reports it), then `result` or `failure`. The job
 * runs on whichever server's worker took it; its progress reaches this stream through the job hub. The
 * client closing the stream before the end cancels the job, as closing the in-process stream did.
 */
import type { FastifyReply } from 'fastify';
import type { Actor, AppContext } from '../app/context.ts';
import type { Job } from '../app/jobs/job.ts';
import { cancelJob, jobResultOf, watchJob } from '../app/jobs/use-cases.ts';
import { abortedWhenClientLeaves } from './abort-on-close.ts';
import { eventText, openEventStream } from './event-stream.ts';
import { toJson } from './serialize.ts';

/** `start` queues the job; it refuses (throws) before the stream's headers go out, with its own status. */
export async function answerJobAsEventStream(
  reply: FastifyReply,
  ctx: AppContext,
  actor: Actor,
  start: () => Promise<Job>,
): Promise<void> {
  const job = await start();
  const signal = abortedWhenClientLeaves(reply.request, reply);
  const cancel = () => void cancelJob(ctx, actor, job.id).catch(() => {});
  if (signal.aborted) return cancel();
  signal.addEventListener('abort', cancel, { once: true });
  const out = reply.raw;
  const send = (event: string, text: string) => out.write(eventText(event, text));
  let lastProgress: string | undefined;
  const progress = (detail: unknown) => {
    if (detail === undefined) return;
    const text = toJson(detail);
    // The job's own reads (a poll, the end) repeat what a notice told already.
    if (text === lastProgress) return;
    lastProgress = text;
    send('progress', text);
  };
  openEventStream(reply);
  send('job', toJson({ id: job.id, kind: job.kind }));
  try {
    const ended = await watchJob(ctx, actor, job.id, {
      signal,
      onProgress: (now) => progress(now.progress),
    });
    // The last progress (a notice from another server may arrive after the job's end is read).
    progress(ended.progress);
    if (ended.status === 'done') {
      const answer = await jobResultOf(ctx, actor, job.id);
      send('result', toJson(answer.kind === 'json' ? answer.result : { ...answer, data: undefined }));
    } else send('failure', toJson({ message: ended.error ?? `the job ended ${ended.status}` }));
  } catch (error) {
    if (!signal.aborted) send('failure', toJson({ message: (error as Error).message }));
  } finally {
    signal.removeEventListener('abort', cancel);
    out.end();
  }
}
