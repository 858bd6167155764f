/**
 * Single sign-on with an OpenID Connect provider (openid-client): authorization code with PKCE, state and
 * nonce. What the login started with travels in a short-lived cookie signed with a key derived from the client
 * secret (every Keel server of one deployment shares it, so the callback may land on another one); the
 * provider's one-time code is what makes a replayed callback fail. The account is found by issuer and
 * subject, never by email, so a provider account cannot take over a local one that shares its address; its
 * role comes from a claim at every sign-in, and a Keel account disabled here stays refused.
 */
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { appendAudit } from '../db/audit-repo.ts';
import {
  emailHolder,
  insertUserRow,
  isSsoAccount,
  lockSsoCandidate,
  refreshSsoAccount,
  SSO_ACCOUNT,
} from '../db/users-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import { emailField, type Session, startSession } from './auth.ts';
import type { Actor, AppContext } from './context.ts';
import type { SsoConfig } from './sso-config.ts';
import { asCacheWrite } from './token-cache.ts';

/** How long a started login may take at the provider before its cookie is refused. */
export const LOGIN_MINUTES = 10;

/** Why a sign-in was refused: the web app's login page shows a sentence for each (pages/Login.tsx). */
export type SsoRefusal = 'off' | 'expired' | 'provider' | 'role' | 'disabled' | 'email_taken' | 'not_sso';

const refused = (reason: SsoRefusal, message: string) =>
  new KeelError(reason === 'off' ? 'not_found' : 'unauthenticated', message, { reason });

export function ssoOf(ctx: AppContext): SsoConfig {
  if (!ctx.sso) throw refused('off', 'single sign-on is not configured on this server');
  return ctx.sso;
}

const discovered = new WeakMap<SsoConfig, Promise<oidc.Configuration>>();

/** The provider's metadata, discovered at the first use and kept; a failed discovery is tried again next time. */
function providerOf(sso: SsoConfig): Promise<oidc.Configuration> {
  let found = discovered.get(sso);
  if (!found) {
    const insecure = new URL(sso.issuer).protocol === 'http:';
    found = oidc.discovery(new URL(sso.issuer), sso.clientId, sso.clientSecret, undefined, {
      timeout: 10,
      // http is accepted by sso-config.ts for localhost only.
      ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
    found.catch(() => discovered.delete(sso));
    discovered.set(sso, found);
  }
  return found.catch((error: unknown) => {
    throw refused('provider', `the sign-on provider cannot be reached: ${(error as Error).message}`);
  });
}

const pendingSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  verifier: z.string(),
  expires: z.number(),
});
type Pending = z.infer<typeof pendingSchema>;

const cookieKey = (sso: SsoConfig) =>
  Buffer.from(hkdfSync('sha256', sso.clientSecret, sso.issuer, 'keel oidc login cookie', 32));

/** The login cookie: the pending login, signed (exported for the attack tests, which forge one). */
export function seal(sso: SsoConfig, pending: Pending): string {
  const payload = Buffer.from(JSON.stringify(pending)).toString('base64url');
  return `${payload}.${createHmac('sha256', cookieKey(sso)).update(payload).digest('base64url')}`;
}

export function unseal(sso: SsoConfig, cookie: string | undefined): Pending {
  const expired = refused('expired', 'the sign-in was not started here or took too long; start it again');
  const [payload, mac] = (cookie ?? '').split('.');
  if (!payload || !mac) throw expired;
  const expected = createHmac('sha256', cookieKey(sso)).update(payload).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw expired;
  const pending = pendingSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString()));
  if (!pending.success || pending.data.expires < Date.now()) throw expired;
  return pending.data;
}

/** The provider's authorization URL, and the cookie that the callback must bring back. */
export async function startSsoLogin(ctx: AppContext): Promise<{ url: string; cookie: string }> {
  const sso = ssoOf(ctx);
  const provider = await providerOf(sso);
  const pending: Pending = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    expires: Date.now() + LOGIN_MINUTES * 60_000,
  };
  const url = oidc.buildAuthorizationUrl(provider, {
    redirect_uri: sso.redirectUrl,
    scope: sso.scopes,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, cookie: seal(sso, pending) };
}

/**
 * The Keel role a claim value names: through the role map if there is one, else the value itself. A list
 * (groups) must lead to exactly one role; anything else is null.
 */
