/**
 * The one place a request learns that its client went away (a closed tab, an aborted fetch, a dropped
 * connection): the response closing before it was finished. Every route gets this signal; heavy work takes
 * it down to the use cases, which stop computing (and writing) when it aborts. The response's `close`, not
 * the request's, is what tells: the request's fires once its body is read, long before a client leaves.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const signals = new WeakMap<FastifyRequest, AbortSignal>();

export function abortedWhenClientLeaves(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const known = signals.get(request);
  if (known) return known;
  const controller = new AbortController();
  const response = reply.raw;
  const gone = () => !response.writableFinished;
  // A client can leave while the request waits (authentication, a queue): then `close` has been and gone.
  if (request.raw.socket?.destroyed || response.destroyed) controller.abort();
  else
    response.once('close', () => {
      if (gone()) controller.abort();
    });
  signals.set(request, controller.signal);
  return controller.signal;
}
