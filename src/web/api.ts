/**
 * The web app's only door to the server: JSON in and out, the session's CSRF token on writes, clear errors.
 * Typed from the route maps (api/contract.ts, imported as types only, so no server code reaches the
 * bundle): a page names a route by its path template, and the type checker refuses a body, query or params
 * the route does not take and a field its response does not have.
 */
import type { ApiContract, BodyOf, PathOf, QueryOf, ResponseOf, RouteKey } from '../api/contract.ts';

export type { BodyOf, ResponseOf } from '../api/contract.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The server's `details` (for a refusal, the permission it turned on). */
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

export type Me = ResponseOf<'GET /api/me'>;

/** `/api/deals/:id/stack` → 'id'. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
type PathParams<P extends string> = Record<ParamNames<P>, string | number | bigint>;

type PathOfKey<K extends RouteKey> = K extends `${string} ${infer P}` ? P : never;

/** What a call to route K takes: params when the path has any, its body, its query; nothing else. */
export type CallOptions<K extends RouteKey> = ([ParamNames<PathOfKey<K>>] extends [never]
  ? { params?: never }
  : { params: PathParams<PathOfKey<K>> }) &
  ([BodyOf<K>] extends [never] ? { body?: never } : { body: BodyOf<K> }) &
  ([QueryOf<K>] extends [never] ? { query?: never } : { query?: QueryOf<K> }) & {
    /** A multipart upload (a CSV import) instead of a JSON body. */
    form?: FormData;
    signal?: AbortSignal;
  };

/** Options may be left out when the route needs none. */
type Rest<K extends RouteKey> =
  object extends CallOptions<K> ? [options?: CallOptions<K>] : [options: CallOptions<K>];

/** The URL of a route with its params and query filled in. */
export function urlFor(
  path: string,
  options: { params?: Record<string, string | number | bigint>; query?: unknown } = {},
): string {
  const filled = path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = options.params?.[name];
    if (value === undefined) throw new Error(`${path}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
  const query = Object.entries((options.query ?? {}) as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && v !== null && v !== '',
  );
  return query.length
    ? `${filled}?${new URLSearchParams(query.map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]))}`
    : filled;
}

function request(
  method: string,
  url: string,
  options: { body?: unknown; form?: FormData | undefined; signal?: AbortSignal | undefined },
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') {
    headers['idempotency-key'] = crypto.randomUUID();
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  return fetch(url, { method, headers, body, credentials: 'same-origin', signal: options.signal ?? null });
}

async function failure(response: Response): Promise<ApiError> {
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  return new ApiError(
    response.status,
    data?.error ?? 'error',
    data?.message ?? response.statusText,
    data?.details ?? null,
  );
}

async function call<K extends RouteKey>(method: string, path: string, options?: CallOptions<K>) {
  const response = await request(method, urlFor(path, options as never), options ?? {});
  if (!response.ok) throw await failure(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as ResponseOf<K>;
}

/** The typed client: `api.get('/api/deals/:id', { params: { id } })` answers the deal's response type. */
export const api = {
  get: <P extends PathOf<'GET'>>(path: P, ...[options]: Rest<`GET ${P}` & RouteKey>) =>
    call<`GET ${P}` & RouteKey>('GET', path, options),
  post: <P extends PathOf<'POST'>>(path: P, ...[options]: Rest<`POST ${P}` & RouteKey>) =>
    call<`POST ${P}` & RouteKey>('POST', path, options),
  delete: <P extends PathOf<'DELETE'>>(path: P, ...[options]: Rest<`DELETE ${P}` & RouteKey>) =>
    call<`DELETE ${P}` & RouteKey>('DELETE', path, options),
};

export type { ApiContract };

/**
 * A POST answered as server-sent events (`progress`…, then `result` or `failure`): EventSource can only
 * GET. Aborting `signal` closes the response, which cancels the work on the server. The result is what
 * the same route without `/stream` answers.
 */
export async function postEventStream<P extends PathOf<'POST'> & `${string}/stream`, Progress>(
  path: P,
  options: {
    body: BodyOf<`POST ${P}` & RouteKey>;
    signal: AbortSignal;
    onProgress: (progress: Progress) => void;
  },
): Promise<StreamResult<P>> {
  const response = await request('POST', path, { body: options.body, signal: options.signal });
  if (!response.ok || !response.body) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the connection to the server was lost');
    buffered += value;
    let end = buffered.indexOf('\n\n');
    while (end >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf('\n\n');
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
      if (event === 'progress') options.onProgress(data as Progress);
      else if (event === 'result') return data as StreamResult<P>;
      else if (event === 'failure') throw new Error(data.message);
    }
  }
}

/** `/api/optimise/stream` answers, at the end, what `/api/optimise` answers. */
type StreamResult<P extends string> = P extends `${infer Base}/stream`
  ? `POST ${Base}` extends RouteKey
    ? ResponseOf<`POST ${Base}`>
    : unknown
  : unknown;