export function roleFromClaim(value: unknown, roleMap: Record<string, Role> | null): Role | null {
  const values = Array.isArray(value) ? value : [value];
  const roles = new Set<Role>();
  for (const v of values) {
    if (typeof v !== 'string') continue;
    const role = roleMap ? (Object.hasOwn(roleMap, v) ? roleMap[v] : undefined) : ROLES.find((r) => r === v);
    if (role) roles.add(role);
  }
  return roles.size === 1 ? ([...roles][0] as Role) : null;
}

/** The Keel account id of a provider account: from issuer and subject, never from the email. */
export const ssoUserId = (issuer: string, subject: string) =>
  `sso-${createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 24)}`;

/**
 * Finishes a sign-in at the callback: checks the provider's answer against the cookie (state, PKCE, nonce,
 * the ID token), maps the role claim, creates or refreshes the account and starts a Keel session.
 */
export async function finishSsoLogin(
  ctx: AppContext,
  callbackUrl: URL,
  cookie: string | undefined,
): Promise<Session> {
  const sso = ssoOf(ctx);
  const pending = unseal(sso, cookie);
  const provider = await providerOf(sso);
  let claims: Record<string, unknown>;
  try {
    const tokens = await oidc.authorizationCodeGrant(provider, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new Error('no ID token');
    claims = { ...idToken };
    // Providers that keep profile claims out of the ID token give them at the userinfo endpoint.
    if (claims[sso.roleClaim] === undefined && provider.serverMetadata().userinfo_endpoint)
      claims = { ...(await oidc.fetchUserInfo(provider, tokens.access_token, idToken.sub)), ...idToken };
  } catch (error) {
    throw refused('provider', `the sign-on provider's answer was refused: ${(error as Error).message}`);
  }
  const subject = String(claims.sub);
  const role = roleFromClaim(claims[sso.roleClaim], sso.roleMap);
  if (!role)
    throw refused(
      'role',
      `the sign-on provider gave no claim "${sso.roleClaim}" naming one Keel role (it gave ${JSON.stringify(claims[sso.roleClaim] ?? null)})`,
    );
  const id = ssoUserId(String(claims.iss), subject);
  const email = emailField.safeParse(claims.email);
  const account = {
    id,
    role,
    // An address is not what the account is found by: without a usable one, a placeholder that cannot receive mail.
    email: email.success ? email.data : `${id}@sso.invalid`,
    name: typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : id,
  };
  // A role refreshed from the claim must not be served from a cached session or token afterwards.
  return asCacheWrite(ctx.tokenCache, () =>
    ctx.database.db.transaction().execute(async (tx) => {
      const existing = await lockSsoCandidate(tx, id);
      if (existing && existing.password_hash !== SSO_ACCOUNT)
        throw refused(
          'not_sso',
          `the account "${id}" is a local account; it does not sign in through the provider`,
        );
      if (existing?.disabled) throw refused('disabled', 'this Keel account is disabled; ask an admin');
      if (await emailHolder(tx, account.email, id))
        throw refused(
          'email_taken',
          `another Keel account already uses ${account.email}; an admin must change one of them before this sign-in`,
        );
      if (!existing) await insertUserRow(tx, { ...account, password_hash: SSO_ACCOUNT });
      else await refreshSsoAccount(tx, account);
      if (existing && existing.role !== role)
        await appendAudit(tx, {
          actor: id,
          role,
          action: 'user.sso_role',
          subject: `user:${id}`,
          details: { from: existing.role, to: role, claim: sso.roleClaim },
        });
      return startSession(tx, account, {
        method: 'oidc',
        issuer: String(claims.iss),
        created: String(!existing),
      });
    }),
  );
}

/**
 * Where the browser goes after a Keel logout: the provider's end-session endpoint for an account of the
 * provider (RP-initiated logout, back to Keel's front page), else nowhere.
 */
export async function ssoLogoutUrl(ctx: AppContext, actor: Actor): Promise<string | null> {
  if (!ctx.sso || actor.scope || !(await isSsoAccount(ctx.database.db, actor.id))) return null;
  try {
    const provider = await providerOf(ctx.sso);
    if (!provider.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(provider, {
      client_id: ctx.sso.clientId,
      post_logout_redirect_uri: ctx.sso.postLogoutUrl,
    }).href;
  } catch {
    // The Keel session is over whatever the provider does; an unreachable provider only skips its logout.
    return null;
  }
}
