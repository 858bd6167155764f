/**
 * A real OpenID Connect provider for the single sign-on tests: oidc-provider on a free port at
 * http://localhost:PORT, with one confidential client (Keel) and the development login and consent pages
 * (any password; the login name is the account id). Accounts and their claims are the test's to change.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { CALLBACK_PATH, type SsoConfig } from '../../src/app/sso-config.ts';

export const CLIENT_ID = 'keel';
export const CLIENT_SECRET = 'a test client secret of some length';

export interface TestProvider {
  issuer: string;
  /** Claims by account id (the `sub`): change them and the next sign-in says so. */
  accounts: Map<string, Record<string, unknown>>;
  /** Keel's SSO configuration for this provider, Keel being at `keelBase`. */
  ssoConfig(roleMap?: SsoConfig['roleMap']): SsoConfig;
  close(): Promise<void>;
}

/**
 * Goes through the provider's development pages as a browser would (its own cookie jar, redirects followed by
 * hand), signing in as `login`, and answers the URL the provider sends the browser back to Keel with.
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<string> {
  const jar = new Map<string, string>();
  const issuer = new URL(authorizationUrl).origin;
  let url = authorizationUrl;
  let form: URLSearchParams | null = null;
  for (let hop = 0; hop < 20; hop++) {
    const response: Response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form.toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair?.indexOf('=') ?? -1;
      if (pair && at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    form = null;
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url).href;
      if (!next.startsWith(issuer)) return next;
      url = next;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action)
      throw new Error(`provider page ${url}: ${response.status} ${html.slice(0, 300)}`);
    form = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
      form.set(name as string, value as string);
    if (form.get('prompt') === 'login') {
      form.set('login', login);
      form.set('password', 'any password');
    }
    url = new URL(action.replaceAll('&amp;', '&'), url).href;
  }
  throw new Error('the provider kept redirecting');
}

export async function startProvider(keelBase: string): Promise<TestProvider> {
  const accounts = new Map<string, Record<string, unknown>>();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${keelBase}${CALLBACK_PATH}`],
        post_logout_redirect_uris: [`${keelBase}/`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'keel_role'] },
    pkce: { required: () => true },
    async findAccount(_ctx: unknown, sub: string) {
      const claims = accounts.get(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...claims }) };
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // The default page loads a web font; the test machine has no internet.
        async logoutSource(ctx: { body: string }, form: string) {
          ctx.body = `<!DOCTYPE html><title>Logout</title><h1>Sign out of the provider?</h1>${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`;
        },
        async postLogoutSuccessSource(ctx: { body: string }) {
          ctx.body = '<!DOCTYPE html><title>Signed out</title><h1>Signed out of the provider</h1>';
        },
      },
    },
    ttl: {
      Session: 600,
      Interaction: 600,
      Grant: 600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    accounts,
    ssoConfig: (roleMap = null) => ({
      issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUrl: `${keelBase}${CALLBACK_PATH}`,
      postLogoutUrl: `${keelBase}/`,
      scopes: 'openid email profile',
      roleClaim: 'keel_role',
      roleMap,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
