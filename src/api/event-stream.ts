/**
 * Long work answered as server-sent events: `progress` while it runs (at most every 100 ms, and always the
 * one the work marks as its last), then `result`, or `failure` with the message. The response closing
 * before the work ends means the client went away (a closed tab, EventSource.close(), an aborted fetch):
 * that aborts the work (abort-on-close.ts).
 */
import type { FastifyReply } from 'fastify';
import { abortedWhenClientLeaves } from './abort-on-close.ts';
import { toJson } from './serialize.ts';

const PROGRESS_EVERY_MS = 100;

export interface StreamControl<P> {
  signal: AbortSignal;
  onProgress: (progress: P, last?: boolean) => void;
}

/**
 * `start` refuses by throwing before it returns (the use case's authorisation), so a refusal is answered
 * with its own status code: the stream's headers are written only once the work is under way.
 */
export async function answerAsEventStream<P, R>(
  reply: FastifyReply,
  start: (control: StreamControl<P>) => Promise<R>,
): Promise<void> {
  const signal = abortedWhenClientLeaves(reply.request, reply);
  const out = reply.raw;
  const send = (event: string, data: unknown) => out.write(eventText(event, toJson(data)));
  let lastSent = 0;
  const work = start({
    signal,
    onProgress: (progress, last = false) => {
      const now = Date.now();
      if (!last && now - lastSent < PROGRESS_EVERY_MS) return;
      lastSent = now;
      send('progress', progress);
    },
  });
  openEventStream(reply);
  try {
    send('result', await work);
  } catch (error) {
    if (!signal.aborted) send('failure', { message: (error as Error).message });
  } finally {
    out.end();
  }
}

/** Takes the response over from Fastify and opens it as a stream of server-sent events (200, no caching). */
export function openEventStream(reply: FastifyReply): void {
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
}

/** One event as it goes on the wire; `data` is its JSON text. */
export const eventText = (event: string, data: string) => `event: ${event}\ndata: ${data}\n\n`;
