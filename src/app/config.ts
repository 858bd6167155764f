/**
 * Keel's configuration from the environment. Kept apart from open.ts (which loads the database drivers) so the
 * `keel` command can find a running server's data folder without loading them.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { KeelError } from '../domain/errors.ts';
import type { MailConfig } from './context.ts';
import { secretKeyFromEnv } from './secret-box.ts';
import { type SsoConfig, ssoFromEnv } from './sso-config.ts';

export interface KeelConfig {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** The audit signing key's file (never inside the database or its data folder). */
  auditKeyFile?: string | undefined;
  mail?: MailConfig | undefined;
  /** The key that seals secrets at rest (TOTP seeds; app/secret-box.ts): KEEL_SECRET_KEY, else this file. */
  secretKey?: Buffer | undefined;
  secretKeyFile?: string | undefined;
  /** OpenID Connect single sign-on (KEEL_OIDC_*); unset: local accounts only. */
  sso?: SsoConfig | undefined;
}

/** Configuration from the environment: DATABASE_URL selects a server, else KEEL_DATA (default ./keel-data). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): KeelConfig {
  const databaseUrl = env.DATABASE_URL || undefined;
  const dataDir = resolve(env.KEEL_DATA || './keel-data');
  return {
    databaseUrl,
    dataDir,
    auditKeyFile: auditKeyFileFromEnv(env, databaseUrl, dataDir),
    mail: mailFromEnv(env),
    secretKey: secretKeyFromEnv(env.KEEL_SECRET_KEY),
    secretKeyFile: keyFileFromEnv('secret-key', databaseUrl, dataDir, env),
    sso: ssoFromEnv(env),
  };
}

/**
 * KEEL_SMTP_URL turns notification mail on; KEEL_MAIL_FROM is its sender (default keel@localhost);
 * KEEL_PUBLIC_URL, the address users open Keel at, puts a link to each notice in its mail.
 */
function mailFromEnv(env: NodeJS.ProcessEnv): MailConfig | undefined {
  if (!env.KEEL_SMTP_URL) return undefined;
  return {
    url: env.KEEL_SMTP_URL,
    from: env.KEEL_MAIL_FROM || 'Keel <keel@localhost>',
    publicUrl: publicUrlFromEnv(env.KEEL_PUBLIC_URL),
  };
}

function publicUrlFromEnv(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new KeelError('invalid_value', `KEEL_PUBLIC_URL must be an http(s) address, not "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new KeelError('invalid_value', `KEEL_PUBLIC_URL must be an http(s) address, not "${text}"`);
  return url.toString().replace(/\/+$/, '');
}

/**
 * KEEL_AUDIT_KEY, else next to (not inside) the embedded data folder, else, for a PostgreSQL server, in the
 * user's config folder: a copy of the data folder or a database dump does not carry the key.
 */
function auditKeyFileFromEnv(env: NodeJS.ProcessEnv, databaseUrl: string | undefined, dataDir: string) {
  if (env.KEEL_AUDIT_KEY) return resolve(env.KEEL_AUDIT_KEY);
  return keyFileFromEnv('audit-key.pem', databaseUrl, dataDir, env);
}

/** A key file's default place: next to the embedded data folder, else in the user's config folder. */
function keyFileFromEnv(
  name: string,
  databaseUrl: string | undefined,
  dataDir: string,
  env: NodeJS.ProcessEnv,
) {
  if (!databaseUrl) return `${dataDir}.${name}`;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'keel', name);
}
