/**
 * Single sign-on (OpenID Connect) configuration from the environment. Off unless KEEL_OIDC_ISSUER is set;
 * once any KEEL_OIDC_* variable is set, the whole set is checked at start and a bad one stops the server with
 * a message naming the variable (a half-configured SSO would otherwise fail only at the first login).
 */
import { z } from 'zod';
import { KeelError } from '../domain/errors.ts';
import { ROLES, type Role } from '../domain/roles.ts';

export interface SsoConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back: Keel's /api/auth/oidc/callback as users reach it. */
  redirectUrl: string;
  /** Where the provider sends the browser after its logout: Keel's own front page. */
  postLogoutUrl: string;
  scopes: string;
  /** The claim that carries the user's role at the provider. */
  roleClaim: string;
  /** Claim value → Keel role; without a map, the claim must name a Keel role itself. */
  roleMap: Record<string, Role> | null;
}

export const CALLBACK_PATH = '/api/auth/oidc/callback';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or plain http on this machine only (a provider started by a test, a developer's own). */
const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .refine((text) => URL.canParse(text), { message: `${what} must be an absolute URL`, abort: true })
    .refine((text) => {
      const url = new URL(text);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
    }, `${what} must be https (plain http only for localhost)`);

const roleMapText = z
  .string()
  .transform((text, issues) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      issues.addIssue({ code: 'custom', message: 'KEEL_OIDC_ROLE_MAP must be a JSON object' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string().min(1),
      z.enum(ROLES, { error: () => `each value must be a Keel role: ${ROLES.join(', ')}` }),
    ),
  );

const ssoEnvSchema = z.object({
  KEEL_OIDC_ISSUER: httpUrl('KEEL_OIDC_ISSUER'),
  KEEL_OIDC_CLIENT_ID: z.string({ error: 'KEEL_OIDC_CLIENT_ID is required' }).trim().min(1),
  KEEL_OIDC_CLIENT_SECRET: z
    .string({ error: 'KEEL_OIDC_CLIENT_SECRET is required (Keel is a confidential client)' })
    .min(16, 'KEEL_OIDC_CLIENT_SECRET must be at least 16 characters (it also signs the login cookie)'),
  KEEL_OIDC_REDIRECT_URL: httpUrl('KEEL_OIDC_REDIRECT_URL').optional(),
  KEEL_PUBLIC_URL: httpUrl('KEEL_PUBLIC_URL').optional(),
  KEEL_OIDC_SCOPES: z
    .string()
    .regex(/(^|\s)openid(\s|$)/, 'KEEL_OIDC_SCOPES must include openid')
    .default('openid email profile'),
  KEEL_OIDC_ROLE_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_.:/-]{1,100}$/, 'KEEL_OIDC_ROLE_CLAIM must be a claim name')
    .default('keel_role'),
  KEEL_OIDC_ROLE_MAP: roleMapText.optional(),
});

const unset = (value: string | undefined) => (value === '' ? undefined : value);

/** The SSO configuration, undefined when no KEEL_OIDC_* variable is set; throws `invalid_config` if bad. */
export function ssoFromEnv(env: NodeJS.ProcessEnv = process.env): SsoConfig | undefined {
  const names = Object.keys(ssoEnvSchema.shape) as (keyof typeof ssoEnvSchema.shape)[];
  if (!names.some((name) => name.startsWith('KEEL_OIDC_') && unset(env[name]) !== undefined))
    return undefined;
  const parsed = ssoEnvSchema.safeParse(Object.fromEntries(names.map((name) => [name, unset(env[name])])));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? 'KEEL_OIDC_*';
    const message = issue?.message ?? 'is invalid';
    throw new KeelError(
      'invalid_config',
      `single sign-on is misconfigured: ${message.startsWith(where) ? message : `${where}: ${message}`}`,
    );
  }
  const config = parsed.data;
  const base = config.KEEL_PUBLIC_URL?.replace(/\/+$/, '');
  const redirect = config.KEEL_OIDC_REDIRECT_URL ?? (base ? `${base}${CALLBACK_PATH}` : undefined);
  if (!redirect)
    throw new KeelError(
      'invalid_config',
      `single sign-on is misconfigured: set KEEL_OIDC_REDIRECT_URL (…${CALLBACK_PATH}) or KEEL_PUBLIC_URL`,
    );
  const redirectUrl = new URL(redirect);
  if (redirectUrl.pathname !== CALLBACK_PATH)
    throw new KeelError(
      'invalid_config',
      `single sign-on is misconfigured: KEEL_OIDC_REDIRECT_URL must end in ${CALLBACK_PATH}`,
    );
  return {
    // As the provider writes it in its discovery document: openid-client compares the two exactly.
    issuer: config.KEEL_OIDC_ISSUER,
    clientId: config.KEEL_OIDC_CLIENT_ID,
    clientSecret: config.KEEL_OIDC_CLIENT_SECRET,
    redirectUrl: redirectUrl.toString(),
    postLogoutUrl: `${redirectUrl.origin}/`,
    scopes: config.KEEL_OIDC_SCOPES,
    roleClaim: config.KEEL_OIDC_ROLE_CLAIM,
    roleMap: config.KEEL_OIDC_ROLE_MAP ?? null,
  };
}
