/**
 * The server side of the hand-over: a Keel server holding the embedded data folder runs `keel` commands for
 * callers beside it, on its own open database, with the same command code the CLI runs alone. It listens on
 * 127.0.0.1 only, on a port of the system's choosing, apart from the API (no cookies, no public route), and
 * takes a command only with the per-start credential it wrote, owner-only, into the data folder's lock.
 *
 * Protocol: POST /run with `Authorization: Bearer TOKEN` and {argv, cwd, password?}; the answer streams
 * NDJSON lines {"out": text} / {"err": text} as the command writes, then {"exit": code}.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { AppContext } from '../app/context.ts';
import { publishHandover, withdrawHandover } from '../db/data-folder-lock.ts';
import { runHosted } from './io.ts';

const MAX_BODY_BYTES = 64 * 1024;

const runRequest = z.object({
  argv: z.array(z.string().max(4096)).max(100),
  cwd: z.string().min(1).max(4096),
  password: z.string().max(1024).optional(),
});

export type RunCommand = (argv: string[]) => Promise<number>;

export interface HandoverServer {
  url: string;
  close(): Promise<void>;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export async function startHandover(
  ctx: AppContext,
  dataDir: string,
  run: RunCommand,
): Promise<HandoverServer> {
  const token = randomBytes(32).toString('base64url');
  const expected = digest(token);
  // Equal-length digests, compared in constant time: the answer's timing says nothing about the token.
  const authorised = (request: IncomingMessage) => {
    const header = request.headers.authorization ?? '';
    return header.startsWith('Bearer ') && timingSafeEqual(digest(header.slice(7)), expected);
  };
  const running = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    const work = handle(request, response).catch(() => {
      response.destroy();
    });
    running.add(work);
    work.finally(() => running.delete(work));
  });
  async function handle(request: IncomingMessage, response: ServerResponse) {
    if (request.method !== 'POST' || request.url !== '/run') return reply(response, 404, 'not found');
    if (!authorised(request)) return reply(response, 401, 'wrong local credential');
    const body = await readBody(request);
    if (body === null) return reply(response, 413, 'request too large');
    let parsed: z.infer<typeof runRequest>;
    try {
      parsed = runRequest.parse(JSON.parse(body));
    } catch {
      return reply(response, 400, 'invalid request');
    }
    const aborted = new AbortController();
    let finished = false;
    response.on('close', () => {
      if (!finished) aborted.abort(new Error('cancelled by the user'));
    });
    response.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    const line = (value: object) => {
      if (!response.destroyed) response.write(`${JSON.stringify(value)}\n`);
    };
    const code = await runHosted(
      {
        out: (text) => line({ out: text }),
        err: (text) => line({ err: text }),
        cwd: parsed.cwd,
        password: parsed.password,
        signal: aborted.signal,
        ctx,
      },
      () => run(parsed.argv),
    );
    finished = true;
    line({ exit: code });
    response.end();
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  publishHandover(dataDir, { url, token });
  return {
    url,
    /** Stops taking commands; the ones under way are cancelled (as by their caller's Ctrl-C) and awaited. */
    async close() {
      withdrawHandover(dataDir);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.allSettled([...running]);
      await closed;
    },
  };
}

function reply(response: ServerResponse, status: number, message: string) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: message }));
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
