/** The web app's only door to the server: JSON in and out, the session's CSRF token on writes, clear errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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

export async function api<T>(
  path: string,
  options: { method?: string; body?: unknown; form?: FormData } = {},
): Promise<T> {
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
  const response = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok)
    throw new ApiError(response.status, data?.error ?? 'error', data?.message ?? response.statusText);
  return data as T;
}
