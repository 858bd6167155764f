/** The web app's only door to the server: JSON in and out, the session's CSRF token on writes, clear errors. */
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

export interface Me {
  user: { id: string; role: import('../domain/roles.ts').Role };
  csrfToken: string | null;
}

function request(
  path: string,
  options: { method?: string; body?: unknown; form?: FormData; signal?: AbortSignal },
): Promise<Response> {
  const method = options.method ?? 'GET';
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
  return fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal ?? null });
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

export async function api<T>(
  path: string,
  options: { method?: string; body?: unknown; form?: FormData } = {},
): Promise<T> {
  const response = await request(path, options);
  if (!response.ok) throw await failure(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

/**
 * A POST answered as server-sent events (`progress`…, then `result` or `failure`): EventSource can only
 * GET. Aborting `signal` closes the response, which cancels the work on the server.
 */
export async function postEventStream<T, P>(
  path: string,
  options: { body: unknown; signal: AbortSignal; onProgress: (progress: P) => void },
): Promise<T> {
  const response = await request(path, { method: 'POST', body: options.body, signal: options.signal });
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
      if (event === 'progress') options.onProgress(data as P);
      else if (event === 'result') return data as T;
      else if (event === 'failure') throw new Error(data.message);
    }
  }
}
